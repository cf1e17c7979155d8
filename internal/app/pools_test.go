package app

import (
	"context"
	"io"
	"strings"
	"testing"

	"heard/internal/dbtest"
)

// serve's web pool has the configured size and statement timeout; the
// background jobs' pool is separate, small and has no timeout.
func TestServePools(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	vars := map[string]string{"DATABASE_URL": url, "HEARD_DB_MAX_CONNS": "7", "HEARD_STATEMENT_TIMEOUT": "1500ms"}
	e := &env{getenv: func(k string) string { return vars[k] }, stdout: io.Discard, stderr: io.Discard}
	ctx := context.Background()
	p, err := e.openServe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if n := p.web.Config().MaxConns; n != 7 {
		t.Errorf("web pool MaxConns = %d, want 7", n)
	}
	if n := p.jobs.Config().MaxConns; n != defaultJobsMaxConns {
		t.Errorf("jobs pool MaxConns = %d, want %d", n, defaultJobsMaxConns)
	}
	for _, c := range []struct {
		name string
		got  func() (string, error)
		want string
	}{
		{"web", func() (s string, err error) { return s, p.web.QueryRow(ctx, "SHOW statement_timeout").Scan(&s) }, "1500ms"},
		{"jobs", func() (s string, err error) { return s, p.jobs.QueryRow(ctx, "SHOW statement_timeout").Scan(&s) }, "0"},
	} {
		if got, err := c.got(); err != nil || got != c.want {
			t.Errorf("%s statement_timeout = %q (%v), want %q", c.name, got, err, c.want)
		}
	}

	for k, v := range map[string]string{"HEARD_DB_MAX_CONNS": "lots", "HEARD_JOBS_MAX_CONNS": "1", "HEARD_STATEMENT_TIMEOUT": "soon"} {
		bad := &env{getenv: func(name string) string {
			if name == k {
				return v
			}
			return vars[name]
		}}
		if _, err := bad.poolSettings(); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: error %v, want one naming %s", k, v, err, k)
		}
	}
	if s, err := (&env{getenv: func(string) string { return "" }}).poolSettings(); err != nil || s.maxConns <= 4 {
		t.Errorf("default pool size %d (%v), want more than pgxpool's 4", s.maxConns, err)
	}
}
