/* The desk's presence timer, as text: how long the agent has been in the state, or what is left of a timed
   wrap-up. A wrap-up counted down from the server's wrap_until against a corrected browser clock showed
   "-0:03" (a minus sign, and an origin off by the clock skew; issue 11 QA, item 5). The countdown now starts
   from the server's own wrap_up_left, measured on the browser's clock from when the state arrived, and is
   never below 0:00 nor shown with a sign. Loaded before desk.js; node runs it in the tests. */
(function (root) {
  "use strict";

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }

  /* p: the presence as the server sent it; receivedAt / now: browser seconds; offset: server - browser. */
  function presenceTimer(p, receivedAt, now, offset) {
    if (p && p.state === "wrap_up" && typeof p.wrap_up_left === "number") {
      const left = Math.max(0, p.wrap_up_left - Math.max(0, now - receivedAt));
      return { text: clock(Math.ceil(left)), countdown: left > 0 };
    }
    const serverNow = now + (offset || 0);
    const since = p && p.since ? p.since : serverNow;
    return { text: clock(serverNow - since), countdown: false };
  }

  const api = { clock: clock, presenceTimer: presenceTimer };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.HotlineDeskTimer = api;
})(this);
