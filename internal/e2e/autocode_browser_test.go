package e2e_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/accounts"
	"heard/internal/browsertest"
	"heard/internal/demo"
)

// On the demo (part of each question coded by the demo analysts), an
// analyst codes an answer of Q1b in Chromium, retrains, and sees the
// model's quality with intervals and a learning curve; a code's
// suggestions show confidence and driving words; accepting all above a
// threshold records codings whose origin is the model. Every page is
// axe-clean, and nothing needs JavaScript (plain forms and links).
func TestSuggestedCodesInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Code(ctx, e.pool, c); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, "analyst@example.org", testPassword, accounts.Analyst); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browsertest.Do(t, b, what, steps...)
	}
	submit := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browsertest.Leave(t, b, what, steps...)
	}
	text := func(css string) string {
		t.Helper()
		return browsertest.Run(t, b, "text of "+css, chromedp.Text(chromedp.CSS(css)))
	}
	const coding = "/consultations/cqc-2021/questions/Q1b/coding"

	do("sign-in page", chromedp.Navigate(e.srv.URL+"/sign-in?next="+coding+"/next"), chromedp.WaitVisible(chromedp.CSS("#email")))
	submit("sign in", chromedp.SendKeys(chromedp.CSS("#email"), "analyst@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	submit("code an answer: no code applies", chromedp.Click(chromedp.CSS("#no-code")), chromedp.Click(chromedp.CSS(`button[name=next][value=yes]`)))

	do("coding page", chromedp.Navigate(e.srv.URL+coding), chromedp.WaitVisible(chromedp.CSS("#suggestions-link")))
	submit("suggested codes", chromedp.Click(chromedp.CSS("#suggestions-link")))
	if s := text("main"); !strings.Contains(s, "No model yet") {
		t.Fatalf("before training: %s", s)
	}
	browsertest.Axe(t, b, "suggestions before training")
	submit("retrain", chromedp.Click(chromedp.CSS(`form[action$="/train"] button`)))
	if s := text(".govuk-notification-banner"); !strings.Contains(s, "trained") {
		t.Fatalf("after retrain: %q", s)
	}
	if s := text("#quality-table"); !regexp.MustCompile(`All codes\s+\d+ \(\d+\)\s+[01]\.\d\d \([01]\.\d\d–[01]\.\d\d\)`).MatchString(s) {
		t.Errorf("quality table: %q", s)
	}
	if s := text("#learning-curve"); !strings.Contains(s, "25") {
		t.Errorf("learning curve: %q", s)
	}
	browsertest.Axe(t, b, "suggestions with quality")

	// The code with most suggestions: confidence and driving words.
	var codeID string
	e.pool.QueryRow(ctx, `SELECT code_id::text FROM autocode_suggestions g JOIN questions q ON q.id = g.question_id
		WHERE q.code = 'Q1b' AND g.status = 'pending' GROUP BY code_id ORDER BY count(*) DESC LIMIT 1`).Scan(&codeID)
	submit("open the code's suggestions", chromedp.Click(chromedp.CSS(`#codes a[href*="code=`+codeID+`#"]`)))
	row := text("#suggestions tbody tr")
	if !regexp.MustCompile(`\d+%`).MatchString(row) || !strings.Contains(row, "model") {
		t.Errorf("first suggestion: %q", row)
	}
	if w := text("#suggestions tbody tr mark"); w == "" {
		t.Error("no driving words shown")
	}
	browsertest.Axe(t, b, "a code's suggestions")

	// Bulk accept at 50%: the option says how many and the expected precision.
	// (Options start lower, at 30%, and only those with answers are shown,
	// so the 50% option is found by its value.)
	id, err := chromedp.Run(b, chromedp.Evaluate[string](`(document.querySelector('input[name=threshold][value="0.50"]') || {id: ''}).id`))
	if err != nil || id == "" {
		t.Fatalf("no 50%% option (%v)", err)
	}
	label := text(`label[for="` + id + `"]`)
	m := regexp.MustCompile(`^50% or more: (\d+) answers, expected precision \d+%`).FindStringSubmatch(label)
	if m == nil {
		t.Fatalf("threshold option: %q", label)
	}
	submit("accept above 50%", chromedp.Click(chromedp.CSS("#"+id)), chromedp.Click(chromedp.CSS(`form[action$="/bulk"] button`)))
	if s := text(".govuk-notification-banner"); !strings.Contains(s, "Code applied to "+m[1]+" answers") {
		t.Errorf("after bulk accept: %q (expected %s)", s, m[1])
	}
	browsertest.Axe(t, b, "after bulk accept")
	var n int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM coding_events WHERE code_id = $1::integer AND origin = 'model' AND reason = 'suggestion'
		AND user_id = (SELECT id FROM users WHERE email = 'analyst@example.org')`, codeID).Scan(&n)
	if m[1] != "0" && n == 0 {
		t.Error("no model-origin codings recorded by the analyst")
	}

	// An answer's own coding screen lists its suggestions; accepting one
	// there codes it and comes back to the answer.
	var rid string
	e.pool.QueryRow(ctx, `SELECT g.response_id::text FROM autocode_suggestions g JOIN questions q ON q.id = g.question_id
		WHERE q.code = 'Q1b' AND g.status = 'pending' ORDER BY g.confidence DESC, g.response_id LIMIT 1`).Scan(&rid)
	do("an answer with a suggestion", chromedp.Navigate(e.srv.URL+coding+"/"+rid), chromedp.WaitVisible(chromedp.CSS("#answer-suggestions")))
	browsertest.Axe(t, b, "answer coding screen with suggestions")
	submit("accept it there", chromedp.Click(chromedp.CSS(`#answer-suggestions + ul button[value=accept]`)))
	if s := text(".govuk-notification-banner"); !strings.Contains(s, "Coding saved") {
		t.Errorf("after accepting on the answer's screen: %q", s)
	}
	var origin string
	e.pool.QueryRow(ctx, `SELECT origin FROM coding_events WHERE response_id = $1::bigint AND action = 'apply' AND sample_id IS NULL
		ORDER BY id DESC LIMIT 1`, rid).Scan(&origin)
	if origin != "model" {
		t.Errorf("accepted on the answer's screen: origin %q, want model", origin)
	}
}
