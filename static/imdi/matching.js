// Utsøking: each municipality's "(N ledige)" follows the rows as they are edited, and an overbooked
// municipality is named above the table before anything is sent (the server checks again on send).
(function () {
  "use strict";

  function init() {
    var table = document.getElementById("matching-rows");
    if (!table) return;
    var selects = Array.prototype.slice.call(table.querySelectorAll("select[data-size]"));
    var notice = document.getElementById("overbooked");

    function update() {
      var used = {}, free = {}, names = {};
      selects.forEach(function (select) {
        Array.prototype.forEach.call(select.options, function (option) {
          if (option.value) { free[option.value] = parseInt(option.getAttribute("data-free"), 10); names[option.value] = option.getAttribute("data-name"); }
        });
        if (select.value) used[select.value] = (used[select.value] || 0) + parseInt(select.getAttribute("data-size"), 10);
      });
      var over = [];
      Object.keys(used).forEach(function (id) {
        if (used[id] > free[id]) over.push(names[id] + ": " + used[id] + " personer, " + free[id] + " ledige plasser");
      });
      selects.forEach(function (select) {
        Array.prototype.forEach.call(select.options, function (option) {
          if (!option.value) return;
          option.textContent = names[option.value] + " (" + (free[option.value] - (used[option.value] || 0)) + " ledige)";
        });
        var bad = select.value && used[select.value] > free[select.value];
        if (bad) select.setAttribute("aria-invalid", "true"); else select.removeAttribute("aria-invalid");
      });
      if (notice) {
        notice.hidden = over.length === 0;
        notice.textContent = over.length ? "Overbooket: " + over.join("; ") + "." : "";
      }
    }

    table.addEventListener("change", function (event) {
      if (event.target.matches("select[data-size]")) update();
    });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
