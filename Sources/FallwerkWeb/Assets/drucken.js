// The print button on the invoice (and other printable pages): a shipped file, as the CSP allows no
// inline script. Progressive enhancement: without it the page says "Drucken: Strg+P".
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
