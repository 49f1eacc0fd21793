/* Ticket pages: SLA countdowns, and the courier lookup by address (the records area's coverage API) with
   one-click notification. Plain JS, no build step. */
(function () {
  "use strict";
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function clock(seconds) {
    const s = Math.abs(Math.floor(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h + ":" + String(m).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
  }
  function countdowns() {
    for (const el of document.querySelectorAll("[data-due]")) {
      const left = (Date.parse(el.dataset.due) - Date.now()) / 1000;
      el.textContent = left >= 0 ? clock(left) : (el.dataset.overdueText || "overdue") + " " + clock(left);
      el.classList.toggle("overdue", left < 0);
    }
  }
  countdowns();
  setInterval(countdowns, 1000);

  // Ctrl+S (⌘S) saves the ticket form on the page instead of saving the page as a file (issue 16).
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "s" || e.key === "S")) {
      const target = document.getElementById("ticket-form");
      if (!target) return;
      e.preventDefault();
      if (typeof target.requestSubmit === "function") target.requestSubmit(); else target.submit();
    }
  });

  // Courier lookup: typing an address offers the covering couriers; picking one fills the directory
  // field and the phone field after it; "notify" sends the courier an SMS through the records API.
  const form = document.getElementById("ticket-form");
  if (!form) return;
  const directoryField = form.querySelector('[data-widget="directory"]');
  const phoneAfter = directoryField ? findPhoneAfter(directoryField) : null;
  let chosen = null;

  function findPhoneAfter(field) {
    const all = Array.from(form.querySelectorAll('[data-widget="phone"]'));
    return all.find((el) => field.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) || null;
  }

  async function lookup(input) {
    const box = form.querySelector('[data-lookup-for="' + input.name + '"]');
    const address = input.value.trim();
    if (!box || address.length < 2) { if (box) box.hidden = true; return; }
    const params = new URLSearchParams({ address: address });
    if (directoryField && directoryField.dataset.directory) params.set("directory", directoryField.dataset.directory);
    const response = await fetch("/records/api/coverage?" + params, { credentials: "same-origin" });
    if (!response.ok) { box.hidden = true; return; }
    const data = await response.json();
    const rows = [data.best].concat(data.alternatives || []).filter(Boolean);
    box.textContent = "";
    for (const row of rows) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "coverage-choice";
      button.dataset.entry = row.entry_id;
      button.textContent = row.name + " " + row.phone + " · " + (row.branch || "") + " (" + row.area + ")";
      button.addEventListener("click", () => choose(row, box));
      box.append(button);
    }
    box.hidden = rows.length === 0;
  }

  function choose(row, box) {
    chosen = row;
    if (directoryField) directoryField.value = row.name;
    if (phoneAfter) phoneAfter.value = row.phone;
    box.textContent = "";
    const notify = document.createElement("button");
    notify.type = "button";
    notify.className = "notify-courier";
    notify.textContent = (box.dataset.notifyText || "通知业务员") + " " + row.name;
    const status = document.createElement("span");
    status.className = "notify-status";
    notify.addEventListener("click", () => notifyCourier(status));
    box.append(notify, status);
  }

  async function notifyCourier(status) {
    if (!chosen) return;
    const number = document.getElementById("ticket-number");
    const address = form.querySelector('[data-widget="address"]');
    const body = { entry_id: chosen.entry_id, address: address ? address.value : "" };
    if (number) body.ticket = number.textContent.trim();
    const response = await fetch("/records/api/coverage/notify", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify(body),
    });
    const data = await response.json();
    status.textContent = response.ok ? "✓ " + data.to : (data.error || response.statusText);
  }

  let timer = null;
  for (const input of form.querySelectorAll('[data-widget="address"]')) {
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => lookup(input), 250); });
  }
})();
