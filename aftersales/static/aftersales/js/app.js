// Small page behaviours, bound by data attributes: the Content-Security-Policy allows no inline
// script (onclick=…) and no style attribute, so pages mark elements and this file acts on them.
(function () {
  // A progress bar's width, from data-progress (0–100), on load and on every htmx swap.
  function widths(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-submit-on-change]");
    if (field && field.form) field.form.submit();
  });
  if (window.htmx) window.htmx.onLoad(widths);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { widths(document); });
  else widths(document);
})();
