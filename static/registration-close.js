// Tells the LMS that Dynamic Registration is finished (no inline script, CSP-safe).
(function () {
  "use strict";
  var target = window.opener || window.parent;
  if (target && target !== window) {
    target.postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }
})();
