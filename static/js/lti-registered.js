// Dynamic Registration is done: tell the platform's page that opened this one, which then
// closes it (1EdTech LTI Dynamic Registration, "org.imsglobal.lti.close").
if (document.querySelector("[data-close-message]")) {
  (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
}
