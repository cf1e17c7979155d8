package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/browsertest"
	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/db"
	"heard/internal/ingest"
)

// With JavaScript off, an analyst opens a campaign's members with added
// text, chooses the codeframe, opens the next member's added text and
// codes it on the ordinary coding screen; the campaign page (also with
// its error), and the added-text coding screen are axe-clean.
func TestCodingCampaignAddedTextInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	// Generated webform responses with known campaigns, detected as an
	// import does.
	docs := campaign.Generate(80, 2, 0.5, 11)
	open := c.Question("Q1b")
	err = db.WithTx(ctx, e.pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for i, d := range docs {
			text := d.Text
			if err := w.Add(ctx, ingest.Response{SourceRef: fmt.Sprintf("camp-%d", i), Channel: "webform", Organisation: d.Sender,
				ReceivedAt: time.Date(2021, 3, 1, 0, 0, i, 0, time.UTC), Answers: []ingest.Answer{{QuestionID: open.ID, Text: &text}}}); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := &campaign.Service{Pool: e.pool}
	if _, err := svc.DetectPending(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	list, _, err := svc.List(ctx, c.ID)
	if err != nil || len(list) == 0 {
		t.Fatalf("no campaigns: %v", err)
	}
	admin := accounts.Actor{}
	if _, err := e.app.Accounts.Create(ctx, admin, "analyst@example.org", testPassword, accounts.Analyst); err != nil {
		t.Fatal(err)
	}
	var uid int64
	e.pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'analyst@example.org'`).Scan(&uid)
	if _, err := (&coding.Service{Pool: e.pool}).AddCode(ctx, accounts.Actor{User: &accounts.User{ID: uid, Email: "analyst@example.org"}}, c.ID,
		coding.Frame{QuestionID: open.ID}, coding.CodeInput{Name: "Local clinic closures", Key: "LCC"}); err != nil {
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
	scripts := func(on bool) {
		t.Helper()
		sctx, cancel := browsertest.Step(t, b)
		defer cancel()
		if _, err := chromedp.Call(sctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
			t.Fatalf("turn scripts off or on: %v", err)
		}
	}
	// axe-core needs timers, which do not run with scripts off; turning
	// them on for the audit does not run the page's own scripts, which
	// were skipped when it loaded (as in the webform tests).
	axe := func(page string) {
		t.Helper()
		scripts(true)
		defer scripts(false)
		browsertest.Axe(t, b, page)
	}
	scripts(false)
	page := fmt.Sprintf("/consultations/cqc-2021/campaigns/%d?added=1", list[0].ID)
	do("sign-in page", chromedp.Navigate(e.srv.URL+"/sign-in?next="+page), chromedp.WaitVisible(chromedp.CSS("#email")))
	submit("sign in", chromedp.SendKeys(chromedp.CSS("#email"), "analyst@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	browsertest.WaitFor(t, b, "members with added text", `document.querySelector("main h1") !== null`)
	axe("campaign, members with added text, no codeframe yet")

	// Saving without a choice: the error summary and the inline error.
	submit("save no codeframe", chromedp.Click(chromedp.CSS(`form[action$="/codeframe"] button`)))
	if s := text("main"); !strings.Contains(s, "There is a problem") || !strings.Contains(s, "Choose the question whose codeframe codes the added text") {
		t.Errorf("no codeframe chosen: %.300s", s)
	}
	axe("campaign, codeframe error")

	// Choose the codeframe (radios, keyboard) and save.
	submit("choose Q1b's codeframe", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="added-question"][value="%d"]`, open.ID))),
		chromedp.Click(chromedp.CSS(`form[action$="/codeframe"] button`)))
	if s := text("main"); !strings.Contains(s, "Coded with the codeframe of Q1b") {
		t.Fatalf("after choosing the codeframe: %.300s", s)
	}
	axe("campaign, members with added text, codeframe chosen")

	// Open one member's added text from the list.
	submit("open a member's added text", chromedp.Click(chromedp.CSS(`button[formaction$="/added"]`)))
	if s := text("main"); !strings.Contains(s, "Added text") || !strings.Contains(s, "Local clinic closures") {
		t.Fatalf("added-text coding screen: %.300s", s)
	}
	axe("coding a member's added text")
	do("tick the first code by keyboard", chromedp.Focus(chromedp.CSS(`input[accesskey="1"]`)), chromedp.SendKeys(chromedp.CSS(`input[accesskey="1"]`), " "))
	submit("save", chromedp.Click(chromedp.CSS(`button[name=next][value=no]`)))
	if s := text("main"); !strings.Contains(s, "Coding saved") || !strings.Contains(s, "Applied “Local clinic closures”") {
		t.Errorf("after saving: %.400s", s)
	}
	var n int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM unit_codes WHERE added_id IS NOT NULL AND counted`).Scan(&n)
	if n != 1 {
		t.Errorf("%d counted codes on added texts, want 1", n)
	}
}
