// Live progress of one campaign: figures pushed over server-sent events, written with textContent only
// (tenant data never becomes markup).
(function () {
  "use strict";
  var boot = JSON.parse(document.getElementById("campaign-boot").textContent);
  var state = document.getElementById("campaign-live-state");
  function pct(value) { return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%"; }
  function get(obj, path) {
    return path.split(".").reduce(function (o, k) { return o === null || o === undefined ? o : o[k]; }, obj);
  }
  function show(figures) {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var value = get(figures, el.getAttribute("data-figure"));
      el.textContent = el.hasAttribute("data-percent") ? pct(value) : (value === null || value === undefined ? "—" : String(value));
    });
    var bar = document.getElementById("campaign-progress");
    if (bar) { bar.value = figures.done_ratio * 100; }
  }
  show(boot.figures);
  if (!window.EventSource) { return; }
  var source = new EventSource(boot.events);
  source.addEventListener("progress", function (event) {
    show(JSON.parse(event.data));
    if (state) { state.textContent = state.getAttribute("data-live"); }
  });
  source.onerror = function () { if (state) { state.textContent = state.getAttribute("data-reconnecting"); } };
})();
