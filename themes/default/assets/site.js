/*
 * Jiyue default theme: progressive enhancement only. Nothing here is needed to read or navigate
 * a page; without JavaScript the print buttons stay hidden (Ctrl+P prints, the print stylesheet
 * applies either way).
 */
(function () {
  'use strict';
  var buttons = document.querySelectorAll('[data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () {
      window.print();
    });
  }
})();
