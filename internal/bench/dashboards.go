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
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/demo"
	"heard/internal/report"
	"heard/internal/results"
	"heard/internal/server"
)

// dashboardLatencies measures the dashboards at the bench size: theme
// pages, breakdowns (by equality answers included), combined filters,
// the overview with its timeline, the workbook, and the report build.
// It first gives every bench response an ethnic group (one INSERT), so
// that the measured load above stays the 13 published questions.
func dashboardLatencies(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, logger *slog.Logger) ([]latency, error) {
	def, err := demo.Definition()
	if err != nil {
		return nil, err
	}
	def.Slug, def.Title = c.Slug, c.Title
	var qs []consultation.QuestionDef
	for _, q := range def.Questions {
		if q.Kind != "demographic" || q.Code == "ethnic-group" {
			qs = append(qs, q)
		}
	}
	def.Questions = qs
	if c, err = (&consultation.Service{Pool: pool}).Load(ctx, def); err != nil {
		return nil, err
	}
	eth := c.Question("ethnic-group")
	if _, err := pool.Exec(ctx, `
		INSERT INTO answers (consultation_id, response_id, question_id, option_id, channel, respondent_group_id)
		SELECT r.consultation_id, r.id, $2, (array_agg_opts.ids)[1 + r.id % cardinality(array_agg_opts.ids)], r.channel, r.respondent_group_id
		FROM responses r, (SELECT array_agg(id ORDER BY position) AS ids FROM scale_options WHERE scale_id = $3) array_agg_opts
		WHERE r.consultation_id = $1`, c.ID, eth.ID, eth.Scale.ID); err != nil {
		return nil, fmt.Errorf("bench: ethnic group answers: %w", err)
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE answers"); err != nil {
		return nil, fmt.Errorf("bench: vacuum: %w", err)
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
	site := "http://" + ln.Addr().String()

	const password = "bench analyst password, long enough"
	if _, err := web.Accounts.Create(ctx, accounts.Actor{}, "bench-dashboards@example.org", password, accounts.Analyst); err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	analyst := &http.Client{Timeout: 60 * time.Second, Jar: jar}
	res, err := analyst.PostForm(site+"/sign-in", url.Values{"email": {"bench-dashboards@example.org"}, "password": {password}})
	if err != nil {
		return nil, fmt.Errorf("bench: sign in: %w", err)
	}
	res.Body.Close()
	public := &http.Client{Timeout: 60 * time.Second}

	base := site + "/consultations/" + c.Slug
	pages := []struct {
		name   string
		client *http.Client
		path   string
	}{
		{"theme page (public)", public, base + "/themes/people-and-communities"},
		{"Q1a, group/channel breakdowns (public)", public, base + "/questions/Q1a"},
		{"Q1a, group/channel breakdowns (analyst)", analyst, base + "/questions/Q1a"},
		{"Q1a compare: org + equality (public)", public, base + "/questions/Q1a/compare"},
		{"Q1a compare: org + equality (analyst)", analyst, base + "/questions/Q1a/compare"},
		{"Q1a, ethnic group + group filter (analyst)", analyst, base + "/questions/Q1a?answer=ethnic-group:black&group=public"},
		{"Q1a, answer + dates filter (analyst)", analyst, base + "/questions/Q1a?answer=Q6a:not-at-all&from=2021-01-08&to=2021-01-12"},
		{"overview with timeline (analyst)", analyst, base},
		{"report (public)", public, base + "/report"},
		{"report (analyst)", analyst, base + "/report"},
		{"report.docx (analyst)", analyst, base + "/report.docx"},
		{"results.xlsx (public)", public, base + "/results.xlsx"},
	}
	var out []latency
	for _, p := range pages {
		var times []time.Duration
		for i := range n + 3 {
			start := time.Now()
			res, err := p.client.Get(p.path)
			if err != nil {
				return nil, fmt.Errorf("bench: GET %s: %w", p.path, err)
			}
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 {
				return nil, fmt.Errorf("bench: GET %s: status %d, %v", p.path, res.StatusCode, err)
			}
			if i >= 3 {
				times = append(times, time.Since(start))
			}
		}
		slices.Sort(times)
		out = append(out, latency{name: p.name, p50: times[len(times)*50/100], p95: times[len(times)*95/100]})
	}
	// The report build alone, without HTTP.
	start := time.Now()
	if _, err := (&report.Service{Pool: pool, Results: &results.Service{Pool: pool}}).Build(ctx, c, results.Policy{}); err != nil {
		return nil, err
	}
	d := time.Since(start)
	out = append(out, latency{name: "report build, no HTTP (once)", p50: d, p95: d})
	return out, nil
}
