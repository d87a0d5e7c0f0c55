// kyc back office — charts, keyboard navigation of tables and htmx error
// swaps. No inline scripts: the Content-Security-Policy allows only files
// served from this origin. Chart data comes from data-* attributes.
(function () {
  "use strict";

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
  var palette = ["#0d6efd", "#fd7e14", "#dc3545", "#6f42c1", "#198754", "#20c997", "#6c757d"];
  var riskColours = ["#198754", "#ffc107", "#dc3545", "#212529", "#adb5bd"];
  var charts = [];

  function draw(canvas) {
    if (!window.Chart) return;
    var type = canvas.dataset.kycChart;
    var labels = JSON.parse(canvas.dataset.labels || "[]");
    var series = JSON.parse(canvas.dataset.series || "[]");
    var text = css("--bs-body-color") || "#212529";
    var grid = css("--bs-border-color") || "#dee2e6";
    var doughnut = type === "doughnut";
    var datasets = series.map(function (s, i) {
      var colour = doughnut ? riskColours : palette[i % palette.length];
      var d = {
        label: s.label, data: s.data, backgroundColor: colour, borderColor: doughnut ? css("--bs-body-bg") : colour,
        tension: 0.25, fill: false, borderWidth: doughnut ? 2 : 2
      };
      // A series may be drawn as a line over bars (e.g. a declared volume).
      if (s.type === "line") { d.type = "line"; d.borderDash = [6, 4]; d.pointRadius = 0; d.order = -1; }
      return d;
    });
    var scales = {};
    if (!doughnut) {
      var stacked = canvas.dataset.stacked === "1";
      var horizontal = canvas.dataset.horizontal === "1";
      scales = {
        x: { stacked: stacked, title: { display: !!canvas.dataset.x, text: canvas.dataset.x, color: text }, ticks: { color: text, precision: 0 }, grid: { color: grid } },
        y: { stacked: stacked, beginAtZero: true, title: { display: !!canvas.dataset.y, text: canvas.dataset.y, color: text }, ticks: { color: text, precision: 0 }, grid: { color: grid } }
      };
      if (horizontal) { scales.x.beginAtZero = true; }
    }
    charts.push(new window.Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: canvas.dataset.horizontal === "1" ? "y" : "x",
        plugins: { legend: { display: doughnut || datasets.length > 1, position: "bottom", labels: { color: text } } },
        scales: scales
      }
    }));
  }

  function drawAll() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    document.querySelectorAll("canvas[data-kyc-chart]").forEach(draw);
  }

  // Keyboard navigation of list tables: j / k (or arrow keys with Alt)
  // move between rows, Enter opens the focused row.
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-kyc-queue] [data-kyc-row]")); }
  function focusRow(i) {
    var rs = rows();
    if (!rs.length) return;
    i = Math.max(0, Math.min(rs.length - 1, i));
    rs.forEach(function (r) { r.classList.remove("kyc-focus"); });
    var link = rs[i].querySelector("[data-kyc-open]");
    rs[i].classList.add("kyc-focus");
    if (link) link.focus();
  }
  function current() {
    var rs = rows();
    for (var i = 0; i < rs.length; i++) { if (rs[i].contains(document.activeElement)) return i; }
    return -1;
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
    if (e.key === "j") { focusRow(current() + 1); e.preventDefault(); }
    else if (e.key === "k") { focusRow(Math.max(0, current() - 1)); e.preventDefault(); }
    else if (e.key === "/") {
      var s = document.querySelector("input[type=search]");
      if (s) { s.focus(); e.preventDefault(); }
    }
  });

  // htmx: swap in validation (422) and conflict (409) answers, which carry
  // the form with its messages, instead of dropping them.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var st = e.detail.xhr.status;
    if (st === 422 || st === 409) { e.detail.shouldSwap = true; e.detail.isError = false; }
  });
  // After a swap, move focus to the first error of the new content.
  document.addEventListener("htmx:afterSwap", function (e) {
    var el = document.querySelector("[aria-invalid=true]");
    if (el) el.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    drawAll();
    // Redraw charts in the colours of the other mode after a theme switch.
    new MutationObserver(drawAll).observe(document.documentElement, { attributes: true, attributeFilter: ["data-bs-theme"] });
  });
})();
