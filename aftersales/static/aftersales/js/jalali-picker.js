// Opens the Jalali calendar on every input marked data-jdp; the library is served from npm's copy.
(function () {
  function start() {
    if (!window.jalaliDatepicker || window.aftersalesPickerStarted) return;
    window.aftersalesPickerStarted = true;
    window.jalaliDatepicker.startWatch({ persianDigits: true, autoShow: true, autoHide: true, hideAfterChange: true, time: false });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
