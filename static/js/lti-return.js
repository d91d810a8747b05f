// The deep linking answer goes back to the platform at once: the form posts itself (its button
// stays there for a browser without scripts).
for (const form of document.querySelectorAll("form[data-submit-on-load]")) {
  form.submit();
}
