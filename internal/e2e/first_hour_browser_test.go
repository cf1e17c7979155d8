package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"heard/internal/accounts"
	"heard/internal/browsertest"
)

// A newcomer's first hour, in Chromium, as the README tells it: respond
// to the demo's open consultation, sign in as the admin, create a
// consultation from a definition file and open and close it (with
// JavaScript off), read a demo letter with its parts attributed, see the
// demo's events with their notes, and invite an analyst by link, who sets
// a password and signs in. Every new page is checked by axe-core.
func TestNewcomersFirstHourInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, "demo-admin@example.org", testPassword, accounts.Admin); err != nil {
		t.Fatal(err)
	}
	p := &respondent{t: t, b: browsertest.New(t), base: e.srv.URL}
	b := &browser{t: t, ctx: p.b, base: e.srv.URL}
	location := func() string { return p.path() }

	// The public list: the closed CQC consultation leads to a page saying
	// its results are not published; the open copy to its form.
	b.open("/", "main h1")
	browsertest.Axe(t, b.ctx, "home, public")
	b.submit("open the closed consultation", chromedp.Focus(chromedp.CSS(`a[href="/consultations/cqc-2021/about"]`)), keys(kb.Enter))
	if got := b.text("main"); !strings.Contains(got, "not published yet") {
		t.Errorf("about page: %.200q", got)
	}
	browsertest.Axe(t, b.ctx, "about, results not published")

	// Respond to the open copy: the theme pages say what each proposes.
	const respond = "/consultations/try-cqc-strategy/respond"
	p.open(respond)
	p.run("mark", chromedp.Evaluate[chromedp.Void](`window.heardOldPage = true`))
	p.run("start", chromedp.Focus(chromedp.CSS(".govuk-button--start")), chromedp.KeyEvent(kb.Enter))
	p.waitForNewPage()
	if got := p.text(".heard-theme-summary"); !strings.Contains(got, "driven by people’s needs and experiences") {
		t.Errorf("theme summary = %q", got)
	}
	p.audit("theme page with its summary")
	p.choose(q1Legend, "Mostly")
	p.write(whyLabel, typedWhy)
	for location() != respond+"/publishing" {
		p.press("Save and continue")
	}
	p.choose("", "Yes, you may publish my response and quote from it")
	p.press("Save and continue")
	p.press(submitBtn)
	if got := p.text(".govuk-panel__title"); !strings.Contains(got, "sent") && !strings.Contains(got, "Response") {
		t.Errorf("confirmation panel = %q", got)
	}

	// Sign in as the demo admin.
	b.open("/sign-in", "#email")
	b.run("type sign-in", chromedp.SendKeys(chromedp.CSS("#email"), "demo-admin@example.org"))
	b.submit("sign in", chromedp.SendKeys(chromedp.CSS("#password"), testPassword+kb.Enter))

	// Create a consultation from a file, open it and close it, all with
	// JavaScript off: plain forms.
	def := filepath.Join(t.TempDir(), "parks.json")
	if err := os.WriteFile(def, []byte(parksDefinition), 0o600); err != nil {
		t.Fatal(err)
	}
	b.open("/admin/consultations", "main h1")
	browsertest.Axe(t, b.ctx, "manage consultations")
	b.submit("create", chromedp.Focus(chromedp.CSS(`a[href="/admin/consultations/new"]`)), keys(kb.Enter))
	browsertest.Axe(t, b.ctx, "create a consultation")
	p.scripts(false)
	b.submit("upload nothing", chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`)))
	if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Select a definition file") {
		t.Errorf("no file: %q", got)
	}
	b.submit("upload", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{def}), chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`)))
	if l := location(); l != "/admin/consultations/parks-2026" || !strings.Contains(b.text(".govuk-notification-banner"), "Created Our plan for parks as a draft") {
		t.Fatalf("after upload at %s", l)
	}
	b.submit("open it", chromedp.Click(`//button[normalize-space(.)="Open the consultation"]`))
	if got := b.text("main"); !strings.Contains(got, "The consultation is open") {
		t.Errorf("after opening: %.300q", got)
	}
	b.submit("close it", chromedp.Click(`//button[normalize-space(.)="Close the consultation"]`))
	if got := b.text("main"); !strings.Contains(got, "This consultation is closed") {
		t.Errorf("after closing: %.300q", got)
	}
	p.scripts(true)
	b.open("/admin/consultations/parks-2026", "main h1")
	browsertest.Axe(t, b.ctx, "a consultation's admin page")
	b.run("clear the title", chromedp.Evaluate[chromedp.Void](`document.getElementById("title").value = ""`))
	b.submit("save without a title", chromedp.Click(`//button[normalize-space(.)="Save the details"]`))
	if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Enter a title") {
		t.Errorf("details without a title: %q", got)
	}
	browsertest.Axe(t, b.ctx, "a consultation's admin page with errors")
	b.open("/admin/consultations/new", "main h1")
	b.submit("copy without a slug", chromedp.Click(`//button[normalize-space(.)="Create a copy"]`))
	browsertest.Axe(t, b.ctx, "create a consultation with errors")

	// From the CQC consultation's page to an import, to a letter whose
	// parts are attributed to themes and questions.
	b.open("/admin/consultations/cqc-2021", "main h1")
	b.submit("imports", chromedp.Click(`//a[normalize-space(.)="Imports"]`))
	b.submit("an import", chromedp.Click(chromedp.CSS(`main table tbody a`)))
	b.submit("a letter", chromedp.Click(chromedp.CSS(`main a[href*="/letters/"]`)))
	letter := b.text("main")
	if !strings.Contains(letter, "Text and attribution") || !(strings.Contains(letter, "(theme heading)") || strings.Contains(letter, "(question reference)") || strings.Contains(letter, "(corrected)")) {
		t.Errorf("letter page: %.400q", letter)
	}
	browsertest.Axe(t, b.ctx, "a demo letter")

	// The demo's events and their group notes.
	b.open("/consultations/cqc-2021/events", "table")
	if got := b.text("main table"); !strings.Contains(got, "Webinar: Smarter regulation") || !strings.Contains(got, "Focus group") || !strings.Contains(got, "One-to-one interviews") {
		t.Errorf("events: %.300q", got)
	}
	b.submit("an event", chromedp.Click(`//a[contains(., "Webinar: Smarter regulation")]`))
	if got := b.text("main"); !strings.Contains(got, "less time on site") {
		t.Errorf("event page lacks its group notes: %.400q", got)
	}

	// Invite an analyst by link; they set their password and sign in.
	b.open("/admin/users", "#email")
	b.run("type the email", chromedp.SendKeys(chromedp.CSS("#email"), "new.analyst@example.org"), chromedp.SetValue(chromedp.CSS("#role"), "analyst"))
	b.submit("add the user", chromedp.Click(`//button[normalize-space(.)="Add user and make their link"]`))
	browsertest.Axe(t, b.ctx, "set-password link")
	link, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#link")))
	if err != nil || !strings.Contains(link, "/set-password?token=") {
		t.Fatalf("link = %q (%v)", link, err)
	}
	b.submit("sign out", chromedp.Click(chromedp.CSS(".heard-link-button")))
	b.open(strings.TrimPrefix(link, e.srv.URL), "#password")
	browsertest.Axe(t, b.ctx, "choose your password")
	b.submit("set nothing", chromedp.Click(`//button[normalize-space(.)="Set my password"]`))
	browsertest.Axe(t, b.ctx, "choose your password with an error")
	b.run("type the password", chromedp.SendKeys(chromedp.CSS("#password"), testPassword), chromedp.SendKeys(chromedp.CSS("#confirm"), testPassword))
	b.submit("set it", chromedp.Click(`//button[normalize-space(.)="Set my password"]`))
	if got := b.text("main h1"); got != "Your password is set" {
		t.Fatalf("after setting: %q", got)
	}
	browsertest.Axe(t, b.ctx, "password set")
	b.open("/sign-in", "#email")
	b.run("type sign-in", chromedp.SendKeys(chromedp.CSS("#email"), "new.analyst@example.org"))
	b.submit("sign in", chromedp.SendKeys(chromedp.CSS("#password"), testPassword+kb.Enter))
	if l := location(); l != "/" {
		t.Errorf("the invited analyst signed in to %s", l)
	}
}
