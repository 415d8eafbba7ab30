// Starts GOV.UK Frontend's components. Kept out of the page (no inline script) so a strict
// Content-Security-Policy can forbid inline scripts. Module scripts only run in browsers
// GOV.UK Frontend supports, so reaching here means "supported".
const tag = document.querySelector('script[data-govuk-frontend]')
document.body.classList.add('js-enabled', 'govuk-frontend-supported')
if (tag) {
  import(tag.dataset.govukFrontend).then(({ initAll }) => initAll())
}
