// Rows of a Django formset added and removed in place, on the page (no round trip: officers are often on
// slow connections). The markup (templates/milestones/clinics/_*_row.html) says what to do:
//   <template data-formset-template="PREFIX">  the formset's empty form, "__prefix__" for its index
//   [data-formset-rows="PREFIX"]                where that formset's rows go
//   [data-formset-add="PREFIX"]                 adds a row (inside a recommendation: an action of it)
//   [data-formset-row][data-formset-form="PREFIX-N"] [data-formset-remove]
//                                               ticks the row's DELETE box and hides the row
//   [data-paste] … [data-paste-add]             adds the understood lines of a pasted list's preview
// Without JavaScript the page keeps its few empty rows and the DELETE boxes, and works as before: the
// elements marked data-formset-js stay hidden, the data-formset-nojs hints stay shown.
(function () {
  "use strict";

  function management(prefix, name) {
    return document.getElementById("id_" + prefix + "-" + name);
  }

  function announce(text) {
    const status = document.querySelector("[data-formset-status]");
    if (status) status.textContent = text;
  }

  // A new row of the formset PREFIX at the end of CONTAINER: the empty form with the next index, the
  // management form's TOTAL_FORMS counted up. Null when the formset is full.
  function addRow(prefix, container) {
    const template = document.querySelector('template[data-formset-template="' + prefix + '"]');
    const total = management(prefix, "TOTAL_FORMS");
    const max = management(prefix, "MAX_NUM_FORMS");
    if (!template || !total || !container) return null;
    const index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return null;
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
    const row = holder.firstElementChild;
    container.appendChild(row);
    total.value = String(index + 1);
    enhance(row);
    return row;
  }

  function field(row, name) {
    return row.querySelector('[name="' + row.dataset.formsetForm + "-" + name + '"]');
  }

  // An action row under the recommendation row RECOMMENDATION, linked to it by its index.
  function addAction(recommendation) {
    const container = recommendation.querySelector('[data-formset-rows="actions"]');
    const row = addRow("actions", container);
    if (row) {
      const link = field(row, "recommendation");
      if (link) link.value = container.dataset.recommendation;
    }
    return row;
  }

  function removeRow(row) {
    // The row and any rows inside it (a recommendation's actions) are deleted with the DELETE box: the
    // indexes of the other rows stay as they are.
    [row].concat(Array.from(row.querySelectorAll("[data-formset-row]"))).forEach(function (each) {
      const box = field(each, "DELETE");
      if (box) box.checked = true;
    });
    row.hidden = true;
  }

  // Show what only works with JavaScript, hide the DELETE boxes the Remove buttons tick.
  function enhance(root) {
    root.querySelectorAll("[data-formset-js]").forEach(function (el) {
      el.hidden = false;
    });
    root.querySelectorAll("[data-formset-nojs], [data-formset-delete]").forEach(function (el) {
      el.hidden = true;
    });
    root.querySelectorAll("[data-formset-row]").forEach(function (row) {
      const box = field(row, "DELETE");
      if (box && box.checked) row.hidden = true; // removed before an error re-rendered the page
    });
  }

  function firstInput(row) {
    return row.querySelector("textarea:not([hidden]), input:not([type=hidden]), select");
  }

  // A participant row whose name is still empty (the page's spare rows), else a new one.
  function participantRow() {
    const container = document.querySelector('[data-formset-rows="participants"]');
    if (!container) return null;
    const spare = Array.from(container.querySelectorAll("[data-formset-row]")).find(function (row) {
      const name = field(row, "name");
      return !row.hidden && name && !name.value.trim() && !field(row, "pk").value;
    });
    return spare || addRow("participants", container);
  }

  function addPasted(box) {
    const lines = Array.from(box.querySelectorAll("[data-paste-row]"));
    let added = 0;
    lines.forEach(function (line) {
      const row = participantRow();
      if (!row) return;
      field(row, "name").value = line.dataset.name;
      field(row, "agency").value = line.dataset.agency || "";
      field(row, "agency_name").value = line.dataset.agencyName || "";
      field(row, "role").value = line.dataset.role || "";
      added += 1;
    });
    const textarea = box.querySelector("textarea");
    if (textarea) textarea.value = "";
    const preview = box.querySelector("#paste-preview");
    if (preview) preview.textContent = "";
    announce((box.dataset.pasteAdded || "") + " " + String(added));
  }

  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-formset-add]");
    if (add) {
      const prefix = add.dataset.formsetAdd;
      let row;
      if (prefix === "actions") {
        row = addAction(add.closest("[data-formset-row]"));
      } else {
        row = addRow(prefix, document.querySelector('[data-formset-rows="' + prefix + '"]'));
        if (row && prefix === "recommendations") addAction(row);
      }
      if (row && firstInput(row)) firstInput(row).focus();
      return;
    }
    const remove = event.target.closest("[data-formset-remove]");
    if (remove) {
      const row = remove.closest("[data-formset-row]");
      const kind = row.dataset.formsetForm.replace(/-\d+$/, "");
      const section = row.parentElement.closest("section, [data-formset-row]");
      removeRow(row);
      // Focus goes to the button that adds a row of the same kind, not to the top of the page.
      const next = section && section.querySelector('[data-formset-add="' + kind + '"]');
      if (next) next.focus();
      announce(remove.dataset.removed || "");
      return;
    }
    const paste = event.target.closest("[data-paste-add]");
    if (paste) addPasted(paste.closest("[data-paste]"));
  });

  function start() {
    document.querySelectorAll("[data-formset-page]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
