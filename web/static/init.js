// Marks the page as able to run GOV.UK Frontend's JavaScript. Kept in a
// file (not inline) so the Content-Security-Policy can forbid inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
