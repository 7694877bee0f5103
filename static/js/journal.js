// Journal autosave: never lose a word.
// The text is sent to the server as a draft a few seconds after typing stops,
// with a revision number (a stale tab gets 409 and overwrites nothing). When
// the network is down the text stays on the page and is saved once it returns.
// Nothing is ever written to browser storage.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form || !window.fetch || !window.FormData) { return; }

  var autosaveUrl = form.getAttribute("data-autosave-url");
  // Not form.action: the submit buttons are named "action", which shadows that property.
  var submitUrl = form.getAttribute("action");
  var statusEl = document.getElementById("save-status");
  var conflictEl = document.getElementById("draft-conflict");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var DEBOUNCE_MS = 2000;
  var RETRY_MS = 10000;
  var timer = null;
  var inFlight = false;
  var dirty = false;
  var pendingSubmit = null;
  var conflict = false;

  function say(key) {
    if (statusEl) {
      statusEl.textContent = statusEl.getAttribute("data-" + key) || "";
      statusEl.setAttribute("data-state", key);
    }
  }

  function headers() {
    return { "X-CSRFToken": csrf, "X-Requested-With": "fetch", "Accept": "application/json" };
  }

  function formData(submitter) {
    var data = new FormData(form);
    data.delete("action");
    if (submitter && submitter.name) { data.set(submitter.name, submitter.value); }
    return data;
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(saveDraft, delay);
  }

  function leave(url) {
    // Everything is on the server now: leave without the "unsaved changes" prompt.
    dirty = false;
    pendingSubmit = null;
    window.location.assign(url);
  }

  function goToLogin(response) {
    say("signed-out");
    dirty = false;
    var target = response.headers.get("HX-Redirect");
    window.setTimeout(function () { leave(target || "/login"); }, 800);
  }

  function saveDraft() {
    if (conflict || pendingSubmit) { return; }
    if (inFlight) { schedule(1000); return; }
    if (!dirty) { return; }
    inFlight = true;
    dirty = false;
    say("saving");
    fetch(autosaveUrl, { method: "POST", body: formData(), headers: headers(), credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 200) {
          return response.json().then(function (data) {
            form.elements.revision.value = data.revision;
            say(dirty ? "unsaved" : "saved");
          });
        }
        if (response.status === 409) {
          return response.json().then(showConflict);
        }
        if (response.status === 401) {
          goToLogin(response);
          return;
        }
        dirty = true;
        say("unsaved");
        schedule(RETRY_MS);
      })
      .catch(function () {
        dirty = true;
        say("offline");
        schedule(RETRY_MS);
      })
      .then(function () { inFlight = false; });
  }

  function showConflict(data) {
    conflict = true;
    if (!conflictEl) { return; }
    conflictEl.querySelector(".draft-conflict__message").textContent = conflictEl.getAttribute("data-message");
    document.getElementById("draft-conflict-other").value = data.body || "";
    conflictEl.hidden = false;
    conflictEl.setAttribute("data-revision", data.revision);
    conflictEl.setAttribute("data-key", data.idempotency_key || "");
    conflictEl.querySelector("button").focus();
  }

  function resolveConflict(choice) {
    var revision = conflictEl.getAttribute("data-revision");
    var key = conflictEl.getAttribute("data-key");
    form.elements.revision.value = revision;
    if (key && form.elements.idempotency_key) { form.elements.idempotency_key.value = key; }
    if (choice === "theirs") {
      form.elements.body.value = document.getElementById("draft-conflict-other").value;
    }
    conflictEl.hidden = true;
    conflict = false;
    dirty = true;
    saveDraft();
    form.elements.body.focus();
  }

  if (conflictEl) {
    conflictEl.addEventListener("click", function (event) {
      var choice = event.target.getAttribute("data-conflict");
      if (choice) { resolveConflict(choice); }
    });
  }

  form.addEventListener("input", function () {
    dirty = true;
    say("unsaved");
    schedule(DEBOUNCE_MS);
  });
  form.addEventListener("change", function () {
    dirty = true;
    schedule(DEBOUNCE_MS);
  });

  function submitEntry(submitter) {
    pendingSubmit = submitter || {};
    window.clearTimeout(timer);
    say("saving");
    fetch(submitUrl, { method: "POST", body: formData(submitter), headers: headers(), credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) { goToLogin(response); return; }
        if (response.status >= 400) {
          // Let the server show its message the ordinary way (the text is kept as a draft).
          pendingSubmit = null;
          dirty = false;
          form.submit();
          return;
        }
        if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
          // The saved entry's address; going there shows the "Saved" message once.
          return response.json().then(function (data) { leave(data.url || response.url); });
        }
        leave(response.url);
      })
      .catch(function () {
        say("submit-offline");
        window.setTimeout(function () { if (pendingSubmit) { submitEntry(pendingSubmit.name ? pendingSubmit : null); } }, RETRY_MS);
      });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value === "draft") {
      event.preventDefault();
      dirty = true;
      saveDraft();
      return;
    }
    if (submitter && (submitter.value === "shuffle" || submitter.value === "skip_prompt")) { return; }
    event.preventDefault();
    if (pendingSubmit) { return; }
    submitEntry(submitter);
  });

  window.addEventListener("online", function () {
    if (pendingSubmit) { submitEntry(pendingSubmit.name ? pendingSubmit : null); }
    else if (dirty) { saveDraft(); }
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty || pendingSubmit) { event.preventDefault(); event.returnValue = ""; }
  });
})();
