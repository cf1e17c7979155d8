package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/browsertest"
	"heard/internal/ocr"
	"heard/internal/ocr/ocrtest"
)

// The pages of #17 in a real browser, axe-clean: the imports page with a
// scan to check, the mailbox page and its errors, and a scanned letter
// beside its text, corrected with the keyboard.
func TestMailPagesInABrowser(t *testing.T) {
	t.Parallel()
	ocrtest.Require(t, ocr.Available())
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, "admin@example.org", testPassword, accounts.Admin); err != nil {
		t.Fatal(err)
	}
	img := ocrtest.Image("Q7: The assessment", "misses carers.")
	ocrtest.Noise(img, 0.3)
	path := filepath.Join(t.TempDir(), "scan.png")
	os.WriteFile(path, ocrtest.PNG(img), 0o600)
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	svc := &batchimport.Service{Pool: e.pool}
	if _, err := svc.ImportPath(ctx, path, "scan.png", batchimport.Options{Consultation: c}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ReadNextScan(ctx, nil); err != nil {
		t.Fatal(err)
	}

	b := browsertest.New(t)
	text := func(css string) string {
		t.Helper()
		s, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(css)))
		if err != nil {
			t.Fatalf("text of %s: %v", css, err)
		}
		return s
	}
	if err := chromedp.Do(b, chromedp.Navigate(e.srv.URL+"/sign-in?next=/admin/consultations/cqc-2021/imports"), chromedp.WaitVisible(chromedp.CSS("#email"))); err != nil {
		t.Fatal(err)
	}
	browsertest.Leave(t, b, "sign in", chromedp.SendKeys(chromedp.CSS("#email"), "admin@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	if s := text("main"); !strings.Contains(s, "Scanned letters to read or check") || !strings.Contains(s, "Needs checking") {
		t.Fatalf("imports page: %s", s)
	}
	browsertest.Axe(t, b, "imports with a scan to check")

	browsertest.Leave(t, b, "open the mailbox page", chromedp.Click(chromedp.CSS(`a[href$="/mailbox"]`)))
	if h := text("h1"); h != "Mailbox" {
		t.Fatalf("mailbox page h1 = %q", h)
	}
	browsertest.Axe(t, b, "mailbox")
	browsertest.Leave(t, b, "connect with nothing filled in", chromedp.Clear(chromedp.CSS("#port")), chromedp.Click(chromedp.CSS(`form[action$="/mailbox"] button[type=submit]`)))
	if s := text(".govuk-error-summary"); !strings.Contains(s, "host name") {
		t.Errorf("error summary = %q", s)
	}
	browsertest.Axe(t, b, "mailbox with an error")

	browsertest.Leave(t, b, "back to imports", chromedp.Navigate(e.srv.URL+"/admin/consultations/cqc-2021/imports"))
	browsertest.Leave(t, b, "open the scan", chromedp.Click(chromedp.CSS(`a[href*="/letters/"]`)))
	if s := text("main"); !strings.Contains(s, "Mean OCR confidence") || !strings.Contains(s, "Text of the letter") {
		t.Fatalf("letter page: %s", s)
	}
	browsertest.Axe(t, b, "scanned letter")
	browsertest.NoHorizontalScroll(t, b, "scanned letter")
	browsertest.Leave(t, b, "correct the text",
		chromedp.SetValue(chromedp.CSS("#scan-text"), "Q7: The assessment misses carers."),
		chromedp.Focus(chromedp.CSS(`form[action$="/text"] button`)), chromedp.KeyEvent("\r"))
	if s := text("main"); !strings.Contains(s, "Text saved") || !strings.Contains(s, "Checked") {
		t.Fatalf("after correcting: %s", s)
	}
	browsertest.Axe(t, b, "scanned letter, checked")
}
