// LTI Platform Storage (postMessage): put the login's nonce before the OIDC redirect,
// read it back in the launch frame, then continue. Used when the LMS sends
// lti_storage_target, so launches work where the browser blocks third-party cookies.
(function () {
  "use strict";
  var el = document.getElementById("cp-storage");
  if (!el) { return; }
  var mode = el.dataset.mode, key = el.dataset.key, origin = el.dataset.origin || "*";
  var target = window.parent;
  if (el.dataset.target && el.dataset.target !== "_parent") {
    try { target = window.parent.frames[el.dataset.target] || window.parent; } catch (e) { target = window.parent; }
  }
  var messageId = "cp-" + Math.random().toString(36).slice(2);
  var subject = mode === "put" ? "lti.put_data" : "lti.get_data";
  var done = false;
  function fail(text) { if (!done) { el.textContent = text; } }
  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.message_id !== messageId || data.subject !== subject + ".response") { return; }
    if (origin !== "*" && event.origin !== origin) { return; }
    if (data.error) { fail("Your LMS refused to keep the launch state: " + (data.error.message || data.error.code)); return; }
    done = true;
    if (mode === "put") { window.location.href = el.dataset.next; return; }
    var form = document.getElementById("cp-storage-form");
    form.elements.stored_nonce.value = data.value || "";
    form.submit();
  });
  var message = { subject: subject, message_id: messageId, key: key };
  if (mode === "put") { message.value = el.dataset.value; }
  target.postMessage(message, origin);
  setTimeout(function () { fail("Your LMS did not answer. Relaunch CareerPath from the course."); }, 5000);
})();
