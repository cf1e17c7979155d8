package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
	"heard/internal/server"
)

// concrete fills a route pattern's parameters with values that exist.
func concrete(pattern string, userID int64) string {
	r := strings.NewReplacer("{slug}", "cqc-2021", "{code}", "Q1a", "{kind}", "questions", "{key}", "Q1b", "{response}", "1", "{sample}", "1", "{id}", fmt.Sprint(userID), "{format}", "csv", "{segment}", "1", "{event}", "1", "{note}", "1", "{theme}", "people-and-communities", "{snapshot}", "1", "{breakdown}", "group", "{page}", "1", "{scan}", "1", "{span}", "1", "{added}", "1", "*", "govuk-frontend.min.css")
	return r.Replace(pattern)
}

// Every route declares who may use it, and the server enforces it: an
// anonymous request to a non-public route is sent to sign in (pages) or
// refused with 401 (CSV, POST); a role below the route's gets 403. A
// route added without going through the access table fails here.
func TestEveryRouteDeclaresAndEnforcesItsAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	viewer := e.user("viewer@example.org", accounts.Viewer).noRedirects()
	analyst := e.user("analyst@example.org", accounts.Analyst).noRedirects()
	anon := e.anonymous().noRedirects()
	target, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, "target@example.org", testPassword, accounts.Viewer)
	if err != nil {
		t.Fatal(err)
	}

	routes, ok := e.app.Routes().(chi.Routes)
	if !ok {
		t.Fatal("Routes is not a chi router")
	}
	walked := map[string]bool{}
	err = chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		walked[method+" "+pattern] = true
		access, declared := e.app.AccessOf(method, pattern)
		if !declared {
			t.Errorf("%s %s has no declared access: register it with s.handle", method, pattern)
			return nil
		}
		path := concrete(pattern, target.ID)
		send := func(c *client) *http.Response {
			if method == "POST" {
				res, _ := c.post(path, url.Values{})
				return res
			}
			res, _ := c.get(path)
			return res
		}
		res := send(anon)
		switch {
		case access == server.Public:
			if res.StatusCode == http.StatusUnauthorized || strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
				t.Errorf("public %s %s refused an anonymous request: %d", method, pattern, res.StatusCode)
			}
		case method == "GET" && !strings.HasSuffix(path, ".csv"):
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in?next=") {
				t.Errorf("anonymous GET %s = %d %s, want a redirect to sign in", pattern, res.StatusCode, res.Header.Get("Location"))
			}
		default:
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous %s %s = %d, want 401", method, pattern, res.StatusCode)
			}
		}
		var tooLow *client
		switch access {
		case server.AnalystOnly:
			tooLow = viewer
		case server.AdminOnly:
			tooLow = analyst
		}
		if tooLow != nil {
			if res := send(tooLow); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with too low a role = %d, want 403", method, pattern, res.StatusCode)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every declared route must have been walked and checked, not just
	// enough of them.
	declared := e.app.DeclaredRoutes()
	for _, r := range declared {
		if !walked[r] {
			t.Errorf("%s is declared but was not walked", r)
		}
	}
	if len(walked) < len(declared) || len(declared) == 0 {
		t.Errorf("walked %d routes of %d declared", len(walked), len(declared))
	}
}

func TestPublishedResultsAreOpenButAnswersAreNot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	anon := e.anonymous()
	if res, _ := anon.noRedirects().get("/consultations/cqc-2021"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublished overview for anonymous = %d, want a redirect to sign in", res.StatusCode)
	}
	res, body := admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"true"}, "confirm": {"yes"}})
	if res.StatusCode != 200 || !strings.Contains(body, "are now published") {
		t.Fatalf("publish = %d", res.StatusCode)
	}
	if res, _ := anon.get("/consultations/cqc-2021"); res.StatusCode != 200 {
		t.Errorf("published overview for anonymous = %d", res.StatusCode)
	}
	if res, _ := anon.get("/consultations/cqc-2021/results.csv"); res.StatusCode != 200 {
		t.Errorf("published results.csv for anonymous = %d", res.StatusCode)
	}
	_, body = anon.get("/consultations/cqc-2021/questions/Q1b")
	if strings.Contains(body, "heard-quote") || !strings.Contains(body, "Individual answers can be read by analysts") {
		t.Error("anonymous readers of published results must not see individual answers")
	}
	viewer := e.user("viewer@example.org", accounts.Viewer)
	if _, body := viewer.get("/consultations/cqc-2021/questions/Q1b"); strings.Contains(body, "heard-quote") {
		t.Error("viewers must not see individual answers")
	}
	if _, body := viewer.get("/consultations/cqc-2021"); strings.Contains(body, "/export/responses.") {
		t.Error("viewers are offered the export of individual responses")
	}
	admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"false"}})
	if res, _ := anon.noRedirects().get("/consultations/cqc-2021"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("unpublished again: anonymous got %d", res.StatusCode)
	}
	_, body = admin.get("/admin/audit?action=results_published")
	if !strings.Contains(body, "admin@example.org") || !strings.Contains(body, "cqc-2021") {
		t.Error("publishing is not in the audit log")
	}
}

func TestSignInSignOutAndLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin@example.org", accounts.Admin)
	c := e.anonymous()

	// The same message for an unknown user and a wrong password.
	_, unknown := c.post("/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"whatever it is"}})
	res, wrong := c.post("/sign-in", url.Values{"email": {"admin@example.org"}, "password": {"not the password"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(wrong, "The email address or password is not right") || !strings.Contains(unknown, "The email address or password is not right") {
		t.Errorf("failed sign-in: %d", res.StatusCode)
	}
	if !strings.Contains(wrong, "<title>Error: Sign in") || !strings.Contains(wrong, "govuk-error-summary") {
		t.Error("failed sign-in page lacks the error summary and Error: title")
	}
	res, empty := c.post("/sign-in", url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(empty, "Enter your email address") || !strings.Contains(empty, "Enter your password") {
		t.Errorf("empty sign-in = %d", res.StatusCode)
	}

	// Sign in lands on the page asked for; only local destinations.
	res, _ = c.post("/sign-in", url.Values{"email": {"ADMIN@example.org"}, "password": {testPassword}, "next": {"/admin/users"}})
	if res.Request.URL.Path != "/admin/users" {
		t.Errorf("after sign-in: at %s, want /admin/users", res.Request.URL.Path)
	}
	res, _ = c.post("/sign-out", nil)
	if res.Request.URL.Path != "/" {
		t.Errorf("after sign-out: at %s", res.Request.URL.Path)
	}
	if res, _ := c.noRedirects().get("/admin/users"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out /admin/users = %d, want a redirect", res.StatusCode)
	}
	res, _ = c.noRedirects().post("/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil.example sent the user to %q", loc)
	}

	// Five failures lock the account, even against the right password.
	locked := e.anonymous()
	e.user("carol@example.org", accounts.Analyst)
	for range 5 {
		locked.post("/sign-in", url.Values{"email": {"carol@example.org"}, "password": {"wrong password!"}})
	}
	res, body := locked.post("/sign-in", url.Values{"email": {"carol@example.org"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "too many failed attempts") {
		t.Errorf("sign-in after 5 failures = %d, want 429 and the lockout message", res.StatusCode)
	}

	admin := e.user("admin2@example.org", accounts.Admin)
	_, body = admin.get("/admin/audit")
	for _, want := range []string{"sign_in_failed", "sign_in_refused_locked", "sign_out", "sign_in"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
}

// Disabling a user signs them out everywhere at once; a role change
// applies on their next request.
func TestAdminManagesUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	bob := e.user("bob@example.org", accounts.Viewer)
	if res, _ := bob.get("/consultations/cqc-2021"); res.StatusCode != 200 {
		t.Fatalf("viewer overview = %d", res.StatusCode)
	}
	u, _ := e.app.Accounts.GetByEmail(context.Background(), "bob@example.org")
	id := fmt.Sprint(u.ID)

	res, body := admin.post("/admin/users/"+id+"/role", url.Values{"role": {"admin"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Changed the role of bob@example.org") {
		t.Errorf("change role = %d", res.StatusCode)
	}
	if res, _ := bob.get("/admin/users"); res.StatusCode != 200 {
		t.Errorf("after promotion bob gets /admin/users = %d", res.StatusCode)
	}
	res, _ = admin.post("/admin/users/"+id+"/disable", nil)
	if res.StatusCode != 200 {
		t.Errorf("disable = %d", res.StatusCode)
	}
	if res, body := admin.post("/admin/users/999999/disable", nil); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "There is no such user") {
		t.Errorf("disable a user who does not exist = %d", res.StatusCode)
	}
	if res, _ := bob.noRedirects().get("/consultations/cqc-2021"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user's session still works: %d", res.StatusCode)
	}
	res, _ = e.anonymous().post("/sign-in", url.Values{"email": {"bob@example.org"}, "password": {testPassword}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("disabled user signed in: %d", res.StatusCode)
	}

	res, body = admin.post("/admin/users", url.Values{"email": {"not an address"}, "role": {"analyst"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "correct format") || !strings.Contains(body, "<title>Error: Users") {
		t.Errorf("add user with a bad email = %d", res.StatusCode)
	}
	res, body = admin.post("/admin/users", url.Values{"email": {"new@example.org"}, "role": {"analyst"}})
	if res.StatusCode != 200 || !strings.Contains(body, "new@example.org is added as analyst") {
		t.Errorf("add user = %d", res.StatusCode)
	}
	me, _ := e.app.Accounts.GetByEmail(context.Background(), "admin@example.org")
	res, body = admin.post(fmt.Sprintf("/admin/users/%d/disable", me.ID), nil)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "cannot change your own account") {
		t.Errorf("admin disabling themself = %d", res.StatusCode)
	}
	_, body = admin.get("/admin/audit?action=user_disabled")
	if !strings.Contains(body, "bob@example.org") {
		t.Error("disabling is not in the audit log")
	}
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	for _, h := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}} {
		req, _ := http.NewRequest("POST", e.srv.URL+"/admin/users", strings.NewReader("email=x%40example.org&role=admin&password=aaaaaaaaaaaaaaaa"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		if res, _ := admin.do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST with %v = %d, want 403", h, res.StatusCode)
		}
	}
	if _, err := e.app.Accounts.GetByEmail(context.Background(), "x@example.org"); err == nil {
		t.Error("a cross-site request created a user")
	}
	big := strings.NewReader("email=" + strings.Repeat("a", 2<<20))
	req, _ := http.NewRequest("POST", e.srv.URL+"/sign-in", big)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, _ := admin.do(req); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB body = %d, want 413", res.StatusCode)
	}
}

// In production the session cookie is __Host-, Secure, HttpOnly, SameSite=Lax.
func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, "a@example.org", testPassword, accounts.Viewer); err != nil {
		t.Fatal(err)
	}
	secure := server.New(slog.New(slog.DiscardHandler), e.pool, server.Options{})
	defer secure.Close()
	srv := httptest.NewTLSServer(secure.Routes())
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.PostForm(srv.URL+"/sign-in", url.Values{"email": {"a@example.org"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := res.Header.Get("Set-Cookie")
	for _, want := range []string{"__Host-heard_session=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); hsts == "" {
		t.Error("no HSTS over TLS")
	}
}
