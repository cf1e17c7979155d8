package e2e_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/accounts"
	"heard/internal/browsertest"
)

// Sign-in, lockout, the admin pages, the audit log and sign-out, in a real
// browser, by keyboard, each page checked by axe-core.
func TestAccountsInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, u := range []struct {
		email string
		role  accounts.Role
	}{{"admin@example.org", accounts.Admin}, {"locked@example.org", accounts.Analyst}} {
		if _, err := e.app.Accounts.Create(ctx, accounts.Actor{}, u.email, testPassword, u.role); err != nil {
			t.Fatal(err)
		}
	}
	b := browsertest.New(t)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browsertest.Do(t, b, what, steps...)
	}
	text := func(sel string) string {
		t.Helper()
		return browsertest.Run(t, b, "text of "+sel, chromedp.Text(chromedp.CSS(sel)))
	}
	location := func() string {
		t.Helper()
		return strings.TrimPrefix(browsertest.Run(t, b, "location", chromedp.Location()), e.srv.URL)
	}
	signIn := func(email, password string) {
		t.Helper()
		run("sign in as "+email,
			chromedp.WaitVisible(chromedp.CSS("#email")),
			chromedp.Clear(chromedp.CSS("#email")),
			chromedp.SendKeys(chromedp.CSS("#email"), email),
		)
		browsertest.Leave(t, b, "sign in as "+email, chromedp.SendKeys(chromedp.CSS("#password"), password+"\r")) // Enter submits
	}

	// Asking for an admin page sends the browser to sign in.
	run("open admin page", chromedp.Navigate(e.srv.URL+"/admin/users"), chromedp.WaitVisible(chromedp.CSS("#email")))
	if l := location(); !strings.HasPrefix(l, "/sign-in?next=") {
		t.Fatalf("anonymous /admin/users landed on %s", l)
	}
	browsertest.Axe(t, b, "sign-in")

	signIn("admin@example.org", "not the password")
	if got := text(".govuk-error-summary"); !strings.Contains(got, "The email address or password is not right") {
		t.Errorf("error summary = %q", got)
	}
	browsertest.Axe(t, b, "sign-in with an error")

	for range 5 {
		signIn("locked@example.org", "wrong password!")
	}
	signIn("locked@example.org", testPassword)
	if got := text(".govuk-error-summary"); !strings.Contains(got, "too many failed attempts") {
		t.Errorf("after five failures: %q", got)
	}

	signIn("admin@example.org", testPassword)
	if l := location(); l != "/admin/users" {
		t.Fatalf("after sign-in at %s, want /admin/users", l)
	}
	browsertest.Axe(t, b, "users")

	run("audit log", chromedp.Navigate(e.srv.URL+"/admin/audit"), chromedp.WaitVisible(chromedp.CSS("table")))
	log := text("table")
	for _, want := range []string{"Sign-in refused: too many failed attempts", "Failed to sign in", "Signed in", "admin@example.org"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	browsertest.Axe(t, b, "audit log")
	run("publishing page", chromedp.Navigate(e.srv.URL+"/admin/consultations"), chromedp.WaitVisible(chromedp.CSS("table")))
	browsertest.Axe(t, b, "publishing")
	run("overview", chromedp.Navigate(e.srv.URL+"/consultations/cqc-2021"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	browsertest.Axe(t, b, "overview")
	run("question", chromedp.Navigate(e.srv.URL+"/consultations/cqc-2021/questions/Q6a"), chromedp.WaitVisible(chromedp.CSS("svg")))
	browsertest.Axe(t, b, "closed question")
	run("open question", chromedp.Navigate(e.srv.URL+"/consultations/cqc-2021/questions/Q7"), chromedp.WaitVisible(chromedp.CSS(".heard-quote")))
	browsertest.Axe(t, b, "open question")

	// Sign out by keyboard: focus the button, press Enter.
	browsertest.Leave(t, b, "sign out", chromedp.Focus(chromedp.CSS(".heard-link-button")), chromedp.KeyEvent("\r"))
	run("signed out", chromedp.WaitVisible(chromedp.CSS(`a[href="/sign-in"]`)))
	if l := location(); l != "/" {
		t.Errorf("after sign-out at %s", l)
	}
	run("admin after sign-out", chromedp.Navigate(e.srv.URL+"/admin/audit"), chromedp.WaitVisible(chromedp.CSS("#email")))
}
