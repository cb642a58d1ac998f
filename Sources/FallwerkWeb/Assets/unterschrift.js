// Signing the service record sheet on a tablet or phone (R15): draw with finger or pen.
// Progressive enhancement: without this file the form records the signature status only.
(function () {
  "use strict";
  var pad = document.getElementById("signature-pad");
  if (!pad) return;
  var canvas = pad.querySelector("canvas");
  var field = document.getElementById("drawing");
  var form = field.form;
  var context = canvas.getContext("2d");
  var drawing = false, drawn = false, last = null, shownWidth = 0;
  pad.hidden = false;

  // The field follows the screen: turning a phone or tablet changes its width. The drawing surface is
  // sized again then (else strokes land beside the finger or are cut off), and what is already drawn
  // is scaled along.
  function size() {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth;
    if (!width || width === shownWidth) return;
    var before = null;
    if (drawn) {
      before = document.createElement("canvas");
      before.width = canvas.width;
      before.height = canvas.height;
      before.getContext("2d").drawImage(canvas, 0, 0);
    }
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(width * 0.4 * ratio);
    canvas.style.height = Math.round(width * 0.4) + "px";
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#1b2430";
    if (before) context.drawImage(before, 0, 0, before.width, before.height, 0, 0, width, width * 0.4);
    shownWidth = width;
  }
  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    last = point(event);
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    var next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    drawn = true;
    event.preventDefault();
  });
  function stop() { drawing = false; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  document.getElementById("signature-clear").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    field.value = "";
  });
  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });
  window.addEventListener("resize", size);
  size();
})();
