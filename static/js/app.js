// Behaviours every page may use, bound through data- attributes: the Content-Security-Policy blocks inline
// on…= handlers. Delegated from the document, so content htmx swaps in later works too.

// <select data-autosubmit>: choosing an option submits its form (the language switcher; a <noscript> button
// does it without JavaScript).
document.addEventListener("change", function (event) {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

// <form data-confirm="Question?">: asks before submitting; "Cancel" keeps the page as it is.
document.addEventListener("submit", function (event) {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
