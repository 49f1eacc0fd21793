// Quality pages: a remark row stamped with the player's current time; a remark's time seeks the player there and
// plays (task 15a item 4); the new-sheet form opens /sheets/<name>.
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
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-seek]") : null;
    var player = document.getElementById("player");
    if (!button || !player) return;
    var at = parseFloat(button.getAttribute("data-seek"));
    if (!isFinite(at)) return;
    // The player fetches nothing until played (preload="none"): the position is kept and the play starts there.
    player.currentTime = at;
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () { /* the user may press play themselves */ });
  });
  var sheet = document.getElementById("new-sheet");
  if (sheet) {
    sheet.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = sheet.querySelector("input[name=name]").value;
      window.location.href = sheet.getAttribute("data-action-base") + "/" + encodeURIComponent(name) + "?new=1";
    });
  }
})();
