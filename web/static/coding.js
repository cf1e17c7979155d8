// The coding screen's keyboard shortcuts: keys 1 to 9 tick or untick the
// first nine codes, and Enter (outside a text field) saves and opens the
// next uncoded answer. Words highlighted in the answer when a code is
// ticked become that code's excerpt. Without JavaScript the same boxes
// have accesskeys, the excerpt is typed or pasted, and the form works by
// Tab, Space and Enter.
(function () {
  var form = document.querySelector('[data-heard-coding]')
  if (!form) return
  var answer = document.getElementById('answer-text')
  // highlighted returns the words selected inside the answer, if any.
  function highlighted () {
    var sel = window.getSelection()
    if (!answer || !sel || sel.rangeCount === 0 || !answer.contains(sel.anchorNode)) return ''
    return sel.toString().trim()
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return
    var t = e.target
    var tag = t && t.tagName
    if (tag === 'TEXTAREA' || tag === 'SELECT') return
    if (tag === 'INPUT' && t.type !== 'checkbox' && t.type !== 'radio') return
    if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return
    if (/^[1-9]$/.test(e.key)) {
      var box = form.querySelector('[data-shortcut="' + e.key + '"]')
      if (box) {
        var picked = highlighted()
        box.click()
        box.focus()
        e.preventDefault()
        var excerpt = form.querySelector('#excerpt-' + box.value)
        if (excerpt && box.checked && picked) excerpt.value = picked
      }
    } else if (e.key === 'Enter') {
      var next = form.querySelector('button[name="next"][value="yes"]')
      if (next) {
        e.preventDefault()
        next.click()
      }
    }
  })
})()
