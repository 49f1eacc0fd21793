// The gallery's "create a tenant" form (tenant-creation QA, item 2): says while the operator types whether the
// tenant name is free, and words the browser's own refusals in the page's language. Text only, never markup.
// The check answers 200 with {available, reason}: a refused name is an answer, not a failed request (a 409
// would log "Failed to load resource" in the console). A taken name blocks the submit like a format error, so
// the normal post only carries names the server is expected to take.
(function () {
  "use strict";
  var form = document.querySelector("#create-tenant form");
  if (!form) { return; }
  var input = form.querySelector("input[name=slug]");
  var status = document.getElementById("slug-status");
  var texts = JSON.parse(document.getElementById("create-tenant-texts").textContent);
  var checkUrl = form.getAttribute("data-slug-check");
  var timer = null, pending = null, checked = null, verdict = null;

  function say(text, ok) {
    status.textContent = text || "";
    status.className = ok ? "ok" : (text ? "error" : "");
  }
  function local() {  // what the browser itself can tell: empty, too short, wrong characters
    input.setCustomValidity("");
    var v = input.validity;
    if (v.valueMissing) { return texts.required; }
    if (v.patternMismatch || v.tooShort || v.tooLong) { return texts.format; }
    return "";
  }
  function apply() {
    var problem = local();
    if (!problem && checked === input.value && verdict && !verdict.available) { problem = verdict.reason; }
    input.setCustomValidity(problem);
    return problem;
  }
  function check() {
    var value = input.value;
    pending = fetch(checkUrl + "?slug=" + encodeURIComponent(value), {headers: {Accept: "application/json"},
                                                                     credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (value !== input.value) { return; }  // typed on meanwhile: a newer check follows
        checked = value;
        verdict = answer;
        var problem = apply();
        say(problem || (answer && answer.available ? texts.available : ""), !problem);
      })
      .catch(function () { verdict = null; })
      .then(function () { pending = null; });
    return pending;
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var problem = apply();
    say(input.value ? problem : "", false);
    if (!problem) { timer = setTimeout(check, 300); }
  });
  form.addEventListener("submit", function (event) {
    if (local() || checked === input.value) { apply(); return; }  // the browser shows the worded message
    event.preventDefault();  // the name was not checked yet: check, then submit or show why not
    clearTimeout(timer);
    (pending || check()).then(function () {
      if (checked !== input.value) { return check(); }
    }).then(function () {
      if (!apply()) { form.submit(); } else { input.reportValidity(); }
    });
  });
  apply();

  // The numbers box (QA fix-forms #3): no maxlength cutting a pasted list mid-number; the count of numbers is
  // shown as typed and more than the server's limit blocks the submit with the worded reason.
  var dids = form.querySelector("input[name=dids]");
  var didsCount = document.getElementById("dids-count");
  if (dids && didsCount) {
    var most = parseInt(didsCount.getAttribute("data-most"), 10);
    var used = didsCount.querySelector("[data-count-used]");
    var countDids = function () {
      var n = dids.value.split(/[,;\uff0c\uff1b\s]+/).filter(function (p) { return p; }).length;
      used.textContent = String(n);
      didsCount.className = n > most ? "error" : "";
      dids.setCustomValidity(n > most ? texts.too_many.replace("{count}", String(most)) : "");
    };
    dids.addEventListener("input", countDids);
    countDids();
  }
})();
