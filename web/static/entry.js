// On the screen where facilitators type up event responses, Ctrl+Enter
// (or Cmd+Enter) saves and opens the next screen from any field, so
// nobody has to tab past every question a respondent left blank. Without
// JavaScript, Enter in the organisation box does the same.
(function () {
  var form = document.querySelector('form[data-heard-entry]')
  if (!form) return
  var save = form.querySelector('button[value="another"]')
  form.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      if (form.requestSubmit) form.requestSubmit(save)
      else save.click()
    }
  })
  var hint = document.getElementById('entry-shortcut')
  if (hint) hint.hidden = false
})()
