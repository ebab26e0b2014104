// The contact page (F56): a form marked data-submit-once sends once — its submit button is disabled as it
// goes, so a double tap on a slow connection does not send twice (the server logs a resend once anyway).
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-submit-once]");
    if (!form) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
  });
  // Back to the page from the browser's cache: the form may be sent again (with its same key).
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
    });
  });
})();
