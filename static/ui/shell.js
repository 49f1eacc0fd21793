/* The application shell's behaviour on every server-drawn page: toasts (HotlineUI.toast), the agent's
   presence in the top bar, and the user menu closing on Escape or an outside click. Plain JS, no build. */
(function () {
  "use strict";
  const script = document.currentScript;
  const presenceTexts = JSON.parse((script && script.dataset.presenceTexts) || "{}");

  /** A short message at the top of the window (antd's `message`): text only, never markup. */
  function toast(text, kind, seconds) {
    const box = document.getElementById("hl-toasts");
    if (!box) return null;
    const item = document.createElement("div");
    item.className = "hl-toast hl-toast-" + (kind || "info");
    item.textContent = String(text);
    box.append(item);
    setTimeout(() => item.remove(), (seconds || 4) * 1000);
    return item;
  }

  /** Shows the agent's presence in the shell; the desk calls it on every change it hears. */
  function showPresence(state) {
    const pill = document.getElementById("hl-presence");
    if (!pill || !state) return;
    pill.dataset.state = state;
    document.getElementById("hl-presence-state").textContent = presenceTexts[state] || state;
  }

  async function pollPresence() {
    try {
      const response = await fetch("/desk/api/state", { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      if (data.presence) showPresence(data.presence.state);
    } catch (e) { /* offline or the desk unavailable: the pill keeps what it showed */ }
  }

  window.HotlineUI = { toast: toast, showPresence: showPresence };
  // The desk streams its presence (desk.js); elsewhere the shell asks now and then.
  if (document.getElementById("hl-presence") && !document.getElementById("desk")) {
    pollPresence();
    setInterval(pollPresence, 30000);
  }
  const menu = document.getElementById("hl-user");
  if (menu) {
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") menu.open = false; });
    document.addEventListener("click", (e) => { if (!menu.contains(e.target)) menu.open = false; });
  }
})();
