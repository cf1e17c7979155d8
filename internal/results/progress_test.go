package results_test

import (
	"context"
	"fmt"
	"testing"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/db"
)

// The overview's "% coded" reads coding_progress, which triggers on
// unit_states keep (migration 000029) instead of counting coded units on
// every request. A summary that drifted would show analysts wrong
// progress, so it must equal a recount after every kind of change:
// code, uncode, "no code applies", a letter segment's theme corrected or
// the segment deleted, merge and unmerge a repeat, withdrawal, delete.
func TestCodingProgressStaysExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	x := newReading(t, people)
	q := x.c.Question("Q1b")
	if len(x.c.Themes) < 2 {
		t.Fatal("the demo consultation needs two themes")
	}
	th1, th2 := x.c.Themes[0].ID, x.c.Themes[1].ID
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
	themeCode, err := svc.AddCode(ctx, by, x.c.ID, coding.Frame{ThemeID: th1}, coding.CodeInput{Name: "Staffing"})
	if err != nil {
		t.Fatal(err)
	}

	// wantQ, wantTh: the coded answers to Q1b, and coded segments of theme 1.
	check := func(step string, wantQ, wantTh int64) {
		t.Helper()
		p, err := svc.Progress(ctx, x.c.ID)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		rows, err := db.New(x.pool).RecountCodedAnswers(ctx, x.c.ID)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		recount := map[string]int64{}
		for _, r := range rows {
			recount[fmt.Sprintf("q%d t%d", r.QuestionID, r.ThemeID)] = r.N
		}
		stored := map[string]int64{}
		for id, n := range p.ByQuestion {
			stored[fmt.Sprintf("q%d t0", id)] = n
		}
		for id, n := range p.ByTheme {
			stored[fmt.Sprintf("q0 t%d", id)] = n
		}
		if fmt.Sprint(stored) != fmt.Sprint(recount) {
			t.Errorf("%s: coding_progress says %v, a recount %v", step, stored, recount)
		}
		// The count on Q1b's pages and its theme page (CodedAnswers)
		// reads the same summary for one question.
		if n, err := svc.CodedAnswers(ctx, x.c.ID, q.ID); err != nil || n != recount[fmt.Sprintf("q%d t0", q.ID)] {
			t.Errorf("%s: CodedAnswers says %d (%v), a recount %d", step, n, err, recount[fmt.Sprintf("q%d t0", q.ID)])
		}
		if p.ByQuestion[q.ID] != wantQ || p.ByTheme[th1] != wantTh {
			t.Errorf("%s: %d answers and %d segments coded, want %d and %d", step, p.ByQuestion[q.ID], p.ByTheme[th1], wantQ, wantTh)
		}
	}
	save := func(unit coding.Unit, ch coding.Change) {
		t.Helper()
		ch.Unit = unit
		st, err := svc.State(ctx, ch.Unit)
		if err != nil {
			t.Fatal(err)
		}
		ch.Version = st.Version
		if _, err := svc.Save(ctx, by, x.c.ID, ch); err != nil {
			t.Fatalf("save %+v: %v", unit, err)
		}
	}
	answer := func(ref string) coding.Unit { return coding.Unit{ResponseID: x.ids[ref], QuestionID: q.ID} }
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := x.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	applied := []coding.Applied{{CodeID: code.ID}}

	check("loaded", 0, 0)
	save(answer("a"), coding.Change{Codes: applied})
	save(answer("b"), coding.Change{Codes: applied})
	save(answer("c"), coding.Change{Codes: applied})
	check("coded", 3, 0)
	save(answer("b"), coding.Change{})
	check("code removed", 2, 0)
	save(answer("b"), coding.Change{NoCode: true})
	save(answer("d"), coding.Change{NoCode: true})
	check("no code applies", 4, 0)
	save(answer("d"), coding.Change{Codes: applied}) // still coded: no change
	check("no code, then a code", 4, 0)

	// Letter segments of g, about theme 1.
	exec(`INSERT INTO response_sources (consultation_id, response_id, full_text, text_hash)
		SELECT $1, $2, 'Staff. Homes.', 'h' WHERE NOT EXISTS (SELECT 1 FROM response_sources WHERE response_id = $2)`, x.c.ID, x.ids["g"])
	var s1, s2 int64
	for i, id := range []*int64{&s1, &s2} {
		if err := x.pool.QueryRow(ctx, `INSERT INTO segments (consultation_id, response_id, position, start_offset, end_offset, theme_id, how)
			VALUES ($1, $2, $3, 0, 5, $4, 'theme heading') RETURNING id`, x.c.ID, x.ids["g"], i+1, th1).Scan(id); err != nil {
			t.Fatal(err)
		}
	}
	segApplied := []coding.Applied{{CodeID: themeCode.ID}}
	save(coding.Unit{ResponseID: x.ids["g"], SegmentID: s1}, coding.Change{Codes: segApplied})
	save(coding.Unit{ResponseID: x.ids["g"], SegmentID: s2}, coding.Change{NoCode: true})
	check("segments coded", 4, 2)
	exec(`UPDATE segments SET theme_id = $1 WHERE id = $2`, th2, s2)
	check("segment's theme corrected", 4, 1)
	exec(`UPDATE segments SET theme_id = NULL WHERE id = $1`, s2)
	check("segment's theme removed", 4, 1)
	exec(`UPDATE segments SET theme_id = $1 WHERE id = $2`, th1, s2)
	check("segment's theme back", 4, 2)

	// c becomes a merged repeat of a: no longer counted, then back.
	exec(`UPDATE responses SET merged_into = $1 WHERE id = $2`, x.ids["a"], x.ids["c"])
	check("merged repeat", 3, 2)
	exec(`UPDATE responses SET merged_into = NULL WHERE id = $1`, x.ids["c"])
	check("unmerged", 4, 2)
	exec(`UPDATE responses SET withdrawn = true WHERE id = $1`, x.ids["c"])
	check("withdrawn", 3, 2)
	exec(`DELETE FROM responses WHERE id = $1`, x.ids["d"])
	check("deleted", 2, 2)
	// A letter re-split: its segments deleted, their coding with them.
	exec(`DELETE FROM segments WHERE response_id = $1`, x.ids["g"])
	check("segments deleted", 2, 0)
}
