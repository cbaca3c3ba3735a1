// Progressive enhancement only: every page works without this file.
"use strict";

// After a refused form, move focus to the first field with an error (or the error summary),
// so keyboard and screen-reader users land where they must act.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector(".error-summary, .errorlist.nonfield, [aria-invalid='true']");
  if (!target) return;
  if (!target.matches("input, select, textarea")) target.setAttribute("tabindex", "-1");
  target.focus();
});

// Deadlines also in the reader's own time zone, as the browser knows it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("time[data-local]").forEach(function (element) {
    var date = new Date(element.getAttribute("datetime"));
    if (isNaN(date)) return;
    var lang = document.documentElement.lang || undefined;
    element.textContent = "(" + date.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" }) + ")";
  });
});
