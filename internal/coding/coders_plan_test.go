package coding_test

import (
	"context"
	"testing"
)

// One analyst coding many answers of one question in one statement (a
// bulk apply, accepting suggestions in bulk, the demo, an import of
// codings) must cost the coder_counts trigger (000033) a few index
// entries per answer, whatever the table's statistics say. With an index
// on (question_id, user_id) beside the answer index, a planner without
// fresh statistics took it for the trigger's per-answer lookup, so each
// answer read every event of that analyst on that question: 300,000 Q1b
// answers coded at a million responses ran for over twenty minutes.
// Counted in index entries read, not in time, so it holds on a busy
// machine.
func TestCoderCountsReadEachAnswersEventsOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := setup(t)
	a := f.code(t, "A", "Awareness", 0)
	b := f.code(t, "B", "Digital exclusion", 0)
	pool := f.pool
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM answers WHERE question_id = $1`, f.q.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 500 {
		t.Fatalf("the demo has %d Q1b answers; this needs hundreds", n)
	}
	// Straight into coding_events: the trigger is all this exercises. No
	// ANALYZE: the statistics of a table that has just grown.
	insert := `INSERT INTO coding_events (consultation_id, user_id, response_id, question_id, action, code_id, position)
		SELECT $1, $2, response_id, $3, 'apply', $4, 'supports' FROM answers WHERE question_id = $3`
	if _, err := pool.Exec(ctx, insert, f.c.ID, f.ann.User.ID, f.q.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	// Index entries read by a second statement of the same shape, on this
	// connection, from the statistics it reports.
	read := func() int64 {
		t.Helper()
		if _, err := conn.Exec(ctx, `SELECT pg_stat_force_next_flush()`); err != nil {
			t.Fatal(err)
		}
		var r int64
		if err := conn.QueryRow(ctx, `SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = 'coding_events'`).Scan(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	before := read()
	if _, err := conn.Exec(ctx, insert, f.c.ID, f.ann.User.ID, f.q.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SELECT 1`); err != nil { // the insert's statistics are reported at its end
		t.Fatal(err)
	}
	got := read() - before
	var coded int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM coder_counts WHERE question_id = $1 AND user_id = $2`, f.q.ID, f.ann.User.ID).Scan(&coded); err != nil {
		t.Fatal(err)
	}
	if coded != n {
		t.Errorf("coder_counts = %d answers coded by ann, want %d", coded, n)
	}
	t.Logf("coding %d answers read %d index entries of coding_events", n, got)
	if got > 20*n {
		t.Errorf("coding %d answers read %d index entries of coding_events (%.0f an answer); want a handful an answer", n, got, float64(got)/float64(n))
	}
}
