package coding_test

import (
	"context"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// A bulk change of many answers' coding states (codings undone in bulk;
// the counted flag when coded responses are merged or withdrawn) on a
// connection that has already saved codings one at a time must cost the
// uncoded_from trigger (000027) work in proportion to the answers, not
// to their square. PL/pgSQL kept the plan it made for the analyst's
// one-row saves, a nested loop pairing every changed state with every
// other: 10,000 states took 48.7 s instead of 0.3 s at 100,000
// responses. Migration 000040 plans that statement for the rows at hand.
// Counted as the rows its join compared and threw away (auto_explain,
// which needs a superuser connection), not in time.
func TestBulkStateChangeComparesEachStateOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := setup(t)
	// Every Q1b answer coded, in one statement.
	n, err := f.pool.Exec(ctx, `INSERT INTO unit_states (consultation_id, response_id, question_id, code_count, version, updated_by)
		SELECT $1, response_id, $2, 1, 1, $3 FROM answers WHERE question_id = $2 AND text IS NOT NULL`, f.c.ID, f.q.ID, f.ann.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	states := n.RowsAffected()
	if states < 500 {
		t.Fatalf("the demo has %d Q1b answers; this needs hundreds", states)
	}

	compared := pairsThrownAway(t, f, "JOIN old_rows o ON o.question_id = n.question_id", func(conn *pgx.Conn) {
		// An analyst's saves, one answer at a time (each runs the
		// trigger's statement twice: more than the five custom plans
		// PL/pgSQL makes before keeping a generic one).
		for i := range 6 {
			if _, err := conn.Exec(ctx, `UPDATE unit_states SET note = 'seen', version = version + 1
				WHERE question_id = $1 AND segment_id IS NULL AND response_id = $2`, f.q.ID, f.answer[i]); err != nil {
				t.Fatal(err)
			}
		}
	}, `UPDATE unit_states SET code_count = 0 WHERE question_id = $1 AND segment_id IS NULL`, f.q.ID)
	var uncoded int64
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM unit_states WHERE question_id = $1 AND NOT coded`, f.q.ID).Scan(&uncoded); err != nil {
		t.Fatal(err)
	}
	if uncoded != states {
		t.Errorf("%d states uncoded, want %d", uncoded, states)
	}
	t.Logf("undoing %d codings: the trigger's join threw away %d row pairs", states, compared)
	if compared > 4*states {
		t.Errorf("undoing %d codings, the uncoded_from trigger compared and threw away %d row pairs (%.0f a state); want a few a state",
			states, compared, float64(compared)/float64(states))
	}
}

// pairsThrownAway runs one-row statements (warm) and then bulk on one
// connection to f's database, and returns the row pairs that the joins of
// the nested statements whose text contains marker compared and threw
// away (auto_explain's "Rows Removed by Join Filter"). auto_explain
// needs a superuser: the connection is DATABASE_URL's user's.
func pairsThrownAway(t *testing.T, f *fixture, marker string, warm func(*pgx.Conn), bulk string, args ...any) int64 {
	t.Helper()
	ctx := context.Background()
	u, err := url.Parse(os.Getenv("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + f.pool.Config().ConnConfig.Database
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var plans []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		plans = append(plans, n.Message)
		mu.Unlock()
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `LOAD 'auto_explain'`); err != nil {
		// auto_explain ships with PostgreSQL's server package and the test
		// clusters' user is a superuser; a skip here would count a test
		// that checked nothing as passed.
		t.Fatalf("auto_explain cannot be loaded as %s (the tests need a superuser and PostgreSQL's own auto_explain): %v", cfg.User, err)
	}
	for _, set := range []string{"auto_explain.log_min_duration = 0", "auto_explain.log_nested_statements = on",
		"auto_explain.log_analyze = on", "auto_explain.log_timing = off", "auto_explain.log_level = notice"} {
		if _, err := conn.Exec(ctx, "SET "+set); err != nil {
			t.Fatal(err)
		}
	}
	warm(conn)
	mu.Lock()
	plans = nil
	mu.Unlock()
	if _, err := conn.Exec(ctx, bulk, args...); err != nil {
		t.Fatal(err)
	}
	removed := regexp.MustCompile(`Rows Removed by Join Filter: (\d+)`)
	var n int64
	seen := false
	mu.Lock()
	defer mu.Unlock()
	for _, p := range plans {
		if !strings.Contains(p, marker) {
			continue
		}
		seen = true
		for _, m := range removed.FindAllStringSubmatch(p, -1) {
			k, _ := strconv.ParseInt(m[1], 10, 64)
			n += k
		}
	}
	if !seen {
		t.Fatalf("no plan of a statement with %q came back", marker)
	}
	return n
}

// A bulk change of many responses (received dates corrected, an event
// assigned, many withdrawn or merged) on a connection that has already
// changed responses one at a time: the answer_days, answer_pairs and
// response_facts triggers on responses (000028, 000025) pair each
// response's row before with its row after, and kept the nested loop
// made for one row (10,000 responses: 3.5-7 times slower at 100,000,
// growing with the square). Migration 000040 plans them for the rows at
// hand.
func TestBulkResponseChangeComparesEachResponseOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := setup(t)
	var responses int64
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE consultation_id = $1`, f.c.ID).Scan(&responses); err != nil {
		t.Fatal(err)
	}
	compared := pairsThrownAway(t, f, "JOIN old_rows o ON o.id = n.id", func(conn *pgx.Conn) {
		for i := range 6 {
			if _, err := conn.Exec(ctx, `UPDATE responses SET received_at = received_at + interval '1 day' WHERE id = $1`, f.answer[i]); err != nil {
				t.Fatal(err)
			}
		}
	}, `UPDATE responses SET received_at = received_at + interval '1 day' WHERE consultation_id = $1`, f.c.ID)
	t.Logf("moving %d responses by a day: the triggers' joins threw away %d row pairs", responses, compared)
	if compared > 4*responses {
		t.Errorf("moving %d responses by a day, the triggers on responses compared and threw away %d row pairs (%.0f a response); want a few a response",
			responses, compared, float64(compared)/float64(responses))
	}
}
