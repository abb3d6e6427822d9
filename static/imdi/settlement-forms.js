// Settlement forms (no inline script under the Content-Security-Policy):
// - "Legg til person" adds a person row from the formset's empty form, up to the household bound; without
//   JavaScript the button posts the form and the server adds the row.
// - The error summary at the top of a form takes focus, so screen readers read it first.
(function () {
  "use strict";

  function initPersons() {
    var rows = document.getElementById("person-rows");
    var button = document.getElementById("add-person");
    var template = document.getElementById("person-template");
    if (!rows || !button || !template) return;
    var prefix = rows.getAttribute("data-prefix");
    var max = parseInt(rows.getAttribute("data-max"), 10);
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var status = document.getElementById("person-count");

    function sync() {
      var count = parseInt(total.value, 10);
      button.disabled = count >= max;
      status.textContent = count === 1 ? "1 person" : count + " personer" + (count >= max ? " (høyst " + max + ")" : "");
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      var count = parseInt(total.value, 10);
      if (count >= max) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(count)).replace(/__number__/g, String(count + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(count + 1);
      sync();
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
    sync();
  }

  function focusSummary() {
    var summary = document.getElementById("feilsammendrag");
    if (summary) summary.focus();
  }

  function init() { initPersons(); focusSummary(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
