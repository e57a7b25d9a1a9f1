// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Copy-link buttons: <button data-copy="https://...">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    event.preventDefault();
    var text = button.getAttribute("data-copy");
    var done = function () {
      var original = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = original; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("Copy this link:", text); });
    } else {
      window.prompt("Copy this link:", text);
    }
  });

  // The error summary's links: focus the field itself, with its label in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-focus-field]");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("data-focus-field"));
    if (!field) return;
    event.preventDefault();
    var folded = field.closest("details:not([open])");
    if (folded) folded.open = true;
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // What needs the rep's eyes after a page or a swap (an error summary, a check's answer) gets
  // the focus, which also scrolls it into view and makes screen readers read it.
  function focusFirst(root) {
    var target = root.querySelector("#error-summary") || root.querySelector("[data-autofocus]");
    if (target) target.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("main [data-autofocus]")) focusFirst(document.querySelector("main"));
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var audience = trigger && trigger.getAttribute && trigger.getAttribute("data-audience");
    if (audience) {
      // An audience filter swaps the result: keep the focus on the filter just pressed.
      var pressed = document.querySelector('[data-audience="' + audience + '"]');
      if (pressed) pressed.focus();
      return;
    }
    if (event.detail.target && event.detail.target.id === "check-area") focusFirst(event.detail.target);
  });

  // "/" goes to the address check (dashboard, check page) or to "Find in MyCRM".
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    var target = document.querySelector("[data-slash]") || document.querySelector("#check-form #id_street") ||
      document.querySelector(".nav-search");
    if (!target) return;
    event.preventDefault();
    var folded = target.closest("details:not([open])");
    if (folded) folded.open = true;
    target.focus();
    if (target.select) target.select();
  });
})();
