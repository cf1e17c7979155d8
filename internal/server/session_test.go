package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"heard/internal/accounts"
)

// A signed-in page view reads the session; it rewrites the session's row
// at most about once a minute (to move the idle clock), not every time.
func TestSessionsAreNotRewrittenOnEveryView(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	viewer := e.user("viewer@example.org", accounts.Viewer)
	version := func() string {
		t.Helper()
		var v string
		// xmin changes whenever the row is written, even with the same data.
		if err := e.pool.QueryRow(context.Background(), `SELECT coalesce(string_agg(token || ':' || xmin::text, ','), '') FROM sessions`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()
	if before == "" {
		t.Fatal("no session row after sign-in")
	}
	for range 5 {
		for _, p := range []string{"/", "/consultations/cqc-2021", "/consultations/cqc-2021/questions/Q1a"} {
			if res, _ := viewer.get(p); res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", p, res.StatusCode)
			}
		}
	}
	if after := version(); after != before {
		t.Errorf("15 page views rewrote the session row: %s, then %s", before, after)
	}
	// The idle limit still holds: a session last seen over an hour ago
	// is over.
	var token string
	var data []byte
	if err := e.pool.QueryRow(context.Background(), `SELECT token, data FROM sessions`).Scan(&token, &data); err != nil {
		t.Fatal(err)
	}
	deadline, values, err := e.app.Sessions.Codec.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	values["seen"] = time.Now().Add(-61 * time.Minute).Unix()
	if data, err = e.app.Sessions.Codec.Encode(deadline, values); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(context.Background(), `UPDATE sessions SET data = $1 WHERE token = $2`, data, token); err != nil {
		t.Fatal(err)
	}
	if res, _ := viewer.noRedirects().get("/consultations/cqc-2021"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 61 idle minutes: %d, want a redirect to sign in", res.StatusCode)
	}

	// Signing out still ends the session at once.
	viewer = e.user("viewer2@example.org", accounts.Viewer)
	viewer.post("/sign-out", nil)
	if res, _ := viewer.noRedirects().get("/consultations/cqc-2021"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out: %d, want a redirect to sign in", res.StatusCode)
	}
}
