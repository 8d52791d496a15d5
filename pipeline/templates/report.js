// Tooltips, sortable tables and filters for the report page; no libraries needed.
(function () {
  "use strict";
  // Tooltip: the title of a highlight moves to data-tip so that only our tooltip shows.
  var tip = document.getElementById("tip");
  document.querySelectorAll("mark.hl[title]").forEach(function (m) {
    m.dataset.tip = m.getAttribute("title");
    m.removeAttribute("title");
  });
  function show(m) {
    if (!m.dataset.tip) { return; }
    tip.replaceChildren();
    m.dataset.tip.split("\n").forEach(function (line, i) {
      var div = document.createElement("div");
      div.textContent = line;
      div.className = i === 0 ? "first" : "more";
      tip.appendChild(div);
    });
    tip.hidden = false;
    var r = m.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
    m.classList.add("active");
  }
  function hide(m) { tip.hidden = true; if (m) { m.classList.remove("active"); } }
  document.addEventListener("mouseover", function (e) {
    var m = e.target.closest ? e.target.closest("mark.hl") : null;
    if (m) { show(m); }
  });
  document.addEventListener("mouseout", function (e) {
    var m = e.target.closest ? e.target.closest("mark.hl") : null;
    if (m) { hide(m); }
  });

  // Charts were sized while the page was still being parsed: fit them to their boxes.
  if (window.Plotly) {
    document.querySelectorAll(".plotly-graph-div").forEach(function (gd) { window.Plotly.Plots.resize(gd); });
  }

  // Sortable tables: click a header; numbers sort by data-sort, empty cells last.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = th.dataset.type === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          var raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
          return numeric ? (raw === "" ? null : parseFloat(raw)) : raw;
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === null || x === "") { return (y === null || y === "") ? 0 : 1; }
          if (y === null || y === "") { return -1; }
          var c = numeric ? x - y : x.localeCompare(y, "ru");
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // A link to an article (from the figures table) opens it.
  function openTarget() {
    var el = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Filters: hide table rows / articles that do not contain the typed text.
  document.querySelectorAll("input.filter").forEach(function (input) {
    var target = document.getElementById(input.dataset.target);
    var items = target.tagName === "TABLE" ? target.tBodies[0].rows : target.children;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(items, function (el) {
        el.style.display = !q || el.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
      });
    });
  });
})();
