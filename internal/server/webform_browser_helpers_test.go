package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"heard/internal/browsertest"
)

// respondent drives Chromium through the response form the way a
// keyboard user does: fields are found by their visible label text,
// then focused and typed into; buttons are pressed with Enter.
type respondent struct {
	t    *testing.T
	b    context.Context
	base string
	noJS bool
}

// scripts turns the page's JavaScript off or on; off stays off for
// every page loaded afterwards.
func (p *respondent) scripts(on bool) {
	p.t.Helper()
	if _, err := chromedp.Call(p.b, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		p.t.Fatal(err)
	}
	p.noJS = !on
}

func (p *respondent) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.b, steps...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

func (p *respondent) eval(js string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.b, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

func (p *respondent) open(path string) {
	p.t.Helper()
	p.run("open "+path, chromedp.Navigate(p.base+path), chromedp.WaitReady(chromedp.CSS("footer")))
}

func (p *respondent) path() string {
	p.t.Helper()
	l, err := chromedp.Run(p.b, chromedp.Location())
	if err != nil {
		p.t.Fatal(err)
	}
	return strings.TrimPrefix(l, p.base)
}

func (p *respondent) text(css string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.b, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// audit checks the page with axe-core and for sideways scrolling.
func (p *respondent) audit(page string) {
	p.t.Helper()
	if p.noJS {
		// axe-core needs timers, which do not run with scripts off.
		// Turning them on for the audit does not run the page's own
		// scripts, which have already been skipped.
		p.scripts(true)
		defer p.scripts(false)
	}
	browsertest.Axe(p.t, p.b, page)
	browsertest.NoHorizontalScroll(p.t, p.b, page)
}

// xpathLiteral quotes s for XPath, which has no escapes.
func xpathLiteral(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return `'` + s + `'`
}

// field returns the id of the input labelled label, inside the fieldset
// whose legend is legend (or anywhere, when legend is "").
func (p *respondent) field(legend, label string) string {
	p.t.Helper()
	xp := "//label[normalize-space(.)=" + xpathLiteral(label) + "]"
	if legend != "" {
		xp = "//fieldset[legend[normalize-space(.)=" + xpathLiteral(legend) + "]]" + xp
	}
	attr, err := chromedp.Run(p.b, chromedp.AttributeValue(xp, "for", chromedp.AtLeast(0)))
	if err != nil || !attr.Exists || attr.Value == "" {
		p.t.Fatalf("no field labelled %q under %q (%v)", label, legend, err)
	}
	return attr.Value
}

// choose selects a radio button by its label: focus it, press Space.
func (p *respondent) choose(legend, label string) {
	p.t.Helper()
	id := p.field(legend, label)
	p.run("choose "+label, chromedp.Focus(chromedp.CSS("#"+id)), chromedp.KeyEvent(" "))
	if on := p.eval(`String(document.getElementById(` + fmt.Sprintf("%q", id) + `).checked)`); on != "true" {
		p.t.Fatalf("%q is not selected after pressing Space", label)
	}
}

// write types text into the field labelled label.
func (p *respondent) write(label, text string) {
	p.t.Helper()
	id := p.field("", label)
	p.run("type into "+label, chromedp.Focus(chromedp.CSS("#"+id)), chromedp.KeyEvent(kb.End), chromedp.KeyEvent(text))
}

// press focuses the button with text and presses Enter, then waits for
// the next page.
func (p *respondent) press(button string) {
	p.t.Helper()
	p.run("mark the old page", chromedp.Evaluate[chromedp.Void](`window.heardOldPage = true`))
	p.run("press "+button,
		chromedp.Focus("//button[normalize-space(.)="+xpathLiteral(button)+"]"),
		chromedp.KeyEvent(kb.Enter))
	p.waitForNewPage()
}

// tab presses Tab until the element with id has focus.
func (p *respondent) tabTo(id string) {
	p.t.Helper()
	for range 30 {
		if p.eval(`document.activeElement ? document.activeElement.id : ""`) == id {
			return
		}
		p.run("tab", chromedp.KeyEvent(kb.Tab))
	}
	p.t.Fatalf("Tab never reached #%s", id)
}

func (p *respondent) waitForNewPage() {
	p.t.Helper()
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var fresh bool
		// Errors are expected while the old page unloads.
		if fresh, err = chromedp.Run(p.b, chromedp.Evaluate[bool](`window.heardOldPage !== true && document.readyState === 'complete'`)); err == nil && fresh {
			return
		}
	}
	p.t.Fatalf("the next page did not load: %v", err)
}

// Labels of the CQC form, as the old-style browser tests here use them
// (internal/e2e has its own copy).
const (
	q1Legend  = "To what extent do you support the ambitions set out in this theme?"
	whyLabel  = "Please give more details to explain why you chose this answer."
	typedWhy  = "Inspections should listen to carers."
	submitBtn = "Send response"
)
