// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 48rem)");

  // The menu is open in the HTML; on a narrow screen it starts closed behind its "Meny" button.
  function fitMenu() {
    var menu = document.querySelector("details.menu");
    if (menu) { menu.open = !narrow.matches; }
  }

  // After a refused form, move the focus to its error summary so it is read out and in view.
  function focusErrors() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    fitMenu();
    focusErrors();
    narrow.addEventListener("change", fitMenu);
  });
})();
