// Inside the widget's frame: tell the page around it how tall the widget is, so the frame can
// fit it (widget-frame.js on that page listens). The widget works the same without this file.
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Only a height goes out, nothing private: any page may read it.
    window.parent.postMessage({ type: "startklaar-widget", height: height }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if ("ResizeObserver" in window) new ResizeObserver(send).observe(document.body);
})();
