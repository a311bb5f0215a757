// Submits the form named by data-form once the page loads (no inline script, CSP-safe).
(function () {
  "use strict";
  var id = document.currentScript && document.currentScript.dataset.form;
  var form = id && document.getElementById(id);
  if (form) { form.submit(); }
})();
