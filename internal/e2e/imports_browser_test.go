package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/accounts"
	"heard/internal/browsertest"
)

// An admin uploads a letters file in a real browser, previews it, confirms
// it and reads the imported letter; every page is axe-clean.
func TestImportsInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, "admin@example.org", testPassword, accounts.Admin); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	eml := filepath.Join(dir, "team.eml")
	os.WriteFile(eml, []byte("From: Team Lead <lead@example.org>\r\nSubject: Our response\r\nDate: Wed, 3 Feb 2021 09:30:00 +0000\r\n"+
		"Message-ID: <browser@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nQ1a: Fully\r\n\r\nSafety through learning\r\n\r\nLearning matters.\r\n"), 0o600)

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

	do("sign-in page", chromedp.Navigate(e.srv.URL+"/sign-in?next=/admin/consultations/cqc-2021/imports"), chromedp.WaitVisible(chromedp.CSS("#email")))
	submit("sign in", chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	if h := text("h1"); h != "Imports" {
		t.Fatalf("after sign-in: %q", h)
	}
	browsertest.Axe(t, b, "imports")

	// Submitting without a file shows the error summary.
	submit("upload nothing", chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`)))
	if s := text(".govuk-error-summary"); !strings.Contains(s, "Select a file to import") {
		t.Errorf("error summary = %q", s)
	}
	browsertest.Axe(t, b, "imports with an error")

	submit("upload", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{eml}), chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`)))
	if s := text("main"); !strings.Contains(s, "Responses to import") || !strings.Contains(s, "Theme: Safety through learning") {
		t.Fatalf("preview: %s", s)
	}
	browsertest.Axe(t, b, "preview")

	submit("confirm", chromedp.Focus(chromedp.CSS(`form[action$="/confirm"] button`)), chromedp.KeyEvent("\r"))
	if s := text("main"); !strings.Contains(s, "Responses imported") {
		t.Fatalf("after confirm: %s", s)
	}
	browsertest.Axe(t, b, "imported batch")

	submit("open the letter", chromedp.Click(chromedp.CSS(`a[href*="/letters/"]`)))
	if s := text("h1"); s != "Our response" {
		t.Fatalf("letter page h1 = %q", s)
	}
	browsertest.Axe(t, b, "letter")
}
