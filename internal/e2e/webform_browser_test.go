package e2e_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"heard/internal/browsertest"
)

const (
	q1Legend  = "To what extent do you support the ambitions set out in this theme?"
	whyLabel  = "Please give more details to explain why you chose this answer."
	typedWhy  = "Inspections should listen to carers."
	typedQ7   = "Please say how people without the internet can respond."
	orgName   = "Older People's Forum (browser test)"
	submitBtn = "Send response"
)

// A respondent completes the whole CQC form in Chromium with JavaScript
// off, on a 320 px wide screen, by keyboard alone, finding every field by
// its label; every page (and its error states) passes axe-core and needs
// no sideways scrolling; the reference they get is for a response that
// results.csv counts.
func TestWebformInABrowserWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	viewer := e.viewer()
	before := e.webformCounts(viewer)

	b := browsertest.New(t)
	p := &respondent{t: t, b: b, base: e.srv.URL}
	p.scripts(false)
	p.run("phone-sized screen", chromedp.EmulateViewport(320, 800))

	p.open(respond)
	if js := p.eval(`document.body.className`); strings.Contains(js, "js-enabled") {
		t.Fatal("JavaScript ran")
	}
	p.audit("start page")
	// The start button is a link: Tab to it, press Enter.
	p.run("mark", chromedp.Evaluate[chromedp.Void](`window.heardOldPage = true`))
	p.run("start", chromedp.Focus(chromedp.CSS(".govuk-button--start")), chromedp.KeyEvent(kb.Enter))
	p.waitForNewPage()

	// The first theme by Tab and arrow keys only: Tab to the first radio,
	// arrow down to "Mostly", Tab to the textarea, type, Tab to the
	// button (the honeypot is skipped), Enter.
	if p.path() != respond+"/people-and-communities" {
		t.Fatalf("Start now led to %s", p.path())
	}
	p.audit("theme page")
	p.tabTo("q-Q1a")
	p.run("arrow to Mostly", chromedp.KeyEvent(kb.ArrowDown))
	if p.eval(`document.querySelector('input[name="q-Q1a"]:checked').value`) != "mostly" {
		t.Error("ArrowDown did not select Mostly")
	}
	p.run("tab to the textarea", chromedp.KeyEvent(kb.Tab))
	if id := p.eval(`document.activeElement.id`); id != "q-Q1b" {
		t.Fatalf("Tab from the radios went to %q", id)
	}
	p.run("type", chromedp.KeyEvent(typedWhy), chromedp.KeyEvent(kb.Tab))
	if txt := p.eval(`document.activeElement.textContent.trim()`); txt != "Save and continue" {
		t.Fatalf("Tab from the textarea went to %q", txt)
	}
	p.run("mark", chromedp.Evaluate[chromedp.Void](`window.heardOldPage = true`))
	p.run("continue", chromedp.KeyEvent(kb.Enter))
	p.waitForNewPage()

	// The other themes, by label text.
	answers := []struct{ page, choice, why string }{
		{"smarter-regulation", "Fully", ""},
		{"safety-through-learning", "Partially", "More on safeguarding."},
		{"accelerating-improvement", "", ""},
		{"assessing-systems", "Not at all", ""},
		{"tackling-inequalities", "Don't know", "Hard to say yet."},
	}
	for _, a := range answers {
		if p.path() != respond+"/"+a.page {
			t.Fatalf("at %s, want %s", p.path(), a.page)
		}
		p.audit(a.page)
		if a.choice != "" {
			p.choose("", a.choice)
		}
		if a.why != "" {
			p.write(whyLabel, a.why)
		}
		p.press("Save and continue")
	}
	p.audit("Q7 page")
	p.write("Do you have any comments on our draft equality and human rights impact assessment, including the opportunities and risks it identifies for equality and human rights?", typedQ7)
	p.press("Save and continue")

	// About you: "on behalf of an organisation" without its name first.
	p.audit("about you")
	p.choose("Are you responding as an individual or on behalf of an organisation?", "On behalf of an organisation")
	p.press("Save and continue")
	if got := p.text(".govuk-error-summary"); !strings.Contains(got, "Enter the name of your organisation") {
		t.Errorf("about you error summary = %q", got)
	}
	if title := p.eval(`document.title`); !strings.HasPrefix(title, "Error: About you") {
		t.Errorf("title with an error = %q", title)
	}
	p.audit("about you, with an error")
	p.write("If you are responding on behalf of an organisation, what is its name?", orgName)
	p.choose("Which of these best describes you?", "People who use services / public / voluntary and charity groups")
	p.press("Save and continue")

	p.audit("equality information")
	p.choose("What is your age?", "65 to 74")
	p.choose("What is your ethnic group?", "Prefer not to say")
	p.choose("Do you look after, or give any help or support to, anyone because they have long-term physical or mental health conditions or illnesses, or problems related to old age?", "Yes")
	p.press("Save and continue")

	// Publishing: consent is the one required answer.
	p.audit("publishing")
	p.press("Save and continue")
	if got := p.text(".govuk-error-message"); !strings.Contains(got, "Select whether we may publish your response") {
		t.Errorf("no consent: %q", got)
	}
	p.audit("publishing, with an error")
	p.choose("", "Yes, you may publish my response and quote from it")
	p.press("Save and continue")

	if p.path() != respond+"/check" {
		t.Fatalf("at %s, want check your answers", p.path())
	}
	p.audit("check your answers")
	check := p.text("main")
	for _, want := range []string{typedWhy, typedQ7, orgName, "65 to 74", "Not answered"} {
		if !strings.Contains(check, want) {
			t.Errorf("check your answers lacks %q", want)
		}
	}
	p.press(submitBtn)

	p.audit("confirmation")
	ref := p.text(".govuk-panel__body strong")
	if !regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(ref) {
		t.Fatalf("reference %q", ref)
	}
	// The printable copy holds the answers; printed, only the content shows.
	if copyText := p.text("main"); !strings.Contains(copyText, typedQ7) || !strings.Contains(copyText, "65 to 74") {
		t.Error("the confirmation lacks the copy of the answers")
	}
	sctx, cancel := browsertest.Step(t, b)
	defer cancel()
	if _, err := chromedp.Call(sctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed := p.eval(`['.govuk-template__header', '.govuk-footer', 'form.heard-no-print', '.govuk-panel', '.govuk-summary-card']
		.map(s => getComputedStyle(document.querySelector(s)).display === 'none' ? 'hidden' : 'shown').join(' ')`)
	if printed != "hidden hidden hidden shown shown" {
		t.Errorf("printed: header, footer, button, panel, answers = %s", printed)
	}

	after := e.webformCounts(viewer)
	for k, d := range map[string]int{"Q1a/mostly": 1, "Q1b/": 1, "Q2a/fully": 1, "Q3a/partially": 1, "Q3b/": 1, "Q4a/fully": 0,
		"Q5a/not-at-all": 1, "Q6a/dont-know": 1, "Q7/": 1, "age-band/65-74": 1, "ethnic-group/prefer-not-to-say": 1, "unpaid-carer/yes": 1} {
		if after[k]-before[k] != d {
			t.Errorf("results.csv %s went from %d to %d, want +%d", k, before[k], after[k], d)
		}
	}
	if n := e.responsesFor(t, ref); n != 1 {
		t.Errorf("%d responses with reference %s", n, ref)
	}
}
