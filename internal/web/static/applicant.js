// kyc — hosted onboarding pages. Progressive enhancement only: every page
// works without it. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  function ready(fn) { document.readyState !== "loading" ? fn() : document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    // Error summary links move focus to the field, not only scroll (GOV.UK).
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[data-kyc-error-link]");
      if (!a) return;
      var href = a.getAttribute("href") || "";
      if (href.charAt(0) !== "#") return;
      var el = document.getElementById(href.slice(1));
      if (!el) return;
      e.preventDefault();
      var group = el.closest(".kyc-field") || el;
      group.scrollIntoView({ block: "center" });
      el.focus({ preventScroll: true });
    });
    // Country selects get a search box that narrows the list as you type
    // (case and accents ignored); the select itself stays the form field.
    var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    document.querySelectorAll("select[data-kyc-country]").forEach(function (sel) {
      var box = document.createElement("input");
      box.type = "search";
      box.className = "form-control form-control-sm mb-1 kyc-w-30";
      box.setAttribute("aria-label", sel.getAttribute("data-kyc-search-label") || "Search");
      box.setAttribute("placeholder", sel.getAttribute("data-kyc-search-label") || "");
      box.setAttribute("aria-controls", sel.id);
      box.autocomplete = "off";
      sel.parentNode.insertBefore(box, sel);
      box.addEventListener("input", function () {
        var q = fold(box.value.trim()), shown = [];
        Array.prototype.forEach.call(sel.options, function (o) {
          var match = !q || o.value === "" || fold(o.text).indexOf(q) !== -1 || fold(o.value) === q;
          o.hidden = !match;
          if (match && o.value !== "") shown.push(o);
        });
        if (shown.length === 1) { sel.value = shown[0].value; sel.dispatchEvent(new Event("change", { bubbles: true })); }
      });
    });
    // Show the chosen file's name before uploading.
    document.querySelectorAll("input[data-kyc-file]").forEach(function (input) {
      input.addEventListener("change", function () {
        var out = document.querySelector("[data-kyc-filename]");
        if (out && input.files && input.files[0]) {
          var f = input.files[0];
          out.textContent = f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)";
        }
      });
    });
    // Live total of the ownership shares.
    var people = document.querySelector("form[data-kyc-people]");
    if (people) {
      var total = people.querySelector("[data-kyc-total]");
      // The total counts the shares held directly; a share held through a
      // related company is a share of that company.
      var sum = function () {
        var t = 0;
        people.querySelectorAll("input[name$='.ownership_percent']").forEach(function (i) {
          var via = people.querySelector("select[name='" + i.name.replace(".ownership_percent", ".owned_via") + "']");
          if (via && via.value) return;
          var v = parseFloat((i.value || "0").replace(",", "."));
          if (!isNaN(v)) t += v;
        });
        total.textContent = (Math.round(t * 100) / 100) + " %";
        total.classList.toggle("text-danger", t > 100);
      };
      // Show the person or the company questions of a row by its kind.
      var kind = function (radio) {
        var row = radio.closest("[data-kyc-party]");
        if (!row || !radio.checked) return;
        row.setAttribute("data-kyc-party", radio.value);
        row.querySelectorAll("[data-kyc-kind]").forEach(function (g) {
          g.hidden = g.getAttribute("data-kyc-kind") !== radio.value;
        });
      };
      people.addEventListener("input", sum);
      people.addEventListener("change", function (e) {
        if (e.target.matches("input[type=radio][name$='.kind']")) kind(e.target);
        sum();
      });
    }
  });
  // After an inline check replaces a field, keep the page's focus where the
  // person went next (htmx swaps the field they left).
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail && e.detail.xhr && e.detail.xhr.status >= 400) e.detail.shouldSwap = false;
  });
})();
