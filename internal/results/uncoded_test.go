package results_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/db"
	"heard/internal/ingest"
)

// A "not yet coded" list starts at the question's first uncoded answer,
// and a "no code" list at its first answer without a code, which
// triggers keep in uncoded_from (migration 000027). A value too late
// would hide answers from the list, so it must equal a full recount
// after every kind of change: insert, code, uncode, "no code applies",
// merge and unmerge a repeat, withdrawal with erasure, delete.
func TestUncodedFromStaysExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Received order (f on the 9th first) differs from response order
	// (a first), so both bounds are checked.
	x := newReading(t, people)
	q := x.c.Question("Q1b")
	svc := &coding.Service{Pool: x.pool}
	u, err := accounts.NewService(x.pool).Create(ctx, accounts.Actor{}, "coder@example.org", "a long enough password 1", accounts.Analyst)
	if err != nil {
		t.Fatal(err)
	}
	by := accounts.Actor{User: &u}
	code, err := svc.AddCode(ctx, by, x.c.ID, coding.Frame{QuestionID: q.ID}, coding.CodeInput{Name: "Time on site"})
	if err != nil {
		t.Fatal(err)
	}

	// wantFirst: the first answer listed as not yet coded, and as without
	// a code.
	check := func(step, wantUncoded, wantNoCode string) {
		t.Helper()
		for kind, done := range map[string]string{"uncoded": "s.coded", "nocode": "s.code_count > 0"} {
			var stored, recount string
			if err := x.pool.QueryRow(ctx, `SELECT received_at::text || ' ' || response_id FROM uncoded_from WHERE question_id = $1 AND kind = $2`,
				q.ID, kind).Scan(&stored); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			err := x.pool.QueryRow(ctx, `
				SELECT coalesce(min(r.received_at), 'infinity')::text || ' ' || coalesce(min(a.response_id), 9223372036854775807)
				FROM answers a JOIN responses r ON r.id = a.response_id
				WHERE a.question_id = $1 AND a.text IS NOT NULL AND a.counted
				  AND NOT EXISTS (SELECT 1 FROM unit_states s WHERE s.question_id = a.question_id AND s.response_id = a.response_id
				                  AND s.segment_id IS NULL AND `+done+`)`, q.ID).Scan(&recount)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if stored != recount {
				t.Errorf("%s: uncoded_from (%s) says %s, a recount %s", step, kind, stored, recount)
			}
		}
		// And the lists themselves, which start there.
		for query, want := range map[string]string{"coding=uncoded": wantUncoded, "coding=nocode": wantNoCode} {
			if got, _ := x.list(t, query, 1); len(got) == 0 && want != "" || len(got) > 0 && got[0] != want {
				t.Errorf("%s: %s lists %v, want %q first", step, query, got, want)
			}
		}
	}
	save := func(ref string, ch coding.Change) {
		t.Helper()
		ch.Unit = coding.Unit{ResponseID: x.ids[ref], QuestionID: q.ID}
		st, err := svc.State(ctx, ch.Unit)
		if err != nil {
			t.Fatal(err)
		}
		ch.Version = st.Version
		if _, err := svc.Save(ctx, by, x.c.ID, ch); err != nil {
			t.Fatalf("save %s: %v", ref, err)
		}
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := x.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	applied := []coding.Applied{{CodeID: code.ID}}

	check("loaded", "f", "f")
	save("f", coding.Change{Codes: applied})
	check("earliest received coded", "a", "a")
	save("a", coding.Change{Codes: applied})
	check("earliest response coded", "b", "b")
	save("f", coding.Change{})
	check("code removed", "f", "f")
	save("f", coding.Change{NoCode: true}) // coded, and still without a code
	save("b", coding.Change{Codes: applied})
	check("no code applies", "c", "f")
	// c becomes a merged repeat of a: no longer listed, then back.
	exec(`UPDATE responses SET merged_into = $1 WHERE id = $2`, x.ids["a"], x.ids["c"])
	check("merged repeat", "d", "f")
	exec(`UPDATE responses SET merged_into = NULL WHERE id = $1`, x.ids["c"])
	check("unmerged", "c", "f")
	// Withdrawal with erasure, as personal.Erase stores it.
	exec(`DELETE FROM answers WHERE response_id = $1`, x.ids["c"])
	exec(`UPDATE responses SET withdrawn = true WHERE id = $1`, x.ids["c"])
	check("withdrawn", "d", "f")
	exec(`DELETE FROM responses WHERE id = $1`, x.ids["d"])
	check("deleted", "e", "f")
	// A letter received before everything else, imported late.
	text := "An early letter about inspection."
	err = db.WithTx(ctx, x.pool, func(_ pgx.Tx, qs *db.Queries) error {
		g := x.c.Group("public").ID
		w := ingest.NewWriter(qs, x.c)
		if err := w.Add(ctx, ingest.Response{SourceRef: "early", Channel: "letter", GroupID: &g,
			ReceivedAt: time.Date(2021, 1, 2, 9, 0, 0, 0, time.UTC),
			Answers:    []ingest.Answer{{QuestionID: q.ID, Text: &text}}}); err != nil {
			return err
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	var early int64
	if err := x.pool.QueryRow(ctx, `SELECT id FROM responses WHERE source_ref = 'early'`).Scan(&early); err != nil {
		t.Fatal(err)
	}
	x.ids["early"] = early
	check("inserted earlier", "early", "early")
	for _, ref := range strings.Fields("early e g") {
		save(ref, coding.Change{Codes: applied})
	}
	check("all coded", "", "f")
}
