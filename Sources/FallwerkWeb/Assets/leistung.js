// Entry form helpers (progressive enhancement: the form works without this file).
// Mirrors ServiceRules.count (R10, R13) for the live preview; the server stays authoritative.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var d = form.dataset;
  var num = function (v) { var n = parseInt(v, 10); return isNaN(n) ? 0 : n; };
  var rounding = num(d.rounding) || 1, report = num(d.report), onboarding = num(d.onboarding);
  var shortHours = num(d.shortHours), shortBillable = num(d.shortBillable), shortBudget = num(d.shortBudget);
  var output = document.getElementById("entry-preview");
  var minutesField = form.elements.namedItem("minutes");
  var cancelFields = document.getElementById("cancel-fields");

  function round(m) { return rounding > 1 ? Math.floor((m + Math.floor(rounding / 2)) / rounding) * rounding : m; }
  function percent(m, p) { return Math.floor((m * p * 2 + 100) / 200); }
  function value(name) {
    var field = form.elements.namedItem(name);
    if (!field) return "";
    if (field.length !== undefined && field.tagName === undefined) {
      for (var i = 0; i < field.length; i++) if (field[i].checked) return field[i].value;
      return "";
    }
    return field.value;
  }
  function minutes() {
    var start = value("start"), end = value("end");
    if (start && end) {
      var s = start.split(":"), e = end.split(":");
      var diff = (num(e[0]) * 60 + num(e[1])) - (num(s[0]) * 60 + num(s[1]));
      if (diff > 0) return diff;
    }
    return num(value("minutes"));
  }
  function isShortNotice() {
    if (value("kind") === "noShow") return true;
    if (value("cancelledBy") !== "client") return false;
    var at = value("cancelledAt"), date = value("date"), start = value("start");
    if (!at || !date || !start) return false;
    var notice = (new Date(date + "T" + start) - new Date(at)) / 1000;
    return notice <= shortHours * 3600;
  }
  function count() {
    var kind = value("kind"), actual = round(minutes());
    switch (kind) {
      case "direct": case "institution": case "planningMeeting": case "crisis": return [actual, actual];
      case "report": return [report, report];
      case "onboardingDay": return [onboarding, 0];
      case "cancelled": case "noShow":
        return isShortNotice() ? [percent(actual, shortBillable), percent(actual, shortBudget)] : [0, 0];
      default: return [0, 0];
    }
  }
  function update() {
    var kind = value("kind");
    if (cancelFields) cancelFields.hidden = kind !== "cancelled";
    if (!output || !kind) return;
    var c = count(), text = "Zählt: " + c[0] + " Min. abrechenbar · " + c[1] + " Min. Budget";
    if (kind === "onboardingDay") text += " (eigenes Einstiegsbudget)";
    var date = value("date");
    if (d.remaining !== "" && date >= d.windowFrom && date <= d.windowTo && c[1] > num(d.remaining)) {
      text += " · Achtung: " + (c[1] - num(d.remaining)) + " Min. über dem Budget – ohne bestätigte Erhöhung nicht abrechenbar";
      output.classList.add("over");
    } else {
      output.classList.remove("over");
    }
    output.textContent = text;
  }
  var chips = document.getElementById("quick-lengths");
  if (chips && minutesField) {
    chips.hidden = false;
    chips.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-minutes]");
      if (!button) return;
      minutesField.value = button.dataset.minutes;
      var end = form.elements.namedItem("end");
      if (end) end.value = "";
      update();
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
