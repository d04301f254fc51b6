// Report forms (request, schedule): show only the scope field the chosen audience needs.
// The server checks the scope again; without JavaScript every field stays visible.
document.querySelectorAll("form[data-report-scope]").forEach(function (form) {
  const audience = form.elements["audience"];
  const needs = {provincial: "province", balai: "balai", regency: "regency", national: null};
  function sync() {
    for (const name of ["province", "balai", "regency"]) {
      const wrapper = form.querySelector("#div_id_" + name);
      if (wrapper) wrapper.hidden = needs[audience.value] !== name;
    }
  }
  audience.addEventListener("change", sync);
  sync();
});
