// The campaign call's live state on the script runner (issue 13, 13b #4): polls the state until it is final,
// writes its label as text (never markup) and shows only the parts of the page that fit the state.
(function () {
  "use strict";
  var status = document.getElementById("call-state");
  if (!status) { return; }

  function show(actions) {
    document.querySelectorAll("[data-when]").forEach(function (node) {
      var wanted = node.getAttribute("data-when").split(" ");
      node.hidden = !wanted.some(function (action) { return actions.indexOf(action) >= 0; });
    });
  }

  function poll() {
    fetch(status.getAttribute("data-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (call) {
        if (!call) { window.setTimeout(poll, 3000); return; }
        status.textContent = call.label;
        status.setAttribute("data-state", call.state);
        status.setAttribute("data-group", call.group);
        show(call.actions);
        if (!call.final) { window.setTimeout(poll, call.poll_ms || 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  if (status.getAttribute("data-final") !== "1") {
    window.setTimeout(poll, Number(status.getAttribute("data-poll")) || 1000);
  }
})();
