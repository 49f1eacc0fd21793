/* The agent desk: presence buttons, live call state over SSE, screen pop panel, knowledge-base search.
   Plain JS, no build step. Texts come translated from the page (data-texts). */
(function () {
  "use strict";
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const root = document.getElementById("desk");
  const pop = document.getElementById("pop");
  const texts = root ? JSON.parse(root.dataset.texts || "{}") : {};
  // {queue code: recording mode}, "" for the tenant's default (desk/workspace.py)
  const recordModes = root ? JSON.parse(root.dataset.recordModes || "{}") : {};
  let recordedCall = null;
  const t = (key) => texts[key] || key;
  const $ = (id) => document.getElementById(id);
  let clockOffset = 0; // server time - browser time, seconds
  let presence = null;
  let call = null;
  let poppedCall = null;
  let presenceAt = 0; // browser seconds when the presence arrived (the wrap-up countdown's origin)
  const timer = window.HotlineDeskTimer;
  const clock = timer.clock;
  const now = () => Date.now() / 1000 + clockOffset;

  function tick() {
    if (presence && $("presence-timer")) {
      // A timed wrap-up counts down to its end (timer.js); every other state counts up from when it began.
      const shown = timer.presenceTimer(presence, presenceAt, Date.now() / 1000, clockOffset);
      $("presence-timer").textContent = shown.text;
      $("presence-timer").classList.toggle("countdown-live", shown.countdown);
    }
    if (call && call.since && $("call-timer")) $("call-timer").textContent = clock(now() - call.since);
  }

  function showPresence(p) {
    presence = p;
    presenceAt = Date.now() / 1000;
    if (p.server_time) clockOffset = p.server_time - Date.now() / 1000;
    const el = $("presence-state");
    if (!el) return;
    el.textContent = t(p.state || "offline");
    el.className = "state state-" + (p.state || "offline");
    el.dataset.state = p.state || "offline";
    $("presence-reason").textContent = p.reason ? "(" + t(p.reason) + ")" : "";
    if (window.HotlineUI) window.HotlineUI.showPresence(p.state || "offline");
    $("other-tenant").hidden = !p.other_tenant_call;
    tick();
  }

  async function setPresence(state) {
    const body = { state: state };
    if (state === "break") body.reason = $("break-reason").value;
    $("presence-error").textContent = "";
    const response = await fetch("/desk/api/presence", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) { $("presence-error").textContent = data.error || response.statusText; return; }
    showPresence(data.presence);
  }

  function showCall(c) {
    if (!$("call-state")) return;
    const state = c ? c.state : "idle";
    $("call-state").textContent = c ? t(state) : t("Waiting for calls…");
    $("call-state").className = "state state-" + state;
    $("call-state").dataset.state = state;
    showRecord(c, state);
    if (!c) { call = null; $("call-timer").textContent = ""; clearAlert(); return; }
    if (state === "ringing" || state === "talking") alertNewCall(c); else clearAlert();
    if (!call || call.call !== c.call || call.state !== state) call = Object.assign({}, c, { since: now() });
    if (state === "ended") call.since = null;
    $("call-caller").textContent = c.caller || "—";
    const names = (c.customers || []).map((x) => x.name).join(", ");
    $("call-customer").textContent = names || (c.caller ? t("Unknown caller") : "—");
    $("call-queue").textContent = c.queue || "—";
    $("call-path").textContent = (c.path || []).join(" → ") || "—";
    // Only what the caller entered, by its label (QA of issue 11, item 4): never code names or defaults.
    const vars = (c.entered || []).map((x) => x.label + "：" + x.value);
    $("call-variables").textContent = vars.join(", ") || "—";
    // The pop opens when the call is bridged to the agent (talking), once per call.
    if (state === "talking" && c.call !== poppedCall && c.pop_url) {
      poppedCall = c.call;
      loadPop(c.pop_url);
    }
  }

  // On-demand recording (按需录音): offered while talking on a call whose queue (else the tenant) records on demand.
  function recordMode(c) {
    const queue = c && c.queue_name;
    return (queue && recordModes[queue]) || recordModes[""] || "never";
  }
  function showRecord(c, state) {
    const button = $("record-call");
    if (!button) return;
    const talking = c && c.call && (state === "talking" || state === "held");
    button.hidden = !(talking && recordMode(c) === "on_demand");
    button.disabled = !!(c && recordedCall === c.call);
    if (!c || (recordedCall && c.call !== recordedCall)) { $("record-status").textContent = ""; }
  }
  async function startRecording() {
    if (!call || !call.call) return;
    const button = $("record-call");
    button.disabled = true;
    $("record-status").textContent = t("Recording…");
    const response = await fetch("/quality/api/calls/" + encodeURIComponent(call.call) + "/record", {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf },
    });
    let data = {};
    try { data = await response.json(); } catch (err) { data = {}; }
    if (response.status === 202) {
      recordedCall = call.call;
      $("record-status").textContent = t("Recording started");
      $("record-status").dataset.state = "recording";
    } else {
      button.disabled = false;
      $("record-status").textContent = data.error || response.statusText;
      $("record-status").dataset.state = "error";
    }
  }

  // The pop panel is the server's own markup (tenant data in it is escaped by the template). It is parsed in
  // an inert document (nothing runs or loads there) and cleaned before it joins the page, so a slip in a
  // template still cannot run a script or a handler here; the Content-Security-Policy is the wall behind.
  const UNSAFE_ELEMENTS = "script, iframe, frame, object, embed, base, meta, link, style, template, svg, math";
  const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "srcdoc", "data"];
  function inertNodes(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    doc.body.querySelectorAll(UNSAFE_ELEMENTS).forEach((node) => node.remove());
    for (const el of doc.body.querySelectorAll("*")) {
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        const scripted = URL_ATTRIBUTES.includes(name) && /^\s*(javascript|data|vbscript):/i.test(attr.value);
        if (name.startsWith("on") || name === "srcdoc" || scripted) el.removeAttribute(attr.name);
      }
    }
    return Array.from(doc.body.childNodes);
  }

  async function loadPop(url, init) {
    if (!pop) { window.location = url; return; }
    const sep = url.indexOf("?") >= 0 ? "&" : "?";
    const response = await fetch(url + sep + "partial=1", Object.assign({ credentials: "same-origin" }, init || {}));
    pop.replaceChildren(...inertNodes(await response.text()));
    if (window.HotlineCounters) window.HotlineCounters.bind(pop); // the add-customer form's limits (counter.js)
    pop.dataset.loadedAt = String(Date.now());
  }

  function connect() {
    if (!root || root.dataset.takesCalls !== "1" || !window.EventSource) return;
    const source = new EventSource("/desk/events");
    source.addEventListener("presence", (e) => showPresence(JSON.parse(e.data)));
    source.addEventListener("call", (e) => showCall(JSON.parse(e.data)));
  }

  document.addEventListener("click", (e) => {
    if (e.target.closest("#record-call")) { e.preventDefault(); startRecording(); return; }
    const button = e.target.closest("[data-presence]");
    if (button) { e.preventDefault(); setPresence(button.dataset.presence); return; }
    const link = e.target.closest("a[data-pop-link]");
    if (link && pop && root) { e.preventDefault(); loadPop(link.getAttribute("href")); }
  });

  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (form.id === "manual-pop" && root) {
      e.preventDefault();
      loadPop(form.action + "?" + new URLSearchParams(new FormData(form)).toString());
    } else if (form.matches("[data-pop-form]") && root) {
      e.preventDefault();
      const data = new FormData(form);
      data.set("partial", "1");
      loadPop(form.action, { method: "POST", body: data, headers: { "X-CSRFToken": csrf } });
    } else if (form.id === "kb-search") {
      e.preventDefault();
      searchArticles(new FormData(form).get("q"));
    }
  });

  async function searchArticles(q) {
    const list = $("kb-results");
    list.textContent = "";
    const response = await fetch("/records/api/articles?" + new URLSearchParams({ q: q }), { credentials: "same-origin" });
    if (!response.ok) { list.textContent = response.status === 404 ? "—" : response.statusText; return; }
    for (const article of (await response.json()).articles || []) {
      const item = document.createElement("li");
      const a = document.createElement("a");
      a.href = article.url; a.target = "_blank"; a.rel = "noopener"; a.textContent = article.title;
      const snippet = document.createElement("div");
      snippet.className = "muted"; snippet.textContent = article.snippet || "";
      item.append(a, snippet);
      list.append(item);
    }
  }

  // ---- A new call: a beep the agent hears (WebAudio, no sound file) and a banner they see (issue 16) ----
  let audio = null;
  let alertedCall = null;
  const title = document.title;
  function unlockAudio() {
    // Browsers start audio only after a gesture: the first click or key on the page creates the context.
    if (audio || !(window.AudioContext || window.webkitAudioContext)) return;
    audio = new (window.AudioContext || window.webkitAudioContext)();
  }
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  document.addEventListener("keydown", unlockAudio, { once: true });

  function beep() {
    if (!audio) return false;
    if (audio.state === "suspended") audio.resume();
    const start = audio.currentTime + 0.02;
    for (let i = 0; i < 3; i += 1) { // three short 880 Hz tones, like a desk phone
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.3, start + i * 0.35 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + i * 0.35);
      osc.stop(start + i * 0.35 + 0.26);
    }
    return true;
  }

  function alertNewCall(c) {
    if (!root || c.call === alertedCall) return;
    alertedCall = c.call;
    const banner = $("call-alert");
    banner.querySelector("[data-caller]").textContent = c.caller || t("Unknown caller");
    banner.hidden = false;
    $("call-panel").classList.add("desk-call-alert");
    document.title = "【" + t("Incoming call") + "】" + title;
    root.dataset.alerts = String(Number(root.dataset.alerts || 0) + 1);
    if (beep()) root.dataset.beeps = String(Number(root.dataset.beeps || 0) + 1);
  }

  function clearAlert() {
    const banner = $("call-alert");
    if (banner) banner.hidden = true;
    if ($("call-panel")) $("call-panel").classList.remove("desk-call-alert");
    document.title = title;
  }

  // ---- Keyboard: presence, answer-time actions (listed on the page, #desk-keys) ----
  function newTicketLink(index) {
    const links = pop ? pop.querySelectorAll("a.new-ticket") : [];
    return links[index] || null;
  }
  const KEYS = {
    F2: () => setPresence("available"),
    F3: () => setPresence("break"),
    F4: () => setPresence("wrap_up"),
    F9: () => setPresence("offline"),
    F8: () => { if (call && call.pop_url) loadPop(call.pop_url); else if ($("manual-pop")) $("manual-pop").querySelector("input").focus(); },
    Escape: () => clearAlert(),
  };
  document.addEventListener("keydown", (e) => {
    if (!root) return;
    const presenceKey = ["F2", "F3", "F4", "F9"].includes(e.key);
    if (presenceKey && root.dataset.takesCalls !== "1") return;
    if (KEYS[e.key] && !e.ctrlKey && !e.altKey && !e.metaKey) {
      if (e.key !== "Escape") e.preventDefault();
      KEYS[e.key]();
      return;
    }
    // Alt+N: a new ticket of the first form offered in the screen pop; Alt+1…9: of the n-th one.
    if (e.altKey && !e.ctrlKey && !e.metaKey) {
      const index = e.code === "KeyN" ? 0 : (/^Digit[1-9]$/.test(e.code) ? Number(e.code.slice(5)) - 1 : -1);
      const link = index >= 0 ? newTicketLink(index) : null;
      if (link) { e.preventDefault(); clearAlert(); window.open(link.href, "_blank", "noopener"); }
    }
  });

  setInterval(tick, 1000);
  connect();
})();
