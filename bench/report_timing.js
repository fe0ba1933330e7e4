/* Injected by bench/run.py into a copy of the HTML report (its hash is added to the
   report's Content-Security-Policy): times, inside headless Chromium, how long the page
   took to parse, its first layout, each verdict filter and a sort, each until layout is
   done, and writes the figures into the page as JSON for --dump-dom to return. */
(function () {
  "use strict";
  var t = { parsed_ms: Math.round(performance.now()) };
  function settle() { return document.body.offsetHeight; }
  var start = performance.now();
  settle();
  t.first_layout_ms = Math.round(performance.now() - start);
  var table = document.getElementById("refs");
  var verdicts = Array.prototype.map.call(document.querySelectorAll("a[data-verdict]"),
    function (a) { return a.getAttribute("data-verdict"); });
  t.filter_ms = {};
  if (table) {
    verdicts.concat([""]).forEach(function (v) {
      start = performance.now();
      // Through the page's own route (the fragment), so its per-chunk size estimates
      // are updated as they are when a person filters.
      window.location.hash = v ? "verdict=" + v : "";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
      settle();
      t.filter_ms[v || "all"] = Math.round(performance.now() - start);
    });
    var sorter = document.querySelector("button[data-sort]:not([data-sort=o])");
    if (sorter) {
      start = performance.now();
      sorter.click();
      settle();
      t.sort_ms = Math.round(performance.now() - start);
    }
    t.rows = table.querySelectorAll("tbody tr").length;
  }
  var out = document.createElement("pre");
  out.id = "bench-timing";
  out.textContent = JSON.stringify(t);
  document.body.appendChild(out);
}());
