package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/accounts"
	"heard/internal/browsertest"
)

// The personal-data pages in a real browser, each checked by axe-core:
// the analysts' review with a highlighted span, a decision's error, the
// admin's consultation page, subject access with results, and the
// public page of organisations' responses.
func TestPersonalDataPagesInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, "admin@example.org", testPassword, accounts.Admin); err != nil {
		t.Fatal(err)
	}
	var resp int64
	if err := e.pool.QueryRow(ctx, `SELECT response_id FROM personal_spans WHERE question_id = 0 ORDER BY id LIMIT 1`).Scan(&resp); err != nil {
		t.Fatalf("the demo has no detected personal data: %v", err)
	}
	b := browsertest.New(t)
	text := func(sel string) string {
		t.Helper()
		return browsertest.Run(t, b, "text of "+sel, chromedp.Text(chromedp.CSS(sel)))
	}
	review := fmt.Sprintf("/consultations/cqc-2021/responses/%d/personal-data", resp)
	browsertest.Do(t, b, "open the review", chromedp.Navigate(e.srv.URL+"/sign-in?next="+review), chromedp.WaitVisible(chromedp.CSS("#email")))
	browsertest.Leave(t, b, "sign in", chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	if got := text("h1"); !strings.HasPrefix(got, "Personal data in response") {
		t.Fatalf("review h1 = %q", got)
	}
	browsertest.Axe(t, b, "redaction review")
	browsertest.Leave(t, b, "dismiss without a reason", chromedp.Click(chromedp.CSS(`button[value=dismissed]`)))
	if got := text(".govuk-error-summary"); !strings.Contains(got, "Enter a reason") {
		t.Errorf("error summary = %q", got)
	}
	browsertest.Axe(t, b, "redaction review with an error")

	for _, p := range []struct{ path, ready, what string }{
		{"/admin/consultations/cqc-2021/personal-data", "#retention-plan", "admin personal data"},
		{"/admin/subject-access", "#term", "subject access"},
	} {
		browsertest.Do(t, b, "open "+p.what, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		browsertest.Axe(t, b, p.what)
	}
	browsertest.Leave(t, b, "search", chromedp.SendKeys(chromedp.CSS("#label"), "Email of 1 November"), chromedp.SendKeys(chromedp.CSS("#term"), "demo-0013\r"))
	if got := text("main h2"); !strings.HasPrefix(got, "Found ") {
		t.Errorf("after the search: %q", got)
	}
	browsertest.Axe(t, b, "subject access results")

	browsertest.Do(t, b, "open admin personal data", chromedp.Navigate(e.srv.URL+"/admin/consultations/cqc-2021/personal-data"), chromedp.WaitVisible(chromedp.CSS("#retention-plan")))
	browsertest.Leave(t, b, "publish organisations' responses", chromedp.Click(chromedp.CSS(`form[action$="/organisation-responses"] button`)))
	browsertest.Do(t, b, "open the public page", chromedp.Navigate(e.srv.URL+"/consultations/cqc-2021/organisation-responses"), chromedp.WaitVisible(chromedp.CSS("h1")))
	browsertest.Axe(t, b, "organisations' responses")
}
