// kyc — behaviour for the server-rendered pages. No inline scripts: the
// Content-Security-Policy allows only files served from this origin.
(function () {
  "use strict";
  var root = document.documentElement;
  function preferred() {
    var stored = null;
    try { stored = localStorage.getItem("kyc-theme"); } catch (e) {}
    if (stored === "light" || stored === "dark") return stored;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  root.setAttribute("data-bs-theme", preferred());
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-kyc-theme-toggle]").forEach(function (b) {
      b.addEventListener("click", function () {
        var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
        root.setAttribute("data-bs-theme", next);
        try { localStorage.setItem("kyc-theme", next); } catch (e) {}
      });
    });
    document.querySelectorAll("[data-kyc-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form && el.form.submit(); });
    });
    // Move focus to an error summary so screen readers announce it.
    var summary = document.querySelector("[data-kyc-focus]");
    if (summary) summary.focus();
  });
})();
