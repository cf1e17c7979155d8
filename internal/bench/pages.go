package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/server"
)

type latency struct {
	name     string
	p50, p95 time.Duration
}

// pageLatencies serves the real routes on a loopback port and times
// sequential GETs of the overview, a question page and a filtered one.
func pageLatencies(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, logger *slog.Logger) ([]latency, error) {
	// Measure what the public sees of published results.
	if err := (&consultation.Service{Pool: pool}).SetResultsPublished(ctx, db.New(pool), c.ID, true); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: listen: %w", err)
	}
	web := server.New(logger, pool, server.Options{})
	defer web.Close()
	srv := &http.Server{Handler: web.Routes()}
	go srv.Serve(ln) //nolint:errcheck // closed below
	defer srv.Close()

	base := "http://" + ln.Addr().String() + "/consultations/" + c.Slug
	pages := []struct{ name, path string }{
		{"overview", base},
		{"question page (Q1a)", base + "/questions/Q1a"},
		{"filtered question (Q1a, 2 groups)", base + "/questions/Q1a?group=public&group=providers"},
		{"open question, first page (Q1b)", base + "/questions/Q1b"},
		{"open question, filtered (Q1b, letter)", base + "/questions/Q1b?channel=letter"},
		{"results.csv", base + "/results.csv"},
	}
	client := &http.Client{Timeout: 30 * time.Second}
	var out []latency
	for _, p := range pages {
		var times []time.Duration
		for i := range n + 10 {
			start := time.Now()
			res, err := client.Get(p.path)
			if err != nil {
				return nil, fmt.Errorf("bench: GET %s: %w", p.path, err)
			}
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 {
				return nil, fmt.Errorf("bench: GET %s: status %d, %v", p.path, res.StatusCode, err)
			}
			if i >= 10 { // the first few warm the caches
				times = append(times, time.Since(start))
			}
		}
		slices.Sort(times)
		out = append(out, latency{name: p.name, p50: times[len(times)*50/100], p95: times[len(times)*95/100]})
	}
	return out, nil
}
