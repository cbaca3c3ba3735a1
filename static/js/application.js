// The application form, enhanced: autosave of drafts and direct uploads with a progress bar.
// Without this file every form still works by plain posts.
"use strict";

(function () {
  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

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

  // --- Direct uploads: presigned POST straight to storage, then the portal verifies.
  function sha256(file) {
    if (!window.crypto || !window.crypto.subtle) return Promise.resolve("");
    return file.arrayBuffer().then(function (buffer) {
      return window.crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
        return Array.from(new Uint8Array(digest))
          .map(function (b) { return b.toString(16).padStart(2, "0"); })
          .join("");
      });
    });
  }

  function post(url, data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" }).then(
      function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw new Error(json.error || response.statusText);
          return json;
        });
      }
    );
  }

  document.querySelectorAll("form[data-direct-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var progress = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");

    function fail(message) {
      status.textContent = message;
      status.classList.add("error");
      progress.hidden = true;
      button.disabled = false;
    }

    form.addEventListener("submit", function (event) {
      var file = input.files[0];
      if (!file || !window.fetch || !window.FormData) return; // plain post through the portal
      event.preventDefault();
      button.disabled = true;
      status.classList.remove("error");
      status.textContent = "…";
      var ticketData = new FormData();
      ticketData.append("csrfmiddlewaretoken", csrf(form));
      ticketData.append("size", file.size);
      ticketData.append("content_type", file.type);
      ticketData.append("filename", file.name);
      var digest;
      sha256(file)
        .then(function (hex) {
          digest = hex;
          return post(form.dataset.directUpload, ticketData);
        })
        .then(function (ticket) {
          return new Promise(function (resolve, reject) {
            var body = new FormData();
            Object.keys(ticket.fields).forEach(function (name) {
              body.append(name, ticket.fields[name]);
            });
            body.append("file", file);
            var xhr = new XMLHttpRequest();
            xhr.open("POST", ticket.url);
            progress.hidden = false;
            progress.value = 0;
            xhr.upload.addEventListener("progress", function (e) {
              if (e.lengthComputable) progress.value = Math.round((100 * e.loaded) / e.total);
            });
            xhr.addEventListener("load", function () {
              if (xhr.status >= 200 && xhr.status < 300) {
                progress.value = 100;
                resolve(ticket);
              } else {
                reject(new Error(form.dataset.failedLabel || "Upload failed (" + xhr.status + ")"));
              }
            });
            xhr.addEventListener("error", function () {
              reject(new Error(form.dataset.failedLabel || "Upload failed"));
            });
            xhr.send(body);
          });
        })
        .then(function (ticket) {
          var finish = new FormData();
          finish.append("csrfmiddlewaretoken", csrf(form));
          finish.append("key", ticket.fields.key);
          finish.append("sha256", digest);
          return post(ticket.finish, finish);
        })
        .then(function () {
          status.textContent = form.dataset.receivedLabel || "✓";
          // A moment to see the bar complete, then the page lists the document.
          setTimeout(function () { window.location.reload(); }, 700);
        })
        .catch(function (error) {
          fail(error.message);
        });
    });
  });
})();
