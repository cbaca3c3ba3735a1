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

// Deadlines also in the reader's own time zone, as the browser knows it, with the page's words
// for it ("... your time (Europe/London)"); nothing when that zone is the deadline's own.
document.addEventListener("DOMContentLoaded", function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("time[data-local]").forEach(function (element) {
    var date = new Date(element.getAttribute("datetime"));
    if (isNaN(date) || !zone || zone === element.dataset.zone) return;
    var lang = document.documentElement.lang || undefined;
    var local = date.toLocaleString(lang, { dateStyle: "long", timeStyle: "short" });
    var words = element.dataset.words || "DATE (ZONE)";
    element.textContent = "· " + words.replace("DATE", local).replace("ZONE", zone);
  });
});

// A progress page asks for its state every few seconds and shows it in place (without this
// file, the page refreshes itself); when the work has ended, the page is loaded once more.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-poll]");
  if (!box || !window.fetch) return;
  var every = 1000 * (parseFloat(box.dataset.pollSeconds) || 1);
  function look() {
    fetch(box.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return setTimeout(look, every * 3);
        box.innerHTML = state.html;
        if (state.pending) setTimeout(look, every);
      })
      .catch(function () { setTimeout(look, every * 3); });
  }
  setTimeout(look, every);
});
