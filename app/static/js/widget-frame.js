// On the page that shows the Startklaar widget in an <iframe> (optional): make the frame as tall
// as the widget, so it needs no scroll bar. Listens only to our own origin (where this file was
// loaded from) and only resizes the frame the message came from.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL) return;
  var origin = new URL(script.src, document.baseURI).origin;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "startklaar-widget") return;
    var height = Number(data.height);
    if (!isFinite(height) || height < 40 || height > 20000) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) frames[i].style.height = height + "px";
    }
  });
})();
