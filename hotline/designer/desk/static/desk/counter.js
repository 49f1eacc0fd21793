/* The live counter under a bounded input ("12/50 字（上限）", desk/counter.py): it follows what the agent types
   and marks the limit, so reaching it is seen rather than the browser silently dropping further characters.
   One script for every desk page; the workspace calls HotlineCounters.bind(panel) after loading the pop panel. */
(function () {
  "use strict";

  function bind(root) {
    for (const counter of (root || document).querySelectorAll("[data-count-for]")) {
      const input = document.getElementById(counter.dataset.countFor);
      const used = counter.querySelector("[data-count-used]");
      if (!input || !used || counter.dataset.countBound) continue;
      counter.dataset.countBound = "1";
      const most = Number(input.getAttribute("maxlength")) || 0;
      const update = () => {
        used.textContent = String(input.value.length);
        counter.classList.toggle("tf-count-full", most > 0 && input.value.length >= most);
      };
      const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(counter.id)) input.setAttribute("aria-describedby", [...described, counter.id].join(" "));
      input.addEventListener("input", update);
      update();
    }
  }

  window.HotlineCounters = { bind: bind };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => bind(document));
  else bind(document);
})();
