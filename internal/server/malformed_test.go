package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/server"
)

// newLoggedEnv is newEnv with its Error-level log kept for the test to read.
func newLoggedEnv(t *testing.T, opts server.Options) (*env, *lockedBuffer) {
	t.Helper()
	pool := dbtest.NewPool(t)
	if _, _, err := demo.Load(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	opts.InsecureCookies = true
	app := server.New(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError})), pool, opts)
	srv := httptest.NewServer(app.Routes())
	t.Cleanup(srv.Close)
	t.Cleanup(app.Close)
	return &env{t: t, pool: pool, srv: srv, app: app}, logs
}

// A NUL byte or invalid UTF-8 in a path segment or a query value cannot
// name anything (PostgreSQL refuses both in text): every route answers
// 404 or 400, not 500, and nothing is logged as an error.
func TestMalformedAddressesAreRefusedQuietly(t *testing.T) {
	t.Parallel()
	e, logs := newLoggedEnv(t, server.Options{})
	admin := e.user("admin@example.org", accounts.Admin).noRedirects()
	anon := e.anonymous().noRedirects()

	routes := e.app.Routes().(chi.Routes)
	var paths, pages []string
	chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error { //nolint:errcheck
		if method != "GET" {
			return nil
		}
		pages = append(pages, concrete(pattern, 1))
		for _, bad := range []string{"%00", "%FF", "a%00b", "%C3%28"} {
			if strings.Contains(pattern, "{") {
				paths = append(paths, strings.NewReplacer("{slug}", bad, "{code}", bad, "{id}", bad, "{format}", bad, "{segment}", bad, "{event}", bad, "{note}", bad, "{page}", bad).Replace(pattern))
			}
		}
		return nil
	})
	paths = append(paths, "/consultations/%00/respond", "/consultations/cqc-2021/respond/%00", "/%00", "/static/%00")
	for _, p := range paths {
		for _, c := range []*client{admin, anon} {
			if res, _ := c.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}
	}
	for _, p := range pages {
		for _, q := range []string{"%00", "%FF", "x%00"} {
			query := "?action=" + q + "&page=" + q + "&channel=" + q + "&group=" + q + "&done=" + q + "&after=" + q + "&next=" + q + "&return=" + q + "&q=" + q
			if res, _ := admin.get(p + query); res.StatusCode != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", p+query, res.StatusCode)
			}
		}
	}
	if res, _ := admin.get("/admin/audit?" + "%00=1"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a NUL in a query key = %d, want 400", res.StatusCode)
	}
	if res, _ := admin.get("/admin/audit?action=sign_in"); res.StatusCode != http.StatusOK {
		t.Errorf("a well-formed query = %d", res.StatusCode)
	}
	if l := logs.String(); l != "" {
		t.Errorf("malformed addresses were logged as errors:\n%s", l)
	}
}
