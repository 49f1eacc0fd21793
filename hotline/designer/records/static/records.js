// Records pages: coverage lookup and one-click notify on the directory page, progress of a customer import.
// Plain script, no build step: it only wires elements the server rendered.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function text(el, value) { if (el) { el.textContent = value; } }

  // Forms that ask first (delete): data-confirm holds the question; no inline handler (the CSP runs none).
  document.addEventListener("submit", function (e) {
    var question = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { e.preventDefault(); }
  }, true);

  function coverage(section) {
    var address = document.getElementById("coverage-address");
    var list = document.getElementById("coverage-matches");
    var name = document.getElementById("coverage-name");
    var phone = document.getElementById("coverage-phone");
    var entry = document.getElementById("coverage-entry");
    var notify = document.getElementById("coverage-notify");
    var ticket = document.getElementById("coverage-ticket");
    var result = document.getElementById("coverage-result");
    var timer = null, asked = 0;

    function choose(match) {
      name.value = match ? match.name : "";
      phone.value = match ? match.phone : "";
      entry.value = match ? match.entry_id : "";
      notify.disabled = !match;
    }

    function show(body) {
      list.replaceChildren();
      var all = body.best ? [body.best].concat(body.alternatives) : [];
      all.forEach(function (m, i) {
        var li = document.createElement("li");
        li.dataset.entry = m.entry_id;
        li.textContent = m.name + " " + m.phone + " · " + (m.branch || m.directory_label) + " · " + m.area;
        if (i === 0) { li.style.fontWeight = "bold"; }
        li.addEventListener("click", function () { choose(m); });
        list.appendChild(li);
      });
      if (!all.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = document.documentElement.lang === "en" ? "Nobody covers this address" : "没有找到负责该地址的人员";
        list.appendChild(none);
      }
      choose(body.best);
    }

    function lookup() {
      var value = address.value.trim();
      if (!value) { list.replaceChildren(); choose(null); return; }
      var mine = ++asked;
      fetch(section.dataset.lookup + "?address=" + encodeURIComponent(value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (body) { if (mine === asked && !body.error) { show(body); } });
    }

    address.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 200); });
    notify.addEventListener("click", function () {
      notify.disabled = true;
      var body = {entry_id: parseInt(entry.value, 10), address: address.value.trim()};
      if (ticket && ticket.value.trim()) { body.ticket = ticket.value.trim(); }
      fetch(section.dataset.notify, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify(body)})
        .then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
        .then(function (pair) {
          var status = pair[0], b = pair[1];
          if (status === 202) {
            result.replaceChildren();
            var a = document.createElement("a");
            a.href = b.url;
            a.textContent = "#" + b.notification_id + " → " + b.to + ": " + b.body;
            result.appendChild(a);
          } else {
            result.textContent = b.error || ("HTTP " + status);
          }
          notify.disabled = false;
        });
    });
    if (address.value.trim()) { lookup(); }
  }

  function importProgress(box) {
    function render(job) {
      box.dataset.status = job.status;
      ["status", "done", "total", "created", "merged", "skipped", "failure"].forEach(function (k) {
        var value = k === "status" ? (job.status_label || job.status) : job[k];
        text(box.querySelector('[data-k="' + k + '"]'), value === null ? "" : value);
      });
      var bar = box.querySelector('[data-testid="progress-bar"]');
      bar.style.width = job.percent + "%";
      bar.parentNode.setAttribute("aria-valuenow", job.percent);
      var body = box.querySelector('[data-testid="import-errors"] tbody');
      body.replaceChildren();
      job.errors.forEach(function (e) {
        var tr = document.createElement("tr");
        var line = document.createElement("td"), reason = document.createElement("td");
        line.className = "num";
        line.textContent = e.line;
        reason.textContent = e.reason;
        tr.appendChild(line);
        tr.appendChild(reason);
        body.appendChild(tr);
      });
    }
    function poll() {
      fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (job) {
        render(job);
        if (job.status === "queued" || job.status === "running") { setTimeout(poll, 700); }
      });
    }
    if (box.dataset.status === "queued" || box.dataset.status === "running") { poll(); }
  }

  var section = document.getElementById("coverage");
  if (section) { coverage(section); }
  var box = document.getElementById("import-job");
  if (box) { importProgress(box); }
})();
