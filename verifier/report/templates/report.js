/* verify-refs report: filter by verdict (from the URL fragment, e.g. #verdict=lost) and
   sort rows. One listener per control, none per row; without JavaScript every row shows. */
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");
  var table = document.getElementById("refs");
  if (!table) { return; }
  var body = table.tBodies[0];
  var chips = Array.prototype.slice.call(document.querySelectorAll("a[data-verdict]"));
  var sorters = Array.prototype.slice.call(document.querySelectorAll("button[data-sort]"));
  var shown = document.getElementById("shown");
  var total = body.rows.length;
  var counts = {};
  chips.forEach(function (chip) {
    counts[chip.getAttribute("data-verdict")] = Number(chip.getAttribute("data-count")) || 0;
  });

  function wanted() {
    var match = /(?:^#|&)verdict=([a-z-]+)/.exec(window.location.hash);
    var verdict = match ? match[1] : "";
    return Object.prototype.hasOwnProperty.call(counts, verdict) ? verdict : "";
  }

  function applyFilter() {
    var verdict = wanted();
    table.setAttribute("data-filter", verdict);
    chips.forEach(function (chip) {
      chip.setAttribute("aria-pressed", String(chip.getAttribute("data-verdict") === verdict));
    });
    shown.textContent = verdict
      ? "Showing " + counts[verdict] + " of " + total + " references: " + verdict + "."
      : "Showing all " + total + " references.";
  }

  function num(row, key) { return Number(row.getAttribute("data-" + key)); }

  var orders = {
    o: function (a, b) { return num(a, "o") - num(b, "o"); },
    u: function (a, b) { return num(b, "u") - num(a, "u") || num(a, "o") - num(b, "o"); },
    r: function (a, b) {
      return num(a, "r") - num(b, "r") || num(b, "u") - num(a, "u") || num(a, "o") - num(b, "o");
    }
  };

  function sortRows(key) {
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(orders[key] || orders.o);
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
    sorters.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-sort") === key));
    });
  }

  sorters.forEach(function (button) {
    button.addEventListener("click", function () { sortRows(button.getAttribute("data-sort")); });
  });
  window.addEventListener("hashchange", applyFilter);
  applyFilter();
}());
