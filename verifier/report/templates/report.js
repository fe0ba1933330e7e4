/* verify-refs report: filter by verdict (from the URL fragment, e.g. #verdict=lost) and
   sort rows. One listener per control, none per row; without JavaScript every row shows.
   Rows sit in tbody chunks the browser lays out only near the screen: filtering sets one
   attribute on the table plus one size estimate per chunk, and sorting moves the rows
   between chunks in one pass, so neither lays out 20,000 rows. */
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");
  var table = document.getElementById("refs");
  if (!table) { return; }
  var slice = Array.prototype.slice;
  var chunks = slice.call(table.tBodies);
  var sizes = chunks.map(function (chunk) { return chunk.rows.length; });  // kept by sorting
  var rows = [];  // article order
  chunks.forEach(function (chunk) { Array.prototype.push.apply(rows, chunk.rows); });
  var chips = slice.call(document.querySelectorAll("a[data-verdict]"));
  var sorters = slice.call(document.querySelectorAll("button[data-sort]"));
  var shown = document.getElementById("shown");
  var counts = {};
  var rank = {};  // the chips come in problem-first order
  chips.forEach(function (chip, i) {
    var verdict = chip.getAttribute("data-verdict");
    counts[verdict] = Number(chip.getAttribute("data-count")) || 0;
    rank[verdict] = i;
  });
  var tallies = [];  // per chunk: rows of each verdict

  function verdictOf(row) { return row.className.slice(2); }  // class="v-<verdict>"

  function tally() {
    tallies = chunks.map(function (chunk) {
      var seen = {};
      slice.call(chunk.rows).forEach(function (row) {
        var verdict = verdictOf(row);
        seen[verdict] = (seen[verdict] || 0) + 1;
      });
      return seen;
    });
  }

  function wanted() {
    var match = /(?:^#|&)verdict=([a-z-]+)/.exec(window.location.hash);
    var verdict = match ? match[1] : "";
    return Object.prototype.hasOwnProperty.call(counts, verdict) ? verdict : "";
  }

  function applyFilter() {
    var verdict = wanted();
    table.setAttribute("data-filter", verdict);
    // Off-screen chunks are drawn at an estimated size: make it fit the rows left showing.
    chunks.forEach(function (chunk, i) {
      var n = verdict ? tallies[i][verdict] || 0 : sizes[i];
      chunk.style.setProperty("--n", String(n));
    });
    chips.forEach(function (chip) {
      chip.setAttribute("aria-pressed", String(chip.getAttribute("data-verdict") === verdict));
    });
    shown.textContent = verdict
      ? "Showing " + counts[verdict] + " of " + rows.length + " references: " + verdict + "."
      : "Showing all " + rows.length + " references.";
  }

  var keys = null;  // sort keys, read from the rows on the first sort

  function sortKeys() {
    return rows.map(function (row, i) {
      return { row: row, o: i, r: rank[verdictOf(row)] || 0,
        u: parseInt(row.cells[3].textContent, 10) || 0 };
    });
  }

  var orders = {
    o: function (a, b) { return a.o - b.o; },
    u: function (a, b) { return b.u - a.u || a.o - b.o; },
    r: function (a, b) { return a.r - b.r || b.u - a.u || a.o - b.o; }
  };

  function sortRows(key) {
    keys = keys || sortKeys();
    var sorted = keys.slice().sort(orders[key] || orders.o);
    var next = 0;
    // Each chunk keeps its number of rows; only which rows it holds changes.
    chunks.forEach(function (chunk, i) {
      var fragment = document.createDocumentFragment();
      var end = next + sizes[i];
      for (; next < end; next += 1) { fragment.appendChild(sorted[next].row); }
      chunk.appendChild(fragment);
    });
    // Copy a fix: one listener on the table, none per row. The parameters are selected first
  // (so a browser that refuses to copy still leaves them ready for Ctrl+C), then copied.
  function copyFix(button) {
    var code = button.previousElementSibling;
    var selection = window.getSelection();
    selection.selectAllChildren(code);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    button.textContent = copied ? "Copied" : "Selected: press Ctrl+C";
    if (!copied && navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {});
    }
  }

  table.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.tagName === "BUTTON" && target.classList.contains("copy")) {
      copyFix(target);
    }
  });

  sorters.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-sort") === key));
    });
    tally();
    applyFilter();
  }

  // Copy a fix: one listener on the table, none per row. The parameters are selected first
  // (so a browser that refuses to copy still leaves them ready for Ctrl+C), then copied.
  function copyFix(button) {
    var code = button.previousElementSibling;
    var selection = window.getSelection();
    selection.selectAllChildren(code);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    button.textContent = copied ? "Copied" : "Selected: press Ctrl+C";
    if (!copied && navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {});
    }
  }

  table.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.tagName === "BUTTON" && target.classList.contains("copy")) {
      copyFix(target);
    }
  });

  sorters.forEach(function (button) {
    button.addEventListener("click", function () { sortRows(button.getAttribute("data-sort")); });
  });
  window.addEventListener("hashchange", applyFilter);
  tally();
  applyFilter();
}());
