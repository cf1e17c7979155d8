package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"heard/internal/accounts"
)

// An admin sees who is being held up at sign-in, and clears it.
func TestAdminSeesAndClearsASignInThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	e.user("carol@example.org", accounts.Analyst)
	carol := e.anonymous()
	for range accounts.ClientFreeFailures + 1 {
		carol.post("/sign-in", url.Values{"email": {"carol@example.org"}, "password": {"wrong password!"}})
	}
	res, body := carol.post("/sign-in", url.Values{"email": {"carol@example.org"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "too many failed attempts to sign in with this email address. Wait 1") {
		t.Fatalf("sign-in while throttled = %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}

	_, body = admin.get("/admin/sign-in-throttles")
	row := doc(t, body).Find("tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "carol@example.org") && strings.Contains(s.Text(), "127.0.0.1")
	})
	if row.Length() != 1 || !strings.Contains(row.Text(), "Waiting") {
		t.Fatalf("the throttles page does not show carol waiting: %s", doc(t, body).Find("main").Text())
	}
	res, body = admin.post("/admin/sign-in-throttles/clear", url.Values{"email": {"carol@example.org"}, "client": {"127.0.0.1"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Cleared the sign-in throttle of carol@example.org from 127.0.0.1") {
		t.Errorf("clear = %d at %s", res.StatusCode, res.Request.URL)
	}
	if res, _ := carol.post("/sign-in", url.Values{"email": {"carol@example.org"}, "password": {testPassword}}); res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" {
		t.Errorf("sign-in after clearing = %d at %s", res.StatusCode, res.Request.URL)
	}
	if _, body := admin.get("/admin/audit?action=sign_in_throttle_cleared"); !strings.Contains(body, "admin@example.org") {
		t.Error("clearing a throttle is not audited")
	}
}
