// Quality pages: a remark row stamped with the player's current time; the new-sheet form opens /sheets/<name>.
// No tenant data is put into HTML here: rows are cloned from a server-rendered <template>.
(function () {
  "use strict";
  var add = document.getElementById("add-remark");
  if (add) {
    add.addEventListener("click", function () {
      var player = document.getElementById("player");
      var row = document.getElementById("remark-row").content.firstElementChild.cloneNode(true);
      row.querySelector("input[name=remark_at]").value = player ? (Math.round(player.currentTime * 10) / 10) : 0;
      document.getElementById("remarks").appendChild(row);
      row.querySelector("input[name=remark_text]").focus();
    });
  }
  var sheet = document.getElementById("new-sheet");
  if (sheet) {
    sheet.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = sheet.querySelector("input[name=name]").value;
      window.location.href = sheet.getAttribute("data-action-base") + "/" + encodeURIComponent(name) + "?new=1";
    });
  }
})();
