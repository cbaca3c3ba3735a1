// Exchange pages, progressive enhancement only: without this file every list reorders with
// its buttons and every document uploads through the portal.
"use strict";

(function () {
  function csrfToken(root) {
    var input = (root || document).querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  // --- Drag and drop for ordered lists ([data-sortable] holds the URL that saves the order).
  function postOrder(list) {
    var ids = Array.prototype.map.call(list.querySelectorAll(":scope > li[data-id]"), function (li) {
      return li.getAttribute("data-id");
    });
    var form = document.createElement("form");
    form.method = "post";
    form.action = list.getAttribute("data-sortable");
    [["csrfmiddlewaretoken", csrfToken()], ["order", ids.join(",")]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function makeSortable(list) {
    var dragged = null;
    list.querySelectorAll(":scope > li[data-id]").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        list.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        item.classList.add("drop-target");
      });
      item.addEventListener("dragleave", function () { item.classList.remove("drop-target"); });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        item.classList.remove("drop-target");
        if (!dragged || dragged === item) return;
        var items = Array.prototype.slice.call(list.children);
        var after = items.indexOf(dragged) < items.indexOf(item);
        list.insertBefore(dragged, after ? item.nextSibling : item);
        postOrder(list);
      });
    });
    document.documentElement.classList.add("js-sortable");
  }

  // --- Documents straight to storage, with a progress bar; the portal verifies them after.
  function postForm(url, data) {
    var body = new FormData();
    Object.keys(data).forEach(function (key) { body.append(key, data[key]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.csrfmiddlewaretoken, "Accept": "application/json" },
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) {
          var refusal = new Error(json.error || "");
          refusal.refused = true;
          throw refusal;
        }
        return json;
      });
    });
  }

  function sendToStorage(ticket, file, progress) {
    return new Promise(function (resolve, reject) {
      var body = new FormData();
      Object.keys(ticket.fields).forEach(function (key) { body.append(key, ticket.fields[key]); });
      body.append("file", file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", ticket.url);
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) resolve(ticket.key);
        else reject(new Error("storage " + xhr.status));
      });
      xhr.addEventListener("error", function () { reject(new Error("network")); });
      xhr.send(body);
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

  function enhanceUpload(form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type='file']");
      var file = input && input.files && input.files[0];
      if (!file || !window.fetch || !window.FormData) return; // the plain post does it all
      event.preventDefault();
      var progress = form.querySelector("progress");
      var error = form.querySelector(".upload-error");
      var button = form.querySelector("button[type='submit']");
      var token = csrfToken(form);
      error.hidden = true;
      progress.hidden = false;
      progress.value = 0;
      button.disabled = true;
      postForm(form.getAttribute("data-ticket-url"), { csrfmiddlewaretoken: token, content_type: file.type })
        .then(function (ticket) { return sendToStorage(ticket, file, progress); })
        .then(function (key) {
          return postForm(form.getAttribute("data-verify-url"), { csrfmiddlewaretoken: token, key: key, name: file.name });
        })
        .then(function (done) { goTo(done.redirect); })
        .catch(function (problem) {
          button.disabled = false;
          progress.hidden = true;
          if (problem.refused) {
            error.textContent = problem.message;
            error.hidden = false;
            return;
          }
          // Storage unreachable from this browser: send the file through the portal instead.
          form.submit();
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("ol[data-sortable]").forEach(makeSortable);
    document.querySelectorAll("form[data-ticket-url]").forEach(enhanceUpload);
  });
})();
