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
	"heard/internal/db"
	"heard/internal/demo"
	"heard/internal/report"
	"heard/internal/results"
	"heard/internal/server"
)

// equalityShares are the bench's equality-monitoring answers: roughly
// the shares a national consultation's webform sees (England and Wales
// Census 2021 shape, with the under-representation of the young and of
// ethnic minorities consultations report), "prefer not to say" included.
// Weights per option in the definition's order.
var equalityShares = map[string][]int{
	"age-band":           {2, 8, 15, 16, 18, 18, 13, 6, 4},
	"sex":                {55, 41, 4},
	"gender-identity":    {94, 1, 5},
	"ethnic-group":       {8, 3, 2, 82, 1, 4},
	"disability":         {22, 72, 6},
	"sexual-orientation": {85, 3, 2, 1, 9},
	"religion":           {38, 45, 1, 2, 1, 4, 1, 2, 6},
	"unpaid-carer":       {18, 76, 6},
}

// addEquality gives the bench responses equality-monitoring answers, in
// one INSERT: three in four webform respondents and one in three at
// events answer the equality section (each question skipped by some),
// emails and letters never do; options follow equalityShares.
func addEquality(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation) error {
	// One row per option: question, option, and the option's share of
	// the question as a cumulative range [lo, hi) out of 1000.
	var qids, oids, los, his []int32
	for code, w := range equalityShares {
		q := c.Question(code)
		if q == nil || q.Scale == nil || len(q.Scale.Options) != len(w) {
			return fmt.Errorf("bench: equality question %s does not match its shares", code)
		}
		total := 0
		for _, x := range w {
			total += x
		}
		cum := 0
		for i, o := range q.Scale.Options {
			qids, oids = append(qids, q.ID), append(oids, o.ID)
			los = append(los, int32(cum*1000/total))
			cum += w[i]
			his = append(his, int32(cum*1000/total))
		}
	}
	// In batches of 20,000 responses, each its own statement, as imports
	// store them: one statement for a million responses made the answer
	// summaries' statement triggers sort tens of millions of pairs at once
	// (over 20 minutes and 100 GB of temporary files, cancelled). Which
	// responses answer is decided by hashes of their ids, so a run stopped
	// part way resumes after the last response that has an equality answer.
	var from, last int64
	if err := pool.QueryRow(ctx, `
		SELECT coalesce((SELECT max(response_id) FROM answers WHERE consultation_id = $1 AND question_id = ANY($2::integer[])), 0),
		       coalesce((SELECT max(id) FROM responses WHERE consultation_id = $1), 0)`, c.ID, qids).Scan(&from, &last); err != nil {
		return fmt.Errorf("bench: equality answers: %w", err)
	}
	const batch = 20_000
	for lo := from + 1; lo <= last; lo += batch {
		_, err := pool.Exec(ctx, `
			WITH o AS (SELECT * FROM unnest($2::integer[], $3::integer[], $4::integer[], $5::integer[]) AS o(q, opt, lo, hi))
			INSERT INTO answers (consultation_id, response_id, question_id, option_id, channel, respondent_group_id)
			SELECT r.consultation_id, r.id, o.q, o.opt, r.channel, r.respondent_group_id
			FROM responses r
			JOIN o ON (hashint8(r.id * 31 + o.q) & 1023) % 1000 >= o.lo AND (hashint8(r.id * 31 + o.q) & 1023) % 1000 < o.hi
			WHERE r.consultation_id = $1 AND r.id >= $6 AND r.id < $7
			  AND ((r.channel = 'webform' AND hashint8(r.id) & 1023 < 768) OR (r.channel = 'event' AND hashint8(r.id) & 1023 < 341))
			  AND (hashint8(r.id + o.q) & 1023) >= 30`, c.ID, qids, oids, los, his, lo, lo+batch)
		if err != nil {
			return fmt.Errorf("bench: equality answers for responses %d–%d: %w", lo, lo+batch-1, err)
		}
	}
	return nil
}

// addEvents records 40 engagement events and puts a quarter of the
// bench's event-channel responses at them (about 600 each at 1M), so
// the event filter is measured on real rows. It returns one event's id.
func addEvents(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation) (string, error) {
	var id string
	err := pool.QueryRow(ctx, `SELECT min(id)::text FROM events WHERE consultation_id = $1`, c.ID).Scan(&id)
	if err == nil && id != "" {
		return id, nil
	}
	if _, err := pool.Exec(ctx, `
		WITH e AS (
			INSERT INTO events (consultation_id, name, held_on, format, online, attendees)
			SELECT $1, 'Bench event ' || g, date '2021-01-07' + g % 12, 'focus-group', true, 40 FROM generate_series(1, 40) g
			RETURNING id
		)
		UPDATE responses r SET event_id = x.ids[1 + (hashint8(r.id) & 1023) % 40]
		FROM (SELECT array_agg(id ORDER BY id) AS ids FROM e) x
		WHERE r.consultation_id = $1 AND r.channel = 'event' AND (hashint8(r.id) >> 12) & 3 = 0`, c.ID); err != nil {
		return "", fmt.Errorf("bench: events: %w", err)
	}
	if err := pool.QueryRow(ctx, `SELECT min(id)::text FROM events WHERE consultation_id = $1`, c.ID).Scan(&id); err != nil {
		return "", fmt.Errorf("bench: events: %w", err)
	}
	return id, nil
}

// dashboardLatencies measures the dashboards at the bench size: theme
// pages, breakdowns, the compare page (by organisation and by each
// equality question), combined filters, the overview with its timeline,
// the workbook, and the report build. It first adds the equality
// questions to the bench consultation and gives the responses realistic
// equality answers (addEquality, one INSERT), so that the measured load
// above stays the 13 published questions.
func dashboardLatencies(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, logger *slog.Logger) ([]latency, error) {
	def, err := demo.Definition()
	if err != nil {
		return nil, err
	}
	def.Slug, def.Title = c.Slug, c.Title
	if c, err = (&consultation.Service{Pool: pool}).Load(ctx, def); err != nil {
		return nil, err
	}
	start := time.Now()
	if err := addEquality(ctx, pool, c); err != nil {
		return nil, err
	}
	logger.Warn("bench: equality answers added", "took", time.Since(start))
	event, err := addEvents(ctx, pool, c)
	if err != nil {
		return nil, err
	}
	for _, table := range []string{"answers", "responses", "answer_pairs", "answer_days", "response_facts"} {
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE "+table); err != nil {
			return nil, fmt.Errorf("bench: vacuum %s: %w", table, err)
		}
	}

	// The public pages below measure published results (unpublished, a
	// visitor would be sent to sign in and the figures never counted).
	if err := (&consultation.Service{Pool: pool}).SetResultsPublished(ctx, db.New(pool), c.ID, true); err != nil {
		return nil, err
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
	email := fmt.Sprintf("bench-dashboards-%d@example.org", time.Now().UnixNano()) // a kept database is measured again
	if _, err := web.Accounts.Create(ctx, accounts.Actor{}, email, password, accounts.Analyst); err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	analyst := &http.Client{Timeout: 60 * time.Second, Jar: jar}
	res, err := analyst.PostForm(site+"/sign-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, fmt.Errorf("bench: sign in: %w", err)
	}
	res.Body.Close()
	// No redirects: a page sending the visitor to sign in fails the bench.
	public := &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

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
		{"Q6a compare, group filter (analyst)", analyst, base + "/questions/Q6a/compare?group=public"},
		{"Q3a compare, individuals, webform (analyst)", analyst, base + "/questions/Q3a/compare?respondent=individual&channel=webform"},
		{"Q1a, ethnic group + group filter (analyst)", analyst, base + "/questions/Q1a?answer=ethnic-group:black&group=public"},
		{"Q1a, age 18-24 + organisations (analyst)", analyst, base + "/questions/Q1a?answer=age-band:18-24&respondent=organisation"},
		{"Q2a, Q6a not at all + channel (analyst)", analyst, base + "/questions/Q2a?answer=Q6a:not-at-all&channel=email"},
		{"Q1a, disability + Q6a: two answers (analyst)", analyst, base + "/questions/Q1a?answer=disability:yes&answer=Q6a:not-at-all"},
		{"Q1a, answer + dates filter (analyst)", analyst, base + "/questions/Q1a?answer=Q6a:not-at-all&from=2021-01-08&to=2021-01-12"},
		{"Q1a, organisations only (analyst)", analyst, base + "/questions/Q1a?respondent=organisation"},
		{"overview, ethnic group filter (analyst)", analyst, base + "?answer=ethnic-group:asian"},
		{"overview with timeline (analyst)", analyst, base},
		// Filters no summary keeps alone, counted from response_facts
		// (migrations/000028), and the summaries' own combinations.
		{"Q1a compare, two answers (analyst)", analyst, base + "/questions/Q1a/compare?answer=disability:yes&answer=Q6a:not-at-all"},
		{"Q1a compare, answer + dates (analyst)", analyst, base + "/questions/Q1a/compare?answer=Q6a:not-at-all&from=2021-01-08&to=2021-01-12"},
		{"Q1a, three answers + channel (analyst)", analyst, base + "/questions/Q1a?answer=age-band:18-24&answer=disability:yes&answer=Q6a:not-at-all&channel=webform"},
		{"overview, two answers (analyst)", analyst, base + "?answer=disability:yes&answer=Q6a:not-at-all"},
		// The same with closed questions only (a database loaded with
		// -sql-load before equality answers were added has none), each
		// matching a large share of the responses.
		{"Q1a, two closed answers (analyst)", analyst, base + "/questions/Q1a?answer=Q2a:fully&answer=Q2a:mostly&answer=Q6a:fully&answer=Q6a:mostly"},
		{"overview, two closed answers (analyst)", analyst, base + "?answer=Q2a:fully&answer=Q2a:mostly&answer=Q6a:fully&answer=Q6a:mostly"},
		{"Q1a compare, two closed answers (analyst)", analyst, base + "/questions/Q1a/compare?answer=Q2a:fully&answer=Q2a:mostly&answer=Q6a:fully&answer=Q6a:mostly"},
		{"Q1a, three closed answers + channel (analyst)", analyst, base + "/questions/Q1a?answer=Q2a:fully&answer=Q3a:mostly&answer=Q6a:not-at-all&channel=webform"},
		{"overview, organisations + dates (analyst)", analyst, base + "?respondent=organisation&from=2021-01-08&to=2021-01-12"},
		{"Q1a, dates only (analyst)", analyst, base + "/questions/Q1a?from=2021-01-10&to=2021-01-14"},
		{"theme page, individuals + webform (analyst)", analyst, base + "/themes/people-and-communities?respondent=individual&channel=webform"},
		{"Q1a, one event (analyst)", analyst, base + "/questions/Q1a?event=" + event},
		{"overview, one event + individuals (analyst)", analyst, base + "?event=" + event + "&respondent=individual"},
		{"Q1a compare, one event (analyst)", analyst, base + "/questions/Q1a/compare?event=" + event},
		{"Q1a, campaigns left out (analyst)", analyst, base + "/questions/Q1a?campaigns=exclude"},
		{"overview, campaigns left out + orgs (analyst)", analyst, base + "?campaigns=exclude&respondent=organisation"},
		{"Q1a compare, campaigns left out + group", analyst, base + "/questions/Q1a/compare?campaigns=exclude&group=public"},
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
	start = time.Now()
	if _, err := (&report.Service{Pool: pool, Results: &results.Service{Pool: pool}}).Build(ctx, c, results.Policy{}); err != nil {
		return nil, err
	}
	d := time.Since(start)
	out = append(out, latency{name: "report build, no HTTP (once)", p50: d, p95: d})
	return out, nil
}
