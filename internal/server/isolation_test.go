package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/server"
)

// /healthz answers at once while page queries hold every connection of
// the pool, and says whether the database is reachable.
func TestHealthzDoesNotWaitBehindPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	// Take every connection, as slow result pages would.
	var held []*pgxpool.Conn
	for range e.pool.Config().MaxConns {
		c, err := e.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	health := func() (int, string) {
		t.Helper()
		res, err := c.Get(e.srv.URL + "/healthz")
		if err != nil {
			t.Fatalf("/healthz with the pool exhausted: %v", err)
		}
		defer res.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(res.Body) //nolint:errcheck
		return res.StatusCode, b.String()
	}
	if code, body := health(); code != 200 || !strings.Contains(body, "database: reachable") {
		t.Errorf("/healthz with the pool exhausted = %d %q", code, body)
	}
	for _, c := range held {
		c.Release()
	}
	outage := e.outage()
	outage(true)
	if code, body := health(); code != http.StatusServiceUnavailable || !strings.Contains(body, "database: unreachable") {
		t.Errorf("/healthz with the database gone = %d %q", code, body)
	}
	outage(false)
}

// lockedBuffer collects log output written from request goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A page whose query runs past the web pool's statement timeout says so
// plainly, and the log names the request.
func TestSlowPageSaysNarrowYourFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.pool.Config()
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "300"
	web, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	var log lockedBuffer
	app := server.New(slog.New(slog.NewTextHandler(&log, nil)), web, server.Options{InsecureCookies: true})
	defer app.Close()
	srv := httptest.NewServer(app.Routes())
	defer srv.Close()
	e.srv, e.app = srv, app
	viewer := e.user("viewer@example.org", accounts.Viewer)

	// An import holding the count summaries stands in for a query that
	// runs long: the page's counts wait on it past the timeout. (The
	// overview reads summaries only, not the responses table.)
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `LOCK TABLE response_counts, answer_counts IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	res, body := viewer.get("/consultations/cqc-2021")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "This took too long") || !strings.Contains(body, "Narrow your filters") {
		t.Fatalf("overview past the statement timeout = %d\n%s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	logged := log.String()
	if !strings.Contains(logged, "request took too long") || !strings.Contains(logged, "request_id=") || !strings.Contains(logged, "path=/consultations/cqc-2021") {
		t.Errorf("log lacks the slow request and its id:\n%s", logged)
	}
	if strings.Contains(logged, "level=ERROR") {
		t.Errorf("a slow page is logged as an error:\n%s", logged)
	}
}

// A failure is logged with the request's id, method and path.
func TestErrorsAreLoggedWithTheRequestID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pool, err := pgxpool.NewWithConfig(context.Background(), e.pool.Config())
	if err != nil {
		t.Fatal(err)
	}
	var log lockedBuffer
	app := server.New(slog.New(slog.NewTextHandler(&log, nil)), pool, server.Options{InsecureCookies: true})
	defer app.Close()
	srv := httptest.NewServer(app.Routes())
	defer srv.Close()
	pool.Close() // every query now fails
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("home page with the pool closed = %d, want 500", res.StatusCode)
	}
	logged := log.String()
	for _, want := range []string{"level=ERROR", "request_id=", "method=GET", "path=/"} {
		if !strings.Contains(logged, want) {
			t.Errorf("error log lacks %s:\n%s", want, logged)
		}
	}
}
