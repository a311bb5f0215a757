/* Admin pages: a "Copy to clipboard" button for a value shown once (CSP-safe, no inline script). */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector("[data-copy-status]");
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = "Copied. Store it somewhere safe."; }
      }, function () {
        field.select();
        if (status) { status.textContent = "Copy did not work here: the key is selected, press Ctrl+C."; }
      });
    });
  });
})();
