// The contract form: add a row (a copy of the row <template> the server drew) and remove one.
// Plain script, no build step; no markup is built from text, so nothing a tenant typed becomes HTML.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var add = e.target.closest && e.target.closest("[data-add]");
    if (add) {
      var part = add.getAttribute("data-add");
      var template = document.getElementById("row-" + part);
      var rows = document.querySelector('tbody[data-rows="' + part + '"]');
      if (template && rows) {
        rows.appendChild(template.content.cloneNode(true));
        var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select");
        if (first) { first.focus(); }
      }
      return;
    }
    var remove = e.target.closest && e.target.closest("[data-remove]");
    if (remove) {
      var row = remove.closest("tr");
      if (row) { row.remove(); }
    }
  });
}());
