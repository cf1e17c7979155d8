package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/server"
)

// codingShare is the share of Q1b's answers coded before the timings, as
// one contiguous stretch: the worst case for "next uncoded" if it had to
// scan past coded answers.
const codingShare = 30

// codingSection measures the coding actions and code counts at the
// bench's scale: "next uncoded", saving an answer's codes (both through
// the service, as the handler calls them), code counts through the
// service and codes.csv through the HTTP server.
func codingSection(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, out io.Writer) error {
	q := c.Question("Q1b")
	svc := &coding.Service{Pool: pool}
	u, codes, err := benchCoder(ctx, pool, svc, c, q)
	if err != nil {
		return err
	}
	by := accounts.Actor{User: &u}
	// A kept database (-existing) was coded by the run that made it.
	var coded int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM unit_states WHERE question_id = $1 AND coded`, q.ID).Scan(&coded); err != nil {
		return fmt.Errorf("bench: coded: %w", err)
	}
	how := "kept from the run that made the database"
	if coded == 0 {
		start := time.Now()
		if coded, err = precode(ctx, pool, c.ID, q.ID, codes, u.ID); err != nil {
			return err
		}
		how = fmt.Sprintf("one stretch, in %.1f s", time.Since(start).Seconds())
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE unit_states, unit_codes, coding_events, code_counts"); err != nil {
			return fmt.Errorf("bench: vacuum: %w", err)
		}
	}
	fmt.Fprintf(out, "\n  coding (Q1b: %s answers coded beforehand, %s; %d requests each; target p95 < 50 ms):\n",
		fmtInt(coded), how, n)

	next := func(int) error {
		_, err := svc.NextUncoded(ctx, q.ID, 0, 0)
		return err
	}
	save := func(i int) error {
		id, err := svc.NextUncoded(ctx, q.ID, 0, 0)
		if err != nil || id == 0 {
			return fmt.Errorf("bench: next uncoded: %d, %w", id, err)
		}
		_, err = svc.Save(ctx, by, c.ID, coding.Change{Unit: coding.Unit{ResponseID: id, QuestionID: q.ID},
			Codes: []coding.Applied{{CodeID: codes[i%len(codes)], Position: coding.Supports}, {CodeID: codes[(i+3)%len(codes)]}}})
		return err
	}
	counts := func(int) error {
		_, err := svc.Counts(ctx, c.ID, nil, nil)
		return err
	}
	filtered := func(int) error {
		_, err := svc.Counts(ctx, c.ID, []int32{c.Groups[0].ID, c.Groups[1].ID}, []string{"letter"})
		return err
	}
	for _, m := range []struct {
		name string
		do   func(int) error
	}{
		{"next uncoded (service)", next},
		{"next uncoded + save 2 codes (service)", save},
		{"code counts (service)", counts},
		{"code counts, filtered (service)", filtered},
	} {
		l, err := timeIt(n, m.do)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %-44s p50 %6.1f ms   p95 %6.1f ms\n", m.name, ms(l.p50), ms(l.p95))
	}
	return codesCSVLatency(ctx, pool, c, n, out)
}

// benchCoder returns the bench's analyst and the ten codes of Q1b's
// codeframe, creating them unless a kept database has them already.
func benchCoder(ctx context.Context, pool *pgxpool.Pool, svc *coding.Service, c *consultation.Consultation, q *consultation.Question) (accounts.User, []int32, error) {
	const email = "bench-analyst@example.org"
	acc := accounts.NewService(pool)
	var u accounts.User
	var id int64
	err := pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id)
	switch {
	case err == nil:
		u, err = acc.Get(ctx, id)
	case errors.Is(err, pgx.ErrNoRows):
		u, err = acc.Create(ctx, accounts.Actor{}, email, "bench password not used", accounts.Analyst)
	}
	if err != nil {
		return u, nil, fmt.Errorf("bench: coder: %w", err)
	}
	rows, err := pool.Query(ctx, `SELECT id FROM codes WHERE question_id = $1 AND name LIKE 'Bench code %' AND retired_at IS NULL ORDER BY position, id`, q.ID)
	if err != nil {
		return u, nil, fmt.Errorf("bench: codes: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return u, nil, fmt.Errorf("bench: codes: %w", err)
	}
	by := accounts.Actor{User: &u}
	for i := len(codes); i < 10; i++ {
		code, err := svc.AddCode(ctx, by, c.ID, coding.Frame{QuestionID: q.ID}, coding.CodeInput{Name: fmt.Sprintf("Bench code %d", i+1)})
		if err != nil {
			return u, nil, fmt.Errorf("bench: code: %w", err)
		}
		codes = append(codes, code.ID)
	}
	return u, codes, nil
}

// timeIt runs do n times after min(n, 10) warm-up runs and returns p50
// and p95.
func timeIt(n int, do func(int) error) (latency, error) {
	var times []time.Duration
	warm := min(n, 10)
	for i := range n + warm {
		start := time.Now()
		if err := do(i); err != nil {
			return latency{}, err
		}
		if i >= warm {
			times = append(times, time.Since(start))
		}
	}
	slices.Sort(times)
	return latency{p50: times[len(times)*50/100], p95: times[len(times)*95/100]}, nil
}

// precode codes the first codingShare% of the question's answers in bulk
// (events, current codes and states), as a season of analysts' work.
// It returns how many answers it coded.
func precode(ctx context.Context, pool *pgxpool.Pool, consultationID int64, questionID int32, codes []int32, userID int64) (int64, error) {
	var total int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM answers WHERE question_id = $1 AND text IS NOT NULL`, questionID).Scan(&total); err != nil {
		return 0, fmt.Errorf("bench: count answers: %w", err)
	}
	limit := total * codingShare / 100
	// Two codes per answer: events first, then the current state the
	// events derive, each in one statement.
	steps := []struct {
		sql  string
		args []any
	}{
		{`CREATE TEMP TABLE bench_coded AS
		  SELECT a.response_id, a.channel, a.respondent_group_id, row_number() OVER (ORDER BY a.response_id) AS k
		  FROM answers a WHERE a.question_id = $1 AND a.text IS NOT NULL ORDER BY a.response_id LIMIT $2`, []any{questionID, limit}},
		{`INSERT INTO coding_events (consultation_id, user_id, response_id, question_id, action, code_id, position)
		  SELECT $2, $3, b.response_id, $1, 'apply', ($4::integer[])[1 + (b.k + j) % cardinality($4::integer[])], 'supports'
		  FROM bench_coded b CROSS JOIN generate_series(0, 1) j`, []any{questionID, consultationID, userID, codes}},
		{`INSERT INTO unit_codes (consultation_id, response_id, question_id, code_id, position, channel, respondent_group_id, event_id)
		  SELECT $2, b.response_id, $1, ($3::integer[])[1 + (b.k + j) % cardinality($3::integer[])], 'supports', b.channel, b.respondent_group_id, 0
		  FROM bench_coded b CROSS JOIN generate_series(0, 1) j`, []any{questionID, consultationID, codes}},
		{`INSERT INTO unit_states (consultation_id, response_id, question_id, code_count, version, updated_by)
		  SELECT $2, b.response_id, $1, 2, 1, $3 FROM bench_coded b`, []any{questionID, consultationID, userID}},
		{`DROP TABLE bench_coded`, nil},
	}
	// A temporary table lives on one connection.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("bench: precode: %w", err)
	}
	defer conn.Release()
	for _, st := range steps {
		if _, err := conn.Exec(ctx, st.sql, st.args...); err != nil {
			return 0, fmt.Errorf("bench: precode: %w", err)
		}
	}
	return limit, nil
}

// codesCSVLatency times GET codes.csv through the real HTTP server, as
// the public reads it once results are published.
func codesCSVLatency(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, out io.Writer) error {
	// pageLatencies published them; a database kept from a run that
	// measured the dashboards only (-existing) may not have.
	if err := (&consultation.Service{Pool: pool}).SetResultsPublished(ctx, db.New(pool), c.ID, true); err != nil {
		return fmt.Errorf("bench: publish: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("bench: listen: %w", err)
	}
	web := server.New(slog.New(slog.DiscardHandler), pool, server.Options{})
	defer web.Close()
	srv := &http.Server{Handler: web.Routes()}
	go srv.Serve(ln) //nolint:errcheck // closed below
	defer srv.Close()
	client := &http.Client{Timeout: 30 * time.Second}
	path := "http://" + ln.Addr().String() + "/consultations/" + c.Slug + "/codes.csv"
	l, err := timeIt(n, func(int) error {
		res, err := client.Get(path)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("bench: GET codes.csv: status %d", res.StatusCode)
		}
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  %-44s p50 %6.1f ms   p95 %6.1f ms   (%s)\n", "codes.csv (HTTP)", ms(l.p50), ms(l.p95), strconv.Itoa(n)+" requests")
	return nil
}
