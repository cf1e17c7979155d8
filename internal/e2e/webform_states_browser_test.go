package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/browsertest"
)

// The form's other states, with JavaScript on (the live character count
// and the revealed organisation field) and then off: each passes
// axe-core and fits a 320 px screen.
func TestWebformStatesInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	p := &respondent{t: t, b: browsertest.New(t), base: e.srv.URL}
	p.run("phone-sized screen", chromedp.EmulateViewport(320, 800))

	// JavaScript on: GOV.UK Frontend counts as you type.
	p.open(respond + "/people-and-communities")
	if !strings.Contains(p.eval(`document.body.className`), "govuk-frontend-supported") {
		t.Fatal("GOV.UK Frontend did not start")
	}
	p.write(whyLabel, "Twelve chars")
	browsertest.WaitFor(t, p.b, "the live count says 19,988 characters remaining", `document.querySelector('.govuk-character-count__status').textContent.includes('19,988 characters remaining')`)
	p.audit("theme page with the live character count")
	// Over the limit (set directly: typing 20,001 keys is slow), then save.
	p.run("paste a long answer", chromedp.SetValue(chromedp.CSS("#q-Q1b"), strings.Repeat("y", 20_001)))
	p.press("Save and continue")
	if got := p.text(".govuk-error-summary"); !strings.Contains(got, "20,000 characters or fewer") {
		t.Errorf("over the limit: %q", got)
	}
	p.audit("theme page over the limit")

	// About you with JavaScript on: the same fields as without.
	p.open(respond + "/about-you")
	p.choose("", "On behalf of an organisation")
	p.audit("about you with JavaScript")
	p.write("If you are responding on behalf of an organisation, what is its name?", "Carers Together (browser test)")
	p.press("Save and come back later")
	if p.path() != respond+"/saved" {
		t.Fatalf("save and come back later led to %s", p.path())
	}
	p.audit("saved page")
	p.open(respond)
	p.audit("start page with a response in progress")

	// Check your answers with problems left (no consent yet).
	p.open(respond + "/check")
	p.press(submitBtn)
	if title := p.eval(`document.title`); !strings.HasPrefix(title, "Error: Check your answers") {
		t.Errorf("title = %q", title)
	}
	p.audit("check your answers with problems")

	// The database goes away: the page keeps what was typed; the submit
	// says nothing is lost.
	p.scripts(false)
	p.open(respond + "/publishing?return=check")
	outage := e.outage()
	outage(true)
	p.choose("", "Yes, you may publish my response and quote from it")
	p.press("Save and continue")
	if got := p.text("main"); !strings.Contains(got, "not saved yet") {
		t.Errorf("saving during the outage: %q", got)
	}
	if p.eval(`String(document.querySelector('input[name="consent"][value="yes"]').checked)`) != "true" {
		t.Error("the choice made during the outage is not kept on the page")
	}
	p.audit("page not saved during an outage")
	outage(false)
	p.press("Save and continue")
	outage(true)
	p.press(submitBtn)
	if got := p.text("h1"); !strings.Contains(got, "not been sent yet") {
		t.Errorf("submitting during the outage: %q", got)
	}
	p.audit("submit during an outage")
	outage(false)

	// Closed after the answers were written: the send is refused, with
	// a copy of the answers.
	e.setForm("open", -30, -1)
	p.press("Send response again")
	if got := p.text("h1"); got != "Your response was not sent" {
		t.Errorf("late submit: %q", got)
	}
	p.audit("refusal after the close")
	p.open(respond)
	p.audit("closed consultation")
	e.setForm("open", 5, 30)
	p.open(respond)
	if got := p.text("h1"); got != "This consultation is not open yet" {
		t.Errorf("not yet open: %q", got)
	}
	p.audit("consultation not open yet")
}
