// The one upload client, for every form with [data-upload-ticket] (templates/includes/
// upload_form.html): the file goes straight to storage with a progress bar, then the portal
// verifies it. Progressive enhancement only: without this file, or when storage cannot be
// reached from this browser, the same form posts the file through the portal.
//
// Protocol (portal/uploads.py): POST the ticket URL (content_type, size) → {url, fields, key,
// finish}; POST the file to url with fields; POST finish (key, sha256, name) → {redirect}.
// A refusal at any step answers {error, code} with a 4xx status.
"use strict";

(function () {
  var RETRIES = 2; // a network error posting to storage is tried again, then the portal takes it
  var PAUSE = 1000; // ms before the first retry; doubled for the next

  function csrfToken(form) {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  // The portal's own steps: a refusal has the server's words; anything else is a failure.
  function postToPortal(url, data, token) {
    var body = new FormData();
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.ok) return json;
        var problem = new Error(json.error || "");
        problem.refused = Boolean(json.error);
        throw problem;
      });
    });
  }

  // SHA-256 of the file in hex, so the portal can tell the file arrived whole; "" where the
  // browser has no SubtleCrypto (it is only offered on secure pages).
  function sha256(file) {
    if (!window.crypto || !window.crypto.subtle || !file.arrayBuffer) return Promise.resolve("");
    return file.arrayBuffer()
      .then(function (buffer) { return window.crypto.subtle.digest("SHA-256", buffer); })
      .then(function (digest) {
        return Array.from(new Uint8Array(digest))
          .map(function (byte) { return byte.toString(16).padStart(2, "0"); })
          .join("");
      })
      .catch(function () { return ""; });
  }

  function postToStorage(ticket, file, progress) {
    return new Promise(function (resolve, reject) {
      var body = new FormData();
      Object.keys(ticket.fields).forEach(function (name) { body.append(name, ticket.fields[name]); });
      body.append("file", file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", ticket.url);
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          progress.value = 100;
          resolve();
        } else {
          reject(new Error("storage " + xhr.status));
        }
      });
      xhr.addEventListener("error", function () {
        var problem = new Error("network");
        problem.network = true;
        reject(problem);
      });
      xhr.send(body);
    });
  }

  function postToStorageWithRetries(ticket, file, progress, retries, pause) {
    return postToStorage(ticket, file, progress).catch(function (problem) {
      if (!problem.network || retries <= 0) throw problem;
      return new Promise(function (resolve) { setTimeout(resolve, pause); }).then(function () {
        progress.value = 0;
        return postToStorageWithRetries(ticket, file, progress, retries - 1, pause * 2);
      });
    });
  }

  // A new location that differs only by its #fragment would not reload the page.
  function goTo(url) {
    var target = new URL(url, window.location.href);
    if (target.pathname === window.location.pathname && target.search === window.location.search) {
      window.location.hash = target.hash;
      window.location.reload();
    } else {
      window.location.assign(target.href);
    }
  }

  function enhance(form) {
    var input = form.querySelector("input[type='file']");
    var progress = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type='submit']");

    function say(message, isError) {
      status.textContent = message;
      status.classList.toggle("error", Boolean(isError));
    }

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file || !window.fetch || !window.FormData || !window.Promise) return; // plain post
      event.preventDefault();
      var token = csrfToken(form);
      var storageFailed = false;
      var digest = "";
      button.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      say("…");
      sha256(file)
        .then(function (hex) {
          digest = hex;
          return postToPortal(form.dataset.uploadTicket, { content_type: file.type, size: file.size }, token);
        })
        .then(function (ticket) {
          return postToStorageWithRetries(ticket, file, progress, RETRIES, PAUSE)
            .catch(function (problem) {
              storageFailed = true;
              throw problem;
            })
            .then(function () {
              say(form.dataset.uploadChecking || "…");
              return postToPortal(ticket.finish, { key: ticket.key, sha256: digest, name: file.name }, token);
            });
        })
        .then(function (done) {
          // A moment to see the bar complete, then the page that lists the document.
          setTimeout(function () { goTo(done.redirect); }, 700);
        })
        .catch(function (problem) {
          button.disabled = false;
          progress.hidden = true;
          if (storageFailed) {
            // Storage unreachable from this browser: send the file through the portal instead.
            say("…");
            form.submit();
            return;
          }
          say(problem.refused ? problem.message : form.dataset.uploadFailed || problem.message, true);
        });
    });
  }

  // Deferred: the document is parsed when this runs.
  document.querySelectorAll("form[data-upload-ticket]").forEach(enhance);
})();
