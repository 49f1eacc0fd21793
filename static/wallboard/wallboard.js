// The supervisor wallboard: renders the figures (boot JSON, then every "figures" server-sent event).
// Plain DOM, no build step. Every figure and colour comes from the server; this file only lays them out.
(function () {
  "use strict";
  var boot = JSON.parse(document.getElementById("wallboard-boot").textContent);
  var T = JSON.parse(document.getElementById("wallboard-text").textContent);
  var root = document.getElementById("wallboard");
  var $ = function (sel) { return root.querySelector(sel); };
  var t = function (key) { return T[key] || key; };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function clock(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    var s = Math.round(seconds), m = Math.floor(s / 60), h = Math.floor(m / 60);
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + two(m % 60) + ":" + two(s % 60) : m + ":" + two(s % 60);
  }
  function pct(value) { return value === null || value === undefined ? "—" : value.toFixed(1) + "%"; }

  var METRIC_TEXT = {
    waiting: function (f) { return String(f.waiting); },
    longest_wait: function (f) { return clock(f.longest_wait); },
    service_level: function (f) { return pct(f.service_level); },
    abandon_rate: function (f) { return pct(f.abandon_rate); },
    asa: function (f) { return clock(f.asa); }
  };
  var METRIC_LABEL = {
    waiting: "Calls waiting", longest_wait: "Longest wait", service_level: "Service level",
    abandon_rate: "Abandon rate", asa: "Average speed of answer"
  };

  function metric(name, figures, big) {
    var colour = (figures.colours || {})[name] || "none";
    return el("div", {cls: "wb-metric c-" + colour + (big ? " big" : ""), "data-testid": "metric-" + name,
                      "data-colour": colour}, [
      el("span", {cls: "wb-value", "data-testid": "value-" + name, text: METRIC_TEXT[name](figures)}),
      el("span", {cls: "wb-label", text: t(METRIC_LABEL[name])})
    ]);
  }

  function plain(label, value, testid, title) {
    var attrs = {cls: "wb-metric c-none", "data-testid": testid};
    if (title) attrs.title = title;
    return el("div", attrs, [
      el("span", {cls: "wb-value", "data-testid": "value-" + testid, text: value}),
      el("span", {cls: "wb-label", text: label})
    ]);
  }

  // The reports keep calls abandoned within the tenant's short-abandon threshold out of 放弃 and the abandon
  // rate; the board shows them as their own figure, named with the threshold, so the two can be reconciled.
  function withSeconds(key, seconds) { return t(key).replace("{n}", String(seconds)); }

  function counts(figures, seconds) {
    return el("div", {cls: "wb-counts"}, [
      plain(t("Offered"), String(figures.offered), "offered"),
      plain(t("Answered"), String(figures.answered), "answered"),
      plain(t("Abandoned"), String(figures.abandoned), "abandoned"),
      plain(withSeconds("Short abandons (≤ {n} s)", seconds), String(figures.abandoned_short), "abandoned_short",
            withSeconds("Hung up within {n} s of queueing: not counted as abandoned nor in the abandon rate, " +
                        "as in the reports.", seconds)),
      plain(t("Average handle time"), clock(figures.aht), "aht")
    ]);
  }

  function stateBar(agents, states) {
    return el("div", {cls: "wb-states"}, states.map(function (s) {
      return el("span", {cls: "wb-state s-" + s, "data-testid": "agents-" + s},
                [el("b", {text: String(agents[s] || 0)}), document.createTextNode(" " + t(s))]);
    }));
  }

  // Listen in / whisper / barge (监听/密语/强插) on an agent's call, for roles that may (boot.live is null
  // otherwise): posts to quality/live.py, which rings the supervisor's own phone and joins the call.
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  function liveButtons(a) {
    if (!boot.live) return null;
    return el("span", {cls: "wb-live"}, boot.live.modes.map(function (m) {
      var button = el("button", {type: "button", "data-testid": m[0] + "-" + a.id, text: m[1]});
      button.addEventListener("click", function () { joinCall(a.id, m[0]); });
      return button;
    }));
  }
  function joinCall(agent, mode) {
    var result = $("[data-testid=live-result]");
    var url = boot.live.url.replace("AGENT", encodeURIComponent(agent)).replace("MODE", mode);
    var body = new URLSearchParams({csrf_token: csrf});
    fetch(url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf}, body: body})
      .then(function (response) {
        return response.text().then(function (html) {
          if (response.ok) { result.textContent = boot.live.joined; result.setAttribute("data-state", "joined"); return; }
          // the endpoint answers with its page; its problem line says why (not on a call, no extension, switch down)
          var doc = new DOMParser().parseFromString(html, "text/html");
          var problem = doc.querySelector("[data-testid=problems]");
          result.textContent = problem ? problem.textContent : response.statusText;
          result.setAttribute("data-state", "error");
        });
      });
  }

  function render(f) {
    var totals = $("[data-testid=totals]");
    totals.replaceChildren(el("div", {cls: "wb-tile total", "data-testid": "tile-total"}, [
      el("h3", {text: t("Whole tenant")}),
      el("div", {cls: "wb-metrics"}, Object.keys(METRIC_TEXT).map(function (m) { return metric(m, f.totals, true); })),
      counts(f.totals, f.short_abandon_seconds),
      stateBar(f.totals.agents, f.states)
    ]));

    var queues = $("[data-testid=queues]");
    queues.replaceChildren.apply(queues, f.queues.length ? f.queues.map(function (q) {
      return el("div", {cls: "wb-tile", "data-testid": "queue-" + q.name, "data-queue": q.name}, [
        el("h3", {text: q.label}, [el("small", {text: " " + t("Target") + " " + q.target_seconds + " " + t("seconds")})]),
        el("div", {cls: "wb-metrics"}, Object.keys(METRIC_TEXT).map(function (m) { return metric(m, q, m === "waiting"); })),
        counts(q, f.short_abandon_seconds),
        stateBar(q.agents, f.states)
      ]);
    }) : [el("p", {text: t("No queues yet")})]);

    var agents = $("[data-testid=agents]");
    agents.replaceChildren.apply(agents, f.agents.length ? f.agents.map(function (a) {
      return el("div", {cls: "wb-agent s-" + a.state, "data-testid": "agent-" + a.id, "data-state": a.state}, [
        el("b", {text: a.name}),
        el("span", {text: t(a.state) + (a.reason ? " · " + t(a.reason) : "")}),
        el("span", {cls: "wb-since", text: clock(a.seconds_in_state)}),
        // no extension: the switch rings no phone of this agent, so there is no call leg to listen in on
        a.extension ? null : el("span", {cls: "wb-no-extension", "data-testid": "no-extension-" + a.id,
                                         title: t("No extension: no phone call to listen in on."),
                                         text: t("No extension")}),
        a.state === "on_call" && a.extension ? liveButtons(a) : null
      ]);
    }) : [el("p", {text: t("No agents signed in")})]);

    $("[data-testid=live-error]").hidden = f.live.available;
    $("[data-testid=updated]").textContent = t("updated") + " " + f.generated_local;
    root.setAttribute("data-generated", f.generated_at);
  }

  render(boot.figures);
  var status = $("[data-testid=live-status]");
  if (!window.EventSource) return;
  var source = new EventSource(boot.events);
  source.addEventListener("figures", function (event) { render(JSON.parse(event.data)); });
  source.onopen = function () { status.textContent = t("Live"); status.className = "wb-status on"; };
  source.onerror = function () { status.textContent = t("Reconnecting…"); status.className = "wb-status off"; };
})();
