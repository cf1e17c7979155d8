package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"heard/internal/accounts"
	"heard/internal/browsertest"
	"heard/internal/fixture"
	"heard/internal/results"
)

// An analyst, by keyboard in Chromium, finds the Q1b answers of
// organisations that did not support Q1a at all and mention inspection,
// opens one whole response and steps to the next; then reads the letters
// list, a letter whole and a theme's passages. Every page is checked by
// axe-core.
func TestAnalystFindsAndReadsAnswersInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if err := fixture.InspectionAnswers(context.Background(), e.pool); err != nil {
		t.Fatal(err)
	}
	admin := e.user("admin@example.org", accounts.Admin)
	mail := "From: Pat Jones <pat@example.org>\r\nSubject: Our response\r\nDate: Wed, 3 Feb 2021 09:30:00 +0000\r\nMessage-ID: <pat@example.org>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nDear CQC,\r\n\r\nSmarter regulation\r\n\r\nWe welcome more use of data but worry about inspection visits.\r\n\r\nKind regards\r\n"
	res, _ := admin.upload("/admin/consultations/cqc-2021/imports", "pat.eml", []byte(mail), map[string]string{"group": "public"})
	admin.post(res.Request.URL.Path+"/confirm", nil)
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, "reader@example.org", testPassword, accounts.Analyst); err != nil {
		t.Fatal(err)
	}

	b := &browser{t: t, ctx: browsertest.New(t), base: e.srv.URL}
	b.open("/sign-in", "#email")
	b.run("type sign-in", chromedp.SendKeys(chromedp.CSS("#email"), "reader@example.org"))
	b.submit("sign in", chromedp.SendKeys(chromedp.CSS("#password"), testPassword+kb.Enter))

	b.open("/consultations/cqc-2021/questions/Q1b", "#q")
	browsertest.Axe(t, b.ctx, "open question with the search form")
	// Search words, then open the filters and choose by keyboard: Space
	// ticks a box or a radio.
	b.run("type the search", chromedp.Focus(chromedp.CSS("#q")), keys("inspection"))
	b.run("open the filters", chromedp.Focus(chromedp.CSS("main form details summary")), keys(kb.Enter))
	b.run("Not at all to Q1a", chromedp.Focus(chromedp.CSS(`input[name=answer][value="Q1a:not-at-all"]`)), keys(" "))
	b.run("organisations", chromedp.Focus(chromedp.CSS(`input[name=respondent][value=organisation]`)), keys(" "))
	browsertest.Axe(t, b.ctx, "filter form open")
	b.submit("search and filter", chromedp.Focus(chromedp.CSS(`main form button[type=submit]`)), keys(kb.Enter))

	if got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector('#answers-showing') || document.body).innerText`)); got != "Showing 1–3 of 3 answers" {
		t.Fatalf("after filtering, at %s: %.500q", b.location(), got)
	}
	list := b.text("main")
	for _, want := range []string{"Harbour Care Ltd", "Meadow Homes", "Riverside Trust"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %s", want)
		}
	}
	for _, decoy := range []string{"Hilltop Care", "As a carer", "Valley Group"} {
		if strings.Contains(list, decoy) {
			t.Errorf("the list holds %q, which the filters exclude", decoy)
		}
	}
	marks, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.heard-quote mark')].map(m => m.textContent)`))
	if err != nil || len(marks) < 3 {
		t.Errorf("highlighted matches = %v (%v)", marks, err)
	}
	for _, m := range marks {
		if !strings.HasPrefix(strings.ToLower(m), "inspect") {
			t.Errorf("highlighted %q", m)
		}
	}
	browsertest.Axe(t, b.ctx, "filtered and searched answers")
	browsertest.NoHorizontalScroll(t, b.ctx, "filtered and searched answers")

	// The list's address reproduces it.
	here := b.location()
	b.run("reload the list's address", chromedp.Navigate(here), chromedp.WaitVisible(chromedp.CSS("#answers-showing")))
	if got := b.text("#answers-showing"); got != "Showing 1–3 of 3 answers" {
		t.Errorf("the same address shows %q", got)
	}

	b.submit("open the first response", chromedp.Focus(chromedp.CSS(`.heard-quote a[href*="/responses/"]`)), keys(kb.Enter))
	if got := b.text("main h1"); got != "Response insp-1" {
		t.Fatalf("opened %q", got)
	}
	whole := b.text("main")
	for _, want := range []string{"Online webform", "Service providers", "On behalf of an organisation: Harbour Care Ltd", "Not at all", "inspections on site find what data misses", "Publication consent"} {
		if !strings.Contains(whole, want) {
			t.Errorf("the response page lacks %q", want)
		}
	}
	browsertest.Axe(t, b.ctx, "a whole response")
	b.submit("next in the list", chromedp.Focus(chromedp.CSS("a[rel=next]")), keys(kb.Enter))
	if got := b.text("main h1"); got != "Response insp-2" {
		t.Errorf("next response = %q", got)
	}
	b.submit("back to the list", chromedp.Focus(chromedp.CSS(`main a[href*="/questions/Q1b"]`)), keys(kb.Enter))
	if got := b.text("#answers-showing"); got != "Showing 1–3 of 3 answers" {
		t.Errorf("back in the list: %q", got)
	}

	// Letters: the list, one letter whole, a theme's passages.
	// The demo has letters of its own: open the list's page that holds
	// Pat's, and Pat's letter on it.
	at, err := fixture.LetterAt(context.Background(), e.pool, "pat@example.org")
	if err != nil {
		t.Fatal(err)
	}
	b.open(fmt.Sprintf("/consultations/cqc-2021/letters?page=%d", (at-1)/results.LettersPerPage+1), "table")
	browsertest.Axe(t, b.ctx, "letters list")
	b.submit("open the letter", chromedp.Focus(chromedp.Search(`//table//tr[contains(., "Pat Jones")]//a[contains(@href, "/responses/")]`)), keys(kb.Enter))
	if got := b.text("mark.heard-segment"); !strings.Contains(got, "Dear CQC") && !strings.Contains(b.text(".heard-letter"), "worry about inspection visits") {
		t.Errorf("the letter's text = %q", b.text(".heard-letter"))
	}
	browsertest.Axe(t, b.ctx, "a letter whole")
	// Narrowed to the day Pat's letter came, among the demo's passages.
	b.open("/consultations/cqc-2021/themes/smarter-regulation/letters?q=inspection&from=2021-02-03&to=2021-02-03", "#answers-showing")
	n, err := fixture.ThemePassagesOn(context.Background(), e.pool, "smarter-regulation", "inspection", "2021-02-03")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.text("#answers-showing"), fmt.Sprintf("Showing 1–%d of %d passages", n, n); n == 0 || got != want {
		t.Errorf("theme passages: %q, want %q", got, want)
	}
	if s := b.text("main"); !strings.Contains(s, "worry about inspection visits") {
		t.Errorf("the theme's passages lack Pat's: %.500q", s)
	}
	browsertest.Axe(t, b.ctx, "a theme's letter passages")
}
