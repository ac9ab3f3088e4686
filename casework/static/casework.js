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
  // It waits for the load and a frame: Chromium clears the focus when it scrolls to the URL's
  // fragment (the form's own box), which is not focusable.
  function focusErrors() {
    var summary = document.querySelector(".error-summary");
    if (summary) { requestAnimationFrame(function () { summary.focus(); }); }
  }

  // A table (or its wrapper) that scrolls sideways inside the page can be scrolled by keyboard:
  // it takes the focus (Chromium does this by itself since version 130, other browsers may not).
  function focusableScrollers() {
    document.querySelectorAll("main table, main .report-table").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
      if (!scrolls && box.getAttribute("tabindex") === "0") { box.removeAttribute("tabindex"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fitMenu();
    focusableScrollers();
    narrow.addEventListener("change", fitMenu);
    window.addEventListener("resize", focusableScrollers);
  });
  window.addEventListener("load", focusErrors);
})();
