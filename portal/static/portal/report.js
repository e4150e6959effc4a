// The monthly report's "Print or save as PDF" button. Without JavaScript the button stays
// hidden and the browser's own Print command does the same thing.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
