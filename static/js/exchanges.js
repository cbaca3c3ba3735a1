// Exchange pages, progressive enhancement only: without this file every list reorders with
// its buttons (documents are sent by upload.js, or through the portal without it).
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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("ol[data-sortable]").forEach(makeSortable);
  });
})();
