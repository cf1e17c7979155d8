package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
)

// After signing out on a shared computer, Back must not show anyone's
// answers again: every page and download, to anyone, is sent with
// Cache-Control: no-store. Only the static assets are cached.
func TestPagesAndDownloadsAreNotStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin).noRedirects()
	anon := e.anonymous().noRedirects()
	routes := e.app.Routes().(chi.Routes)
	var paths []string
	chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error { //nolint:errcheck
		switch {
		case pattern == "/assets/*":
			paths = append(paths, "/assets/images/favicon.ico")
		case method == "GET":
			paths = append(paths, concrete(pattern, 1))
		}
		return nil
	})
	paths = append(paths, "/consultations/cqc-2021/export/responses.csv", "/no-such-page")
	for _, p := range paths {
		for name, c := range map[string]*client{"admin": admin, "anonymous": anon} {
			res, _ := c.get(p)
			cc := res.Header.Get("Cache-Control")
			static := strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/assets/")
			if static && !strings.Contains(cc, "max-age") {
				t.Errorf("%s GET %s: Cache-Control %q, want the asset cached", name, p, cc)
			}
			if !static && cc != "no-store" {
				t.Errorf("%s GET %s (%d): Cache-Control %q, want no-store", name, p, res.StatusCode, cc)
			}
		}
	}
	res, _ := e.anonymous().noRedirects().post("/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("sign-in response: Cache-Control %q", cc)
	}
}
