// The application form, enhanced: autosave of drafts and forms sent once (uploads: upload.js).
// Without this file every form still works by plain posts.
"use strict";

(function () {
  // --- Autosave: a draft is saved a moment after each change, and before leaving the page.
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector(".autosave-status");
    var version = form.querySelector("input[name=version]");
    var timer = null;
    var dirty = false;
    var stopped = false;
    var submitting = false;

    function save() {
      if (!dirty || stopped) return;
      dirty = false;
      fetch(window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (response.ok) {
              version.value = data.version;
              status.textContent = form.dataset.savedLabel
                ? form.dataset.savedLabel.replace("%s", data.saved)
                : "✓ " + data.saved;
            } else {
              stopped = true;
              status.textContent = data.error;
              status.classList.add("error");
            }
          });
        })
        .catch(function () {
          dirty = true; // offline: try again at the next change
        });
    }

    form.addEventListener("input", function () {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    });
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting && !stopped) {
        save();
        event.preventDefault();
      }
    });
  });

  // --- Submit once: a double click sends one request (the server also submits only once).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
      });
    });
  });
})();
