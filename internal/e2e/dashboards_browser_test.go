package e2e_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/accounts"
	"heard/internal/browsertest"
)

// The dashboards, breakdowns, report and publishing review pass axe
// (WCAG 2.2 AA tags) for the public and for an admin.
func TestDashboardsInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `UPDATE consultations SET results_published = true`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, "admin@example.org", testPassword, accounts.Admin); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	visit := func(name, path, sel string) {
		t.Helper()
		if err := chromedp.Do(b, chromedp.Navigate(e.srv.URL+path), chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		browsertest.Axe(t, b, name)
	}
	// The public, on published results.
	visit("public overview", "/consultations/cqc-2021", "#over-time")
	visit("public theme", "/consultations/cqc-2021/themes/people-and-communities", "svg")
	visit("public question with breakdowns", "/consultations/cqc-2021/questions/Q1a", "#breakdowns")
	visit("public comparison", "/consultations/cqc-2021/questions/Q1a/compare", "#breakdowns")
	visit("public equality question", "/consultations/cqc-2021/questions/ethnic-group", "main h1")
	visit("public report", "/consultations/cqc-2021/report", "#section-responses")

	// An admin: filters, the report's tools, the publishing review.
	if err := chromedp.Do(b, chromedp.Navigate(e.srv.URL+"/sign-in"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org")); err != nil {
		t.Fatal(err)
	}
	browsertest.Leave(t, b, "sign in", chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	visit("analyst question, combined filters", "/consultations/cqc-2021/questions/Q1a?answer=Q6a:not-at-all&respondent=individual", "#breakdowns")
	visit("analyst report", "/consultations/cqc-2021/report", "#section-responses")
	visit("publishing review", "/admin/consultations/cqc-2021/publish", "main h1")
}
