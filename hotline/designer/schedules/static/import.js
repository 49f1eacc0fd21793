// A shift import's progress: polls the job's JSON until it is finished; text only, never markup.
(function () {
  "use strict";
  var box = document.getElementById("shift-import");
  if (!box) { return; }
  var labels = JSON.parse(document.getElementById("import-labels").textContent);
  function show(job) {
    box.querySelector("progress").value = job.percent;
    ["percent", "done", "total", "imported", "refused"].forEach(function (k) {
      box.querySelector('[data-k="' + k + '"]').textContent = String(job[k]);
    });
    box.querySelector('[data-k="status"]').textContent = labels[job.status] || job.status;
    var failure = box.querySelector('[data-k="failure"]');
    failure.textContent = job.failure || "";
    failure.hidden = !job.failure;
    box.querySelector('[data-k="more"]').hidden = !job.errors_not_shown;
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
        show(job);
        if (!job.finished) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.getAttribute("data-finished") !== "1") { poll(); }
})();
