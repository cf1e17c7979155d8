package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/server"
)

// readingLatencies times the analysts' answer lists at their worst: a
// small group × channel (issue #10), search with three filters, a deep
// page, longest first, a date range with two closed answers, and a whole
// response opened from a searched list. Signed in as an analyst, through
// the real HTTP server, sequentially.
func readingLatencies(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, logger *slog.Logger) ([]latency, error) {
	const email, password = "bench-reader@example.org", "bench analyst password 1"
	if _, err := accounts.NewService(pool).Create(ctx, accounts.Actor{}, email, password, accounts.Analyst); err != nil {
		return nil, fmt.Errorf("bench: analyst: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: listen: %w", err)
	}
	web := server.New(logger, pool, server.Options{InsecureCookies: true})
	defer web.Close()
	srv := &http.Server{Handler: web.Routes()}
	go srv.Serve(ln) //nolint:errcheck // closed below
	defer srv.Close()

	root := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Timeout: 30 * time.Second, Jar: jar}
	res, err := client.PostForm(root+"/sign-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, fmt.Errorf("bench: sign in: %w", err)
	}
	res.Body.Close()

	var id int64
	if err := pool.QueryRow(ctx, `SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id OFFSET 500 LIMIT 1`, c.ID).Scan(&id); err != nil {
		return nil, fmt.Errorf("bench: a response: %w", err)
	}
	q := root + "/consultations/" + c.Slug + "/questions/Q1b?"
	small := c.Groups[len(c.Groups)-1].Slug // with channel event: 5% of responses here
	// The synthetic answers follow i: organisations (i%10 == 3) all
	// answer Q1a "mostly"; Q1a "fully" goes with Q2a "mostly".
	pages := []struct{ name, path string }{
		{"answers: small group × event (#10)", q + "group=" + small + "&channel=event"},
		{"answers: search + 3 filters", q + "q=inspection&respondent=organisation&answer=Q1a:mostly&channel=webform"},
		{"answers: search, page 50", q + "q=inspection&page=50"},
		{"answers: longest first, one group", q + "sort=length&group=" + small},
		{"answers: 2 days + 2 closed answers", q + "from=2021-01-08&to=2021-01-09&answer=Q1a:fully&answer=Q2a:mostly"},
		{"answers: org + not yet coded, search OR", q + "respondent=organisation&coding=uncoded&q=inspection+OR+organisation"},
		// The coding section coded the first 30% in one stretch: "not yet
		// coded" in received order starts past it.
		{"answers: not yet coded", q + "coding=uncoded"},
		{"answers: no code applies, one group", q + "coding=nocode&group=" + small},
		{"answers: search, page 500", q + "q=inspection&page=500"},
		{"answers: individuals, search, 2 closed answers", q + "respondent=individual&q=data&answer=Q1a:fully&answer=Q2a:mostly"},
		{"whole response from a searched list", fmt.Sprintf("%s/consultations/%s/responses/%d?list=Q1b&at=5&q=inspection", root, c.Slug, id)},
	}
	var out []latency
	for _, p := range pages {
		var times []time.Duration
		for i := range n + 5 {
			start := time.Now()
			res, err := client.Get(p.path)
			if err != nil {
				return nil, fmt.Errorf("bench: GET %s: %w", p.path, err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 || strings.Contains(res.Request.URL.Path, "/sign-in") {
				return nil, fmt.Errorf("bench: GET %s: status %d at %s, %v", p.path, res.StatusCode, res.Request.URL.Path, err)
			}
			_ = body
			if i >= 5 {
				times = append(times, time.Since(start))
			}
		}
		slices.Sort(times)
		out = append(out, latency{name: p.name, p50: times[len(times)*50/100], p95: times[len(times)*95/100]})
	}
	return out, nil
}
