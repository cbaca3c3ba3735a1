// Progressive enhancement for the mentoring forms: the pages work without this file.
"use strict";

// Preselect the browser's time zone in a time-zone field still showing the default (UTC),
// so that a student on a phone need not scroll through six hundred zones.
document.addEventListener("DOMContentLoaded", function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("select[data-guess-time-zone]").forEach(function (select) {
    if (select.value !== "UTC") return;
    var option = select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]');
    if (option) select.value = zone;
  });
});
