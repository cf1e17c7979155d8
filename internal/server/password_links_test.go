package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// linkIn returns the set-password link shown on a page, as a path.
func linkIn(t *testing.T, body string) string {
	t.Helper()
	v, ok := doc(t, body).Find("#link").Attr("value")
	if !ok {
		t.Fatal("no set-password link on the page")
	}
	u, err := url.Parse(v)
	if err != nil || u.Path != "/set-password" || len(u.Query().Get("token")) < 40 {
		t.Fatalf("link %q", v)
	}
	return u.RequestURI()
}

// An admin adds a user and gets a one-time link; the user chooses their
// own password with it; the link works once, for 24 hours; the same for
// a reset. Nobody shares a password.
func TestUsersSetTheirOwnPasswordsByLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	res, body := admin.post("/admin/users", url.Values{"email": {"ana@example.org"}, "role": {"analyst"}})
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(body, "This link is shown only now") {
		t.Fatalf("invite = %d", res.StatusCode)
	}
	link := linkIn(t, body)
	token := strings.TrimPrefix(link, "/set-password?token=")
	if _, body := admin.get("/admin/users"); strings.Contains(body, token) || !strings.Contains(body, "Invited: has not set a password yet.") {
		t.Error("the users page shows the link again, or does not say the invitation is pending")
	}
	// The random password the account starts with is nobody's.
	if res, _ := e.anonymous().post("/sign-in", url.Values{"email": {"ana@example.org"}, "password": {""}}); res.StatusCode == 200 && res.Request.URL.Path == "/" {
		t.Fatal("signed in without a password")
	}

	ana := e.anonymous()
	res, body = ana.get(link)
	if res.StatusCode != 200 || !strings.Contains(body, "You have been given an account on Heard as ana@example.org") {
		t.Fatalf("link page = %d", res.StatusCode)
	}
	res, body = ana.post("/set-password", url.Values{"token": {unescape(t, token)}, "password": {testPassword}, "confirm": {"something else entirely"}})
	if res.StatusCode != 422 || !strings.Contains(body, "The two passwords are not the same") {
		t.Errorf("mismatch = %d", res.StatusCode)
	}
	res, body = ana.post("/set-password", url.Values{"token": {unescape(t, token)}, "password": {"short"}, "confirm": {"short"}})
	if res.StatusCode != 422 || !strings.Contains(body, "at least 12 characters") {
		t.Errorf("short = %d", res.StatusCode)
	}
	res, body = ana.post("/set-password", url.Values{"token": {unescape(t, token)}, "password": {testPassword}, "confirm": {testPassword}})
	if res.StatusCode != 200 || !strings.Contains(body, "Your password is set") {
		t.Fatalf("set = %d", res.StatusCode)
	}
	res, _ = ana.post("/sign-in", url.Values{"email": {"ana@example.org"}, "password": {testPassword}})
	if res.Request.URL.Path != "/" {
		t.Errorf("sign in with the new password: at %s", res.Request.URL.Path)
	}
	if _, body := admin.get("/admin/users"); strings.Contains(body, "Invited: has not set a password yet.") {
		t.Error("a used invitation is still shown as pending")
	}
	// Used once: gone.
	if res, _ := e.anonymous().get(link); res.StatusCode != http.StatusGone {
		t.Errorf("used link = %d, want 410", res.StatusCode)
	}
	if res, _ := e.anonymous().post("/set-password", url.Values{"token": {unescape(t, token)}, "password": {"another password here"}, "confirm": {"another password here"}}); res.StatusCode != http.StatusGone {
		t.Errorf("used link posted again = %d, want 410", res.StatusCode)
	}

	// A reset: a new link replaces the last; an expired link is gone.
	u, _ := e.app.Accounts.GetByEmail(context.Background(), "ana@example.org")
	_, body = admin.post(fmt.Sprintf("/admin/users/%d/password-link", u.ID), nil)
	first := linkIn(t, body)
	_, body = admin.post(fmt.Sprintf("/admin/users/%d/password-link", u.ID), nil)
	second := linkIn(t, body)
	if !strings.Contains(body, "Password reset link for ana@example.org") {
		t.Error("reset page does not say what it is")
	}
	if res, _ := e.anonymous().get(first); res.StatusCode != http.StatusGone {
		t.Errorf("replaced link = %d, want 410", res.StatusCode)
	}
	if res, body := e.anonymous().get(second); res.StatusCode != 200 || !strings.Contains(body, "Choose a new password for ana@example.org") {
		t.Errorf("reset link = %d", res.StatusCode)
	}
	if _, err := e.pool.Exec(context.Background(), "UPDATE password_links SET expires_at = now() - interval '1 second'"); err != nil {
		t.Fatal(err)
	}
	if res, _ := e.anonymous().get(second); res.StatusCode != http.StatusGone {
		t.Errorf("expired link = %d, want 410", res.StatusCode)
	}
	if res, _ := e.anonymous().get("/set-password?token=nonsense"); res.StatusCode != http.StatusGone {
		t.Errorf("unknown token = %d, want 410", res.StatusCode)
	}

	// The audit log reads as words: no action codes, no JSON.
	_, body = admin.get("/admin/audit")
	table := doc(t, body).Find("table").Text()
	for _, want := range []string{"Added a user", "Made a set-password link", "Set their password with a link", "Email: ana@example.org", "Purpose: reset"} {
		if !strings.Contains(table, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	for _, raw := range []string{"user_created", "password_link", "{", "\"email\""} {
		if strings.Contains(table, raw) {
			t.Errorf("audit log shows %q", raw)
		}
	}
}

func unescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.QueryUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
