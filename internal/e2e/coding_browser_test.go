package e2e_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"heard/internal/accounts"
	"heard/internal/browsertest"
	"heard/internal/coding"
)

func (b *browser) signIn(email string) {
	b.t.Helper()
	b.open("/sign-in", "#email")
	b.run("type email", chromedp.SendKeys(chromedp.CSS("#email"), email))
	b.submit("sign in as "+email, chromedp.SendKeys(chromedp.CSS("#password"), testPassword+kb.Enter))
}

func (b *browser) signOut() {
	b.t.Helper()
	b.submit("sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
}

// An analyst builds a small codeframe, codes twenty answers by keyboard
// with "next uncoded", flags a quote and sees the code counts by group;
// an admin draws a double-coding sample, two analysts code it blind, and
// a third person sees kappa and alpha and resolves a disagreement. Every
// page is checked by axe-core.
func TestAnalystsCodeAnswersInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, u := range []struct {
		email string
		role  accounts.Role
	}{{"ann@example.org", accounts.Analyst}, {"bob@example.org", accounts.Analyst}, {"carol@example.org", accounts.Admin}} {
		if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, u.email, testPassword, u.role); err != nil {
			t.Fatal(err)
		}
	}
	b := &browser{t: t, ctx: browsertest.New(t), base: e.srv.URL}
	b.signIn("ann@example.org")

	// A small codeframe, typed in by keyboard.
	const frame = "/consultations/cqc-2021/codeframes/questions/Q1b"
	b.open(frame, "main h1")
	browsertest.Axe(t, b.ctx, "empty codeframe")
	for _, name := range []string{"Raising public awareness of CQC", "Feedback on the whole journey through care", "Digital exclusion"} {
		b.submit("add "+name, chromedp.Focus(chromedp.CSS("#name")), keys(name+kb.Enter))
		if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "Code added") {
			t.Fatalf("adding %s: %q", name, got)
		}
	}
	browsertest.Axe(t, b.ctx, "codeframe with codes")
	b.submit("move the last code up", chromedp.Click(chromedp.CSS(`button[name="dir"][value="up"]`)))
	b.submit("change a code", chromedp.Click(chromedp.CSS(`main td a[href*="/codes/"]`)))
	browsertest.Axe(t, b.ctx, "code page (change, retire, merge)")
	b.submit("describe it", chromedp.SetValue(chromedp.CSS("#description"), "Wants people to know what CQC does"),
		chromedp.Click(chromedp.CSS(`main form button.govuk-button`)))
	if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "Code saved") {
		t.Fatalf("saving a code: %q", got)
	}

	// Twenty answers by keyboard: 1 to 3 tick codes, Enter saves and
	// opens the next uncoded answer.
	b.open("/consultations/cqc-2021/questions/Q1b/coding", "main h1")
	browsertest.Axe(t, b.ctx, "coding page")
	b.submit("start coding", chromedp.Focus(chromedp.CSS("a.govuk-button--start")), keys(kb.Enter))
	browsertest.Axe(t, b.ctx, "coding screen")
	seen := map[string]bool{}
	for i := range 20 {
		url := b.location()
		if seen[url] {
			t.Fatalf("answer %d: %s again: next uncoded must move on", i+1, url)
		}
		seen[url] = true
		code := []string{"1", "2", "3"}[i%3]
		if i == 0 {
			// Highlight the answer's first words: ticking a code makes them its excerpt.
			b.run("highlight", chromedp.Evaluate[chromedp.Void](`(() => { const n = document.getElementById('answer-text').firstChild;
				const r = document.createRange(); r.setStart(n, 0); r.setEnd(n, 12);
				const s = window.getSelection(); s.removeAllRanges(); s.addRange(r) })()`))
		}
		b.run("tick a code", keys(code))
		if i == 0 {
			if x, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('input[name^="excerpt-"]').value`)); len(x) < 5 {
				t.Fatalf("the highlighted words did not become the excerpt: %q", x)
			}
		}
		if checked, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector('[data-shortcut="`+code+`"]').checked`)); !checked {
			t.Fatalf("answer %d: key %s did not tick code %s", i+1, code, code)
		}
		if i%5 == 0 && code != "3" {
			b.run("tick a second code", keys("3"))
		}
		b.submit("save and next", keys(kb.Enter))
	}
	var coded int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM unit_states s JOIN questions q ON q.id = s.question_id WHERE q.code = 'Q1b' AND s.coded`).Scan(&coded)
	if coded != 20 {
		t.Fatalf("coded %d answers, want 20", coded)
	}
	var excerpts int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM unit_codes WHERE excerpt_start IS NOT NULL`).Scan(&excerpts)
	if excerpts == 0 {
		t.Error("no code was saved with the highlighted excerpt")
	}

	// Flag a quote from a respondent who agreed to publication.
	var quotable string
	e.pool.QueryRow(ctx, `SELECT a.response_id::text FROM answers a JOIN questions q ON q.id = a.question_id
		JOIN responses r ON r.id = a.response_id JOIN webform_drafts d ON d.consultation_id = r.consultation_id AND d.reference = r.source_ref
		WHERE q.code = 'Q1b' AND a.text IS NOT NULL AND d.publication_consent = 'yes' ORDER BY a.response_id LIMIT 1`).Scan(&quotable)
	b.open("/consultations/cqc-2021/questions/Q1b/coding/"+quotable, "#quote-worthy")
	b.run("tick quote-worthy", chromedp.Focus(chromedp.CSS("#quote-worthy")), keys(" "))
	b.submit("save", chromedp.Focus(chromedp.CSS(`button[name="next"][value="no"]`)), keys(kb.Enter))
	if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "Coding saved") {
		t.Fatalf("saving the quote: %q", got)
	}
	if got := b.text("main table"); !strings.Contains(got, "Flagged quote-worthy") {
		t.Errorf("history lacks the flag: %q", got)
	}
	browsertest.Axe(t, b.ctx, "coding screen with history")
	b.open("/consultations/cqc-2021/questions/Q1b/quotes", "main h1")
	if got := b.text("main"); !strings.Contains(got, "” (") {
		t.Errorf("quotes page: %q", got)
	}
	browsertest.Axe(t, b.ctx, "quotes")

	// Code counts by group on the question page.
	b.open("/consultations/cqc-2021/questions/Q1b", "main h1")
	if got := b.text("main"); !strings.Contains(got, "Codes by respondent group") || !strings.Contains(got, "Digital exclusion") {
		t.Errorf("question page lacks the code counts by group")
	}
	browsertest.Axe(t, b.ctx, "question page with code counts")
	b.open("/consultations/cqc-2021/coding", "main h1")
	if got := b.text("main"); !strings.Contains(got, "ann@example.org 2") {
		t.Errorf("progress page: %q", got)
	}
	browsertest.Axe(t, b.ctx, "coding progress")

	// At 320 CSS pixels (400% zoom) nothing scrolls sideways.
	b.run("phone-sized screen", chromedp.EmulateViewport(320, 800))
	for _, p := range []string{"/consultations/cqc-2021/questions/Q1b", "/consultations/cqc-2021/questions/Q1b/coding", "/consultations/cqc-2021/questions/Q1b/coding/" + quotable, frame, "/consultations/cqc-2021/coding"} {
		b.open(p, "main h1")
		browsertest.NoHorizontalScroll(t, b.ctx, p)
	}
	b.run("desktop screen", chromedp.EmulateViewport(1280, 900))
}

// An admin draws a double-coding sample; two analysts code it blind, by
// keyboard; the third person sees kappa and alpha with every
// disagreement side by side, and resolves one.
func TestDoubleCodingInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, u := range []struct {
		email string
		role  accounts.Role
	}{{"ann@example.org", accounts.Analyst}, {"bob@example.org", accounts.Analyst}, {"carol@example.org", accounts.Admin}} {
		if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, u.email, testPassword, u.role); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := e.app.Consultations.Get(ctx, "cqc-2021")
	for _, name := range []string{"Raising public awareness of CQC", "Digital exclusion"} {
		if _, err := e.app.Coding.AddCode(ctx, accounts.Actor{}, c.ID, coding.Frame{QuestionID: c.Question("Q1b").ID}, coding.CodeInput{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	b := &browser{t: t, ctx: browsertest.New(t), base: e.srv.URL}

	// Double coding: carol draws 1% of Q1b for ann and bob.
	b.signIn("carol@example.org")
	b.open("/consultations/cqc-2021/questions/Q1b/double-coding", "#share")
	browsertest.Axe(t, b.ctx, "double coding")
	b.run("choose the coders",
		chromedp.SetValue(chromedp.CSS("#share"), "1"),
		chromedp.SetValue(chromedp.CSS("#coder_a"), userID(t, e, "ann@example.org")),
		chromedp.SetValue(chromedp.CSS("#coder_b"), userID(t, e, "bob@example.org")))
	b.submit("draw", chromedp.Focus(chromedp.CSS("#share")), keys(kb.Enter))
	sampleURL, _, _ := strings.Cut(b.location(), "?")
	browsertest.Axe(t, b.ctx, "sample while coding")
	b.signOut()

	codeSample := func(email string, differ bool) {
		b.signIn(email)
		b.run("open sample", chromedp.Navigate(sampleURL), chromedp.WaitVisible(chromedp.CSS("main h1")))
		b.submit("start", chromedp.Focus(chromedp.CSS(`a[href$="/next"]`)), keys(kb.Enter))
		first, last := true, ""
		for {
			url := b.location()
			if url == last {
				main, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("main")))
				t.Fatalf("%s: the same answer again after saving: %s", email, main)
			}
			last = url
			if !strings.Contains(url, "/answers/") {
				break
			}
			if first && email == "ann@example.org" {
				browsertest.Axe(t, b.ctx, "sample coding screen")
				if got := b.text("main"); strings.Contains(got, "History") {
					t.Error("a coder sees the answer's history in the sample")
				}
			}
			code := "1"
			if differ && first {
				code = "2"
			}
			first = false
			b.submit("code and next", keys(code), keys(kb.Enter))
		}
		b.signOut()
	}
	codeSample("ann@example.org", false)
	codeSample("bob@example.org", true)

	// Carol, the third person, sees agreement and resolves.
	b.signIn("carol@example.org")
	b.run("open report", chromedp.Navigate(sampleURL), chromedp.WaitVisible(chromedp.CSS("main h1")))
	report := b.text("main")
	if !strings.Contains(report, "Kappa") || !strings.Contains(report, "Overall") || !strings.Contains(report, "Disagreements") {
		t.Fatalf("no agreement report: %q", report)
	}
	browsertest.Axe(t, b.ctx, "agreement report")
	b.run("answer yes", chromedp.Focus(chromedp.CSS(`input[name="present"][value="yes"]`)), keys(" "))
	b.submit("resolve", chromedp.Click(chromedp.CSS(`.heard-disagreement button`)))
	if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "Disagreement resolved") {
		t.Fatalf("resolving: %q", got)
	}
	if got := b.text("main"); !strings.Contains(got, "decided by carol@example.org") {
		t.Error("the resolution is not shown beside the disagreement")
	}
	browsertest.Axe(t, b.ctx, "agreement report after a resolution")
}

func userID(t *testing.T, e *env, email string) string {
	t.Helper()
	u, err := e.app.Accounts.GetByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(u.ID, 10)
}
