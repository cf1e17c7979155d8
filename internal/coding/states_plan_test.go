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
// away (auto_explain's "Rows Removed by Join Filter").
func pairsThrownAway(t *testing.T, f *fixture, marker string, warm func(*pgx.Conn), bulk string, args ...any) int64 {
	t.Helper()
	removed := regexp.MustCompile(`Rows Removed by Join Filter: (\d+)`)
	var n int64
	for _, p := range nestedPlans(t, f, marker, warm, bulk, args...) {
		for _, m := range removed.FindAllStringSubmatch(p, -1) {
			k, _ := strconv.ParseInt(m[1], 10, 64)
			n += k
		}
	}
	return n
}

// nestedPlans runs one-row statements (warm) and then bulk on one
// connection to f's database, and returns the plans (auto_explain,
// analysed, without timing) of bulk's nested statements whose text
// contains marker. auto_explain needs a superuser: the connection is
// DATABASE_URL's user's.
func nestedPlans(t *testing.T, f *fixture, marker string, warm func(*pgx.Conn), bulk string, args ...any) []string {
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
	mu.Lock()
	defer mu.Unlock()
	var matched []string
	for _, p := range plans {
		if strings.Contains(p, marker) {
			matched = append(matched, p)
		}
	}
	if len(matched) == 0 {
		t.Fatalf("no plan of a statement with %q came back", marker)
	}
	return matched
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

// Moving many responses' received dates at 1,000,000 responses spent
// 20-27 s in the answer_days trigger on responses (000028): the planner
// expected far more changed rows from pairing new_rows with old_rows than
// there were, and hashed every answer in the database to find the moved
// responses' answers. Migration 000041 probes them by response id. Counted
// as the answer rows the trigger's statement read (auto_explain), not in
// time: a quarter of the demo's responses moved must read their answers
// once, not every answer; one response moved must still read only its own.
func TestDateMoveReadsOnlyTheMovedAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := setup(t)
	// The statement of heard_count_response_days that moves the answers
	// (its comment, which EXECUTE passes on with the text).
	const marker = "Answers of responses whose day or organisation changed"
	var moved, movedAnswers, allAnswers int64
	if err := f.pool.QueryRow(ctx, `SELECT count(*) / 4 FROM responses WHERE consultation_id = $1`, f.c.ID).Scan(&moved); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE response_id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT $2)), count(*)
		FROM answers`, f.c.ID, moved).Scan(&movedAnswers, &allAnswers); err != nil {
		t.Fatal(err)
	}
	if moved < 100 || allAnswers < 3*movedAnswers {
		t.Fatalf("the demo has %d answers, %d of them in the first %d responses; this needs hundreds of responses and most answers elsewhere",
			allAnswers, movedAnswers, moved)
	}

	read := answersRead(t, nestedPlans(t, f, marker, func(*pgx.Conn) {},
		`UPDATE responses SET received_at = received_at + interval '1 day'
		 WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT $2)`, f.c.ID, moved))
	t.Logf("moving %d responses (%d answers) by a day: the answer_days trigger read %d answers of %d", moved, movedAnswers, read, allAnswers)
	if read > movedAnswers {
		t.Errorf("moving %d responses with %d answers by a day, the answer_days trigger read %d answers (of %d); want each moved answer once",
			moved, movedAnswers, read, allAnswers)
	}

	var oneAnswers int64
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM answers WHERE response_id = $1`, f.answer[0]).Scan(&oneAnswers); err != nil {
		t.Fatal(err)
	}
	read = answersRead(t, nestedPlans(t, f, marker, func(*pgx.Conn) {},
		`UPDATE responses SET received_at = received_at - interval '1 day' WHERE id = $1`, f.answer[0]))
	t.Logf("moving one response (%d answers) by a day: the answer_days trigger read %d answers", oneAnswers, read)
	// Still a probe of its own answers, not a scan (000040's plan read
	// them twice, once out of the old day and once into the new).
	if read > 2*oneAnswers {
		t.Errorf("moving one response with %d answers by a day, the answer_days trigger read %d answers; want its own", oneAnswers, read)
	}

	// And the summary still agrees with the answers: every moved answer
	// counted under its new day, none left under the old.
	var off int64
	if err := f.pool.QueryRow(ctx, `
		WITH want AS (
			SELECT a.question_id, coalesce(a.option_id, 0) AS option_id, (r.received_at AT TIME ZONE 'Europe/London')::date AS day,
			       r.on_behalf_of_org AS org, coalesce(a.respondent_group_id, 0) AS g, a.channel, count(*) AS n
			FROM answers a JOIN responses r ON r.id = a.response_id
			WHERE a.consultation_id = $1 AND a.counted
			GROUP BY 1, 2, 3, 4, 5, 6
		), got AS (
			SELECT question_id, option_id, day, org, respondent_group_id AS g, channel, sum(n) AS n
			FROM answer_days WHERE consultation_id = $1 AND question_id <> 0
			GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0
		)
		SELECT count(*) FROM want FULL JOIN got USING (question_id, option_id, day, org, g, channel)
		WHERE want.n IS DISTINCT FROM got.n`, f.c.ID).Scan(&off); err != nil {
		t.Fatal(err)
	}
	if off != 0 {
		t.Errorf("after the moves, %d answer_days cells differ from a recount of the answers", off)
	}
}

// answersRead adds up the rows that the plans' scans of the answers table
// read: the rows each scan returned and those its filter removed, times
// its loops (EXPLAIN shows both per loop).
func answersRead(t *testing.T, plans []string) int64 {
	t.Helper()
	node := regexp.MustCompile(`\(actual rows=(\d+) loops=(\d+)\)`)
	removed := regexp.MustCompile(`Rows Removed by (?:Filter|Index Recheck): (\d+)`)
	var n int64
	for _, p := range plans {
		var onAnswers bool
		var loops int64
		for _, line := range strings.Split(p, "\n") {
			if m := node.FindStringSubmatch(line); m != nil {
				onAnswers = strings.Contains(line, " on answers ")
				rows, _ := strconv.ParseInt(m[1], 10, 64)
				loops, _ = strconv.ParseInt(m[2], 10, 64)
				if onAnswers {
					n += rows * loops
				}
				continue
			}
			if m := removed.FindStringSubmatch(line); m != nil && onAnswers {
				k, _ := strconv.ParseInt(m[1], 10, 64)
				n += k * loops
			}
		}
	}
	if n == 0 {
		t.Fatalf("no scan of answers in the plans:\n%s", strings.Join(plans, "\n"))
	}
	return n
}
