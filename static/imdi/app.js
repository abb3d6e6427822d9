// The main menu collapses behind a "Meny" button at narrow widths. Without JavaScript the menu
// simply stays open, so nothing depends on this file.
(function () {
  "use strict";
  var NARROW = window.matchMedia("(max-width: 60rem)");

  function init() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".nav-toggle");
    if (!toggle) return;

    function set(open) {
      header.setAttribute("data-nav", open ? "open" : "closed");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }

    function sync() {
      toggle.hidden = !NARROW.matches;
      set(!NARROW.matches);
    }

    toggle.addEventListener("click", function () {
      set(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && NARROW.matches && toggle.getAttribute("aria-expanded") === "true") {
        set(false);
        toggle.focus();
      }
    });
    if (NARROW.addEventListener) NARROW.addEventListener("change", sync);
    sync();
  }

  // Wide tables scroll inside their own container instead of widening the page. A container that
  // scrolls can take keyboard focus (tabindex), so keyboard users can scroll it too.
  function wrapTables() {
    var boxes = [];
    document.querySelectorAll("main table").forEach(function (table) {
      var parent = table.parentElement;
      if (parent.classList.contains("table-scroll")) { boxes.push(parent); return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      parent.insertBefore(box, table);
      box.appendChild(table);
      boxes.push(box);
    });
    function mark() {
      boxes.forEach(function (box) {
        if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
        else box.removeAttribute("tabindex");
      });
    }
    mark();
    window.addEventListener("resize", mark);
  }

  function start() { init(); wrapTables(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
