// An import's progress (contacts, shifts …): polls the job's JSON until it is finished; text only, never markup.
// One script for every import page: the box marked data-import-progress names its figures with data-k (any of
// the job's fields), and "status", "failure" and "more" (refused lines not listed) are worded or shown here.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) { return; }
  var labels = JSON.parse(document.getElementById("import-labels").textContent);
  function show(job) {
    box.querySelector("progress").value = job.percent;
    box.querySelectorAll("[data-k]").forEach(function (el) {
      var k = el.getAttribute("data-k");
      if (k === "status") { el.textContent = labels[job.status] || job.status; }
      else if (k === "failure") { el.textContent = job.failure || ""; el.hidden = !job.failure; }
      else if (k === "more") { el.hidden = !job.errors_not_shown; }
      else if (Object.prototype.hasOwnProperty.call(job, k)) { el.textContent = String(job[k]); }
    });
    var body = box.querySelector("tbody");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    job.errors.forEach(function (e) {
      var row = document.createElement("tr");
      [String(e.line), e.reason].forEach(function (text) {
        var cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
  }
  function poll() {
    fetch(box.getAttribute("data-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        // a job that failed while the page watched it: the server draws its retry button (with the form's token)
        if (job.retryable && !document.querySelector('[data-testid="retry-form"]')) { window.location.reload(); return; }
        show(job);
        if (!job.finished) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.getAttribute("data-finished") !== "1") { poll(); }
})();
