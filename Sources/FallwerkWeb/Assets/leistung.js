// Entry form helpers (progressive enhancement: the form works without this file).
// The live preview is the server's: what is typed goes to the preview endpoint, which counts it with
// the domain's rules (R9, R10, R13); this file only shows the answer, so it cannot drift from them.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var output = document.getElementById("entry-preview");
  var minutesField = form.elements.namedItem("minutes");
  var cancelFields = document.getElementById("cancel-fields");
  var url = form.dataset.previewUrl, entry = form.dataset.entry;
  var fields = ["kind", "date", "start", "end", "minutes", "cancelledBy", "cancelledAt", "kilometres"];
  var timer = null, latest = 0;

  function value(name) {
    var field = form.elements.namedItem(name);
    if (!field) return "";
    if (field.length !== undefined && field.tagName === undefined) {
      for (var i = 0; i < field.length; i++) if (field[i].checked) return field[i].value;
      return "";
    }
    return field.value;
  }
  function query() {
    var params = new URLSearchParams();
    fields.forEach(function (name) { var v = value(name); if (v !== "") params.set(name, v); });
    var homeVisit = form.elements.namedItem("homeVisit");
    if (homeVisit && homeVisit.checked) params.set("homeVisit", "true");
    if (entry) params.set("eintrag", entry);
    return params.toString();
  }
  function refresh() {
    if (!output || !url || !value("kind")) return;
    var ticket = ++latest;
    fetch(url + "?" + query(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || ticket !== latest) return;  // an older answer arriving late is dropped
        output.textContent = answer.text;
        output.classList.toggle("over", !!answer.warning);
      })
      .catch(function () { /* offline: the preview shown stays; saving still counts on the server */ });
  }
  function update() {
    if (cancelFields) cancelFields.hidden = value("kind") !== "cancelled";
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
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
  if (cancelFields) cancelFields.hidden = value("kind") !== "cancelled";
})();
