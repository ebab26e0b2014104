// The reception desk's unit box (issue 20): a number naming several units lists them beside the form;
// choosing one keeps its id in the hidden "unit" field and shows its warranty. Typing another number
// forgets the choice.
(function () {
  function unitField() { return document.getElementById("id_unit"); }
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-unit-number]") && unitField()) unitField().value = "";
  });
  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-unit-choice]");
    var number = document.querySelector("[data-unit-number]");
    if (!choice || !number || !unitField()) return;
    unitField().value = choice.dataset.unitChoice;
    if (window.htmx) window.htmx.trigger(number, "change");
  });
})();
