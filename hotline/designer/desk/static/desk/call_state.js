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

  var finalSeen = false;

  function poll() {
    fetch(status.getAttribute("data-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (call) {
        if (!call) { window.setTimeout(poll, 3000); return; }
        status.textContent = call.label;
        status.setAttribute("data-state", call.state);
        status.setAttribute("data-group", call.group);
        show(call.actions);
        // the header's presence follows the agent's ACD state (ringing, on a call) as the desk's stream does
        if (call.presence && window.HotlineUI) { window.HotlineUI.showPresence(call.presence); }
        if (!call.final) { window.setTimeout(poll, call.poll_ms || 1000); }
        else if (!finalSeen) { finalSeen = true; window.setTimeout(poll, 3000); } // the wrap-up that follows
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  if (status.getAttribute("data-final") !== "1") {
    window.setTimeout(poll, Number(status.getAttribute("data-poll")) || 1000);
  }
})();
