package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/server"
)

const testPassword = "correct horse battery staple"

// env is a running server over a demo database.
type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	srv  *httptest.Server
	app  *server.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, dbtest.NewPool(t))
}

// newEnvOn is newEnv on a pool of the test's own making (a fresh
// database from dbtest).
func newEnvOn(t *testing.T, pool *pgxpool.Pool) *env {
	t.Helper()
	if _, _, err := demo.Load(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	// httptest serves plain http, where a browser would drop Secure cookies.
	app := server.New(slog.New(slog.DiscardHandler), pool, server.Options{InsecureCookies: true})
	srv := httptest.NewServer(app.Routes())
	t.Cleanup(srv.Close)
	t.Cleanup(app.Close)
	return &env{t: t, pool: pool, srv: srv, app: app}
}

// user creates an account with role and returns a client signed in as it.
func (e *env) user(email string, role accounts.Role) *client {
	e.t.Helper()
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, email, testPassword, role); err != nil {
		e.t.Fatal(err)
	}
	c := e.anonymous()
	res, _ := c.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" {
		e.t.Fatalf("sign in as %s: %d at %s", email, res.StatusCode, res.Request.URL)
	}
	return c
}

func (e *env) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.srv.URL, http: &http.Client{Jar: jar}}
}

// client is a browser-like client with its own cookies.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// noRedirects returns a copy of c that stops at redirects.
func (c *client) noRedirects() *client {
	h := *c.http
	h.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{t: c.t, base: c.base, http: &h}
}
