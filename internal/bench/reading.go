package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/results"
	"heard/internal/server"
)

// listCombo is one analysts' list: a question page's query string.
type listCombo struct{ name, query string }

// listCombos are the answer lists the bench times at their worst: a
// small group × channel (issue #10), search with three filters, deep
// pages, longest first, dates with closed answers, and the combinations
// whose filters are each broad but together match few or none (the
// synthetic answers follow i: organisations (i%10 == 3) all come by
// webform and answer Q1a "mostly"; Q1a "fully" goes with Q2a "mostly";
// the coding section coded the first 30% of Q1b in one stretch, so "not
// yet coded" in received order starts past it).
func listCombos(c *consultation.Consultation, code int32, match string) []listCombo {
	var out []listCombo
	for _, lc := range allListCombos(c, code) {
		if strings.Contains(lc.name, match) {
			out = append(out, lc)
		}
	}
	return out
}

func allListCombos(c *consultation.Consultation, code int32) []listCombo {
	small := c.Groups[len(c.Groups)-1].Slug // with channel event: 5% of responses here
	x := fmt.Sprintf("code=%d", code)
	return []listCombo{
		{"small group × event (#10)", "group=" + small + "&channel=event"},
		{"search + 3 filters", "q=inspection&respondent=organisation&answer=Q1a:mostly&channel=webform"},
		{"search + 3 filters, longest first", "q=inspection&respondent=organisation&answer=Q1a:mostly&channel=webform&sort=length"},
		{"search + 3 filters, page 50", "q=inspection&respondent=organisation&answer=Q1a:mostly&channel=webform&page=50"},
		{"search, page 50", "q=inspection&page=50"},
		{"search, page 500", "q=inspection&page=500"},
		{"search, page 500 from page 499 (Next)", "q=inspection&page=500&after=prev"},
		{"page 500, no filter", "page=500"},
		{"page 500 from page 499 (Next)", "page=500&after=prev"},
		{"longest first + search, page 500 from 499", "sort=length&q=inspection&page=500&after=prev"},
		{"longest first, one group", "sort=length&group=" + small},
		{"2 days + 2 closed answers", "from=2021-01-08&to=2021-01-09&answer=Q1a:fully&answer=Q2a:mostly"},
		{"org + not yet coded, search OR", "respondent=organisation&coding=uncoded&q=inspection+OR+organisation"},
		{"not yet coded", "coding=uncoded"},
		{"not yet coded, page 500", "coding=uncoded&page=500"},
		{"not yet coded, longest first", "coding=uncoded&sort=length"},
		{"no code applies, one group", "coding=nocode&group=" + small},
		{"code X", x},
		{"code X + org + search", x + "&respondent=organisation&q=inspection"},
		{"quote-worthy", "quote=yes"},
		{"individuals, search, 2 closed answers", "respondent=individual&q=data&answer=Q1a:fully&answer=Q2a:mostly"},
		{"org × event (none match)", "respondent=organisation&channel=event"},
		{"org × Q1a fully (none match)", "respondent=organisation&answer=Q1a:fully"},
		{"org × email × search (none match)", "respondent=organisation&channel=email&q=inspection"},
		{"search matching nothing", "q=zebra"},
		{"one day, org, not yet coded", "from=2021-01-09&to=2021-01-09&respondent=organisation&coding=uncoded"},
		// Each broad, together none (response_facts keys, 000034).
		{"org × Q1a mostly × Q2a fully (none match)", "respondent=organisation&answer=Q1a:mostly&answer=Q2a:fully"},
		{"org × event × search, longest first (none match)", "respondent=organisation&channel=event&q=inspection&sort=length"},
		{"a week × org × Q1a fully × search (none match)", "from=2021-01-08&to=2021-01-14&respondent=organisation&answer=Q1a:fully&q=inspection"},
		{"org × Q1a fully × not yet coded (none match)", "respondent=organisation&answer=Q1a:fully&coding=uncoded"},
		{"code X × org × Q1a fully (none match)", x + "&respondent=organisation&answer=Q1a:fully"},
	}
}

// readingLatencies times the analysts' answer lists of listCombos and
// opening a whole response from a searched list: each list through the
// real HTTP server signed in as an analyst (the page: counts, code
// counts and the list), and the list alone through results.ListAnswers.
// Sequential.
func readingLatencies(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, match string, pages bool, logger *slog.Logger) ([]latency, error) {
	const email, password = "bench-reader@example.org", "bench analyst password 1"
	// A kept database (-existing) has the analyst from the run that made it.
	if _, err := accounts.NewService(pool).Create(ctx, accounts.Actor{}, email, password, accounts.Analyst); err != nil {
		if ve := (*accounts.ValidationError)(nil); !errors.As(err, &ve) || ve.Field != "email" {
			return nil, fmt.Errorf("bench: analyst: %w", err)
		}
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
	code, err := benchCode(ctx, pool, c)
	if err != nil {
		return nil, err
	}
	get := func(path string) func(int) error {
		return func(int) error {
			res, err := client.Get(path)
			if err != nil {
				return fmt.Errorf("bench: GET %s: %w", path, err)
			}
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 || strings.Contains(res.Request.URL.Path, "/sign-in") {
				return fmt.Errorf("bench: GET %s: status %d at %s, %v", path, res.StatusCode, res.Request.URL.Path, err)
			}
			return nil
		}
	}
	list := &results.Service{Pool: pool}
	q := c.Question("Q1b")
	var out []latency
	for _, lc := range listCombos(c, code, match) {
		if lc.query, err = withPrevKey(ctx, list, c, q, lc.query); errors.Is(err, results.ErrTooSlow) {
			out = append(out, latency{name: "list: " + lc.name + " — page before TIMED OUT (5 s)"})
			continue
		} else if err != nil {
			return nil, err
		}
		do, err := listCall(ctx, list, c, q, lc.query)
		if err != nil {
			return nil, err
		}
		// A list past the statement timeout is reported as such, once.
		if err := do(0); errors.Is(err, results.ErrTooSlow) {
			out = append(out, latency{name: "list: " + lc.name + " — TIMED OUT (5 s)"})
			continue
		}
		l, err := timeIt(n, do)
		if err != nil {
			return nil, fmt.Errorf("bench: list %s: %w", lc.query, err)
		}
		l.name = "list: " + lc.name
		out = append(out, l)
		if !pages {
			continue
		}
		// A page whose figures are counted response by response (#12)
		// can take seconds at a million: time it fewer times.
		page := get(root + "/consultations/" + c.Slug + "/questions/Q1b?" + lc.query)
		start := time.Now()
		if err := page(0); err != nil {
			return nil, err
		}
		runs := n
		if time.Since(start) > time.Second {
			runs = min(n, 5)
		}
		if l, err = timeIt(runs, page); err != nil {
			return nil, err
		}
		l.name = "page: " + lc.name
		out = append(out, l)
	}
	l, err := timeIt(n, get(fmt.Sprintf("%s/consultations/%s/responses/%d?list=Q1b&at=5&q=inspection", root, c.Slug, id)))
	if err != nil {
		return nil, err
	}
	l.name = "whole response from a searched list"
	out = append(out, l)
	// Who coded how many (coder_counts, 000033) is on both coding pages.
	for _, pg := range []struct{ name, path string }{
		{"coding progress page", "/consultations/" + c.Slug + "/coding"},
		{"Q1b coding page", "/consultations/" + c.Slug + "/questions/Q1b/coding"},
	} {
		if l, err = timeIt(n, get(root+pg.path)); err != nil {
			return nil, err
		}
		l.name = pg.name
		out = append(out, l)
	}
	return out, nil
}

// benchCode is the first bench code of Q1b (the coding section made it).
func benchCode(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation) (int32, error) {
	var code int32
	err := pool.QueryRow(ctx, `SELECT id FROM codes WHERE question_id = $1 AND name = 'Bench code 1'`, c.Question("Q1b").ID).Scan(&code)
	if err != nil {
		return 0, fmt.Errorf("bench: bench code: %w", err)
	}
	return code, nil
}

// withPrevKey replaces after=prev in query with the key the page before
// gives its Next link, as an analyst paging through the list has it.
func withPrevKey(ctx context.Context, list *results.Service, c *consultation.Consultation, q *consultation.Question, query string) (string, error) {
	v, err := url.ParseQuery(query)
	if err != nil || v.Get("after") != "prev" {
		return query, err
	}
	f, err := results.ParseFilter(c, v)
	if err != nil {
		return "", fmt.Errorf("bench: %s: %w", query, err)
	}
	page, _ := strconv.Atoi(v.Get("page"))
	prev, err := list.ListAnswers(ctx, c, q, f, v.Get("sort"), page-1)
	if err != nil {
		return "", fmt.Errorf("bench: %s: %w", query, err)
	}
	v.Set("after", prev.After)
	return v.Encode(), nil
}

// listCall is one read of the list a question page's query string asks
// for, as the page reads it.
func listCall(ctx context.Context, list *results.Service, c *consultation.Consultation, q *consultation.Question, query string) (func(int) error, error) {
	v, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", query, err)
	}
	f, err := results.ParseFilter(c, v)
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", query, err)
	}
	page := 1
	if p := v.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("bench: %s: %w", query, err)
		}
	}
	return func(int) error {
		_, err := list.ListAnswersAfter(ctx, c, q, f, v.Get("sort"), page, v.Get("after"))
		return err
	}, nil
}

// explainLists prints the plans (EXPLAIN ANALYZE with buffers, through
// auto_explain) of every query each list of listCombos runs, read twice
// so the second read's plans show a warm cache.
func explainLists(ctx context.Context, dbURL string, c *consultation.Consultation, match string, out io.Writer) error {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return fmt.Errorf("bench: explain: %w", err)
	}
	cfg.MaxConns = 1
	var mu sync.Mutex
	var plans []string
	cfg.ConnConfig.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		defer mu.Unlock()
		plans = append(plans, n.Message)
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		for _, set := range []string{
			"LOAD 'auto_explain'",
			"SET auto_explain.log_min_duration = 0",
			"SET auto_explain.log_analyze = on",
			"SET auto_explain.log_buffers = on",
			"SET auto_explain.log_level = notice",
		} {
			if _, err := conn.Exec(ctx, set); err != nil {
				return err
			}
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("bench: explain: %w", err)
	}
	defer pool.Close()
	code, err := benchCode(ctx, pool, c)
	if err != nil {
		return err
	}
	list := &results.Service{Pool: pool}
	for _, lc := range listCombos(c, code, match) {
		if lc.query, err = withPrevKey(ctx, list, c, c.Question("Q1b"), lc.query); err != nil {
			return err
		}
		do, err := listCall(ctx, list, c, c.Question("Q1b"), lc.query)
		if err != nil {
			return err
		}
		for i := range 2 {
			mu.Lock()
			plans = nil
			mu.Unlock()
			start := time.Now()
			if err := do(0); err != nil {
				// A list past the statement timeout says so and the rest
				// are still explained.
				fmt.Fprintf(out, "\n==== %s (%s): %v\n", lc.name, lc.query, err)
				break
			}
			if i == 1 {
				fmt.Fprintf(out, "\n==== %s (%s): %.1f ms with EXPLAIN ANALYZE\n", lc.name, lc.query, ms(time.Since(start)))
				mu.Lock()
				for _, p := range plans {
					if !strings.Contains(p, "set_config") && !strings.Contains(p, "SET LOCAL") {
						fmt.Fprintln(out, p)
					}
				}
				mu.Unlock()
			}
		}
	}
	return nil
}
