// Module mapping: offer only the levels of the chosen competency's framework scale.
// Without this script every scale is offered and the server checks the choice.
(function () {
  "use strict";
  function sync(form) {
    var competency = form.querySelector(".cp-competency-select");
    var level = form.querySelector(".cp-level-select");
    if (!competency || !level) { return; }
    var chosen = competency.options[competency.selectedIndex];
    var framework = chosen ? chosen.getAttribute("data-framework") : null;
    Array.prototype.forEach.call(level.querySelectorAll("optgroup"), function (group) {
      var match = !framework || group.getAttribute("data-framework") === framework;
      group.disabled = !match;
      group.hidden = !match;
    });
    var selected = level.options[level.selectedIndex];
    if (selected && selected.parentNode.disabled) { level.value = ""; }
  }
  document.querySelectorAll(".cp-rule-form").forEach(function (form) {
    var competency = form.querySelector(".cp-competency-select");
    if (competency) { competency.addEventListener("change", function () { sync(form); }); }
    sync(form);
  });
}());
