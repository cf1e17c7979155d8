// Reloads a page that shows a background job's progress, every few
// seconds, while it says so. Without JavaScript the page has a link to do
// the same by hand.
(function () {
  var el = document.querySelector('[data-heard-refresh]')
  if (!el) return
  var seconds = parseInt(el.getAttribute('data-heard-refresh'), 10) || 2
  setTimeout(function () { window.location.reload() }, seconds * 1000)
})()
