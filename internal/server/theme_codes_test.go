package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/accounts"
	"heard/internal/browsertest"
	"heard/internal/demo"
)

// The theme dashboard shows the codes of its open question, protected
// for viewers; analysts also get quotes per code and the theme's letter
// passages.
func TestThemeDashboardCodes(t *testing.T) {
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
	ann := e.user("ann@example.org", accounts.Analyst)
	viewer := e.user("viewer@example.org", accounts.Viewer)
	const page = "/consultations/cqc-2021/themes/people-and-communities"
	const letters = `href="/consultations/cqc-2021/themes/people-and-communities/letters"`

	res, body := ann.get(page)
	if res.StatusCode != 200 {
		t.Fatalf("analyst theme page = %d", res.StatusCode)
	}
	for _, want := range []string{"Codes given to answers to Q1b", "Codes by respondent group", "Quotes by code", "“", letters} {
		if !strings.Contains(body, want) {
			t.Errorf("analyst theme page lacks %q", want)
		}
	}
	if strings.Contains(body, "fewer than") {
		t.Error("analysts see withheld code counts")
	}

	res, body = viewer.get(page)
	if res.StatusCode != 200 {
		t.Fatalf("viewer theme page = %d", res.StatusCode)
	}
	if !strings.Contains(body, "Codes given to answers to Q1b") {
		t.Error("viewers do not see the theme's code counts")
	}
	if !strings.Contains(body, "fewer than 5") && !strings.Contains(body, ">withheld<") {
		t.Error("viewers see every code count of the theme exactly: small ones must be withheld")
	}
	for _, never := range []string{"Quotes by code", letters} {
		if strings.Contains(body, never) {
			t.Errorf("viewer theme page shows %q", never)
		}
	}
	// With a group filter, the by-channel split is not shown.
	_, body = viewer.get(page + "?group=public")
	if !strings.Contains(body, "Codes given to answers to Q1b") || !strings.Contains(body, "crossing two kinds of filter") {
		t.Error("viewer theme page with a group filter should show codes without the channel split")
	}
}

// The theme dashboard with its code counts passes axe, for the public
// (protected counts) and for an analyst (quotes and the letters link).
func TestThemeCodesInABrowser(t *testing.T) {
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
	if _, err := e.pool.Exec(ctx, `UPDATE consultations SET results_published = true`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, "ann@example.org", testPassword, accounts.Analyst); err != nil {
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
	visit("public theme with codes", "/consultations/cqc-2021/themes/people-and-communities", "#codes-Q1b, svg")
	if err := chromedp.Do(b, chromedp.Navigate(e.srv.URL+"/sign-in"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "ann@example.org")); err != nil {
		t.Fatal(err)
	}
	browsertest.Leave(t, b, "sign in", chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	visit("analyst theme with codes and quotes", "/consultations/cqc-2021/themes/people-and-communities", ".heard-quote")
}
