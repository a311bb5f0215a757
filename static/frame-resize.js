/* Ask the LMS to size the tool's frame to the page: {subject: "lti.frameResize", height}.
   Canvas (and Sakai, Moodle's Canvas-compatible themes, the sandbox) honour it; a page not in
   a frame sends nothing. Loaded as a file: the CSP allows no inline script. */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var sent = 0;
  var pending = false;

  function contentHeight() {
    var body = document.body;
    var style = window.getComputedStyle(body);
    return Math.ceil(body.getBoundingClientRect().height +
      parseFloat(style.marginTop || "0") + parseFloat(style.marginBottom || "0"));
  }

  function send() {
    pending = false;
    var height = contentHeight();
    if (height < 1 || Math.abs(height - sent) < 2) { return; }
    sent = height;
    window.parent.postMessage({subject: "lti.frameResize", height: height}, "*");
  }

  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(send);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", schedule);
  } else {
    schedule();
  }
  window.addEventListener("load", schedule);
  if ("ResizeObserver" in window) {
    new window.ResizeObserver(schedule).observe(document.body);
  } else {
    window.addEventListener("resize", schedule);
  }
}());
