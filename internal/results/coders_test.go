package results_test

import (
	"context"
	"fmt"
	"testing"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/db"
)

// "Who coded how many" on the progress page and a question's coding page
// reads coder_counts, which triggers on coding_events keep (migration
// 000033), instead of counting distinct answers over every analyst event
// on each request. Its numbers must stay those of that count: an answer
// counts once for each analyst who applied a code or "no code applies"
// to it in the main coding, whatever happened to the answer since. So
// after every kind of change the summary must equal the old query's
// recount, both for the consultation and for one question.
func TestCodersStayExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	x := newReading(t, people)
	q := x.c.Question("Q1b")
	if len(x.c.Themes) < 2 {
		t.Fatal("the demo consultation needs two themes")
	}
	th1, th2 := x.c.Themes[0].ID, x.c.Themes[1].ID
	svc := &coding.Service{Pool: x.pool}
	users := accounts.NewService(x.pool)
	ua, err := users.Create(ctx, accounts.Actor{}, "coder-a@example.org", "a long enough password 1", accounts.Analyst)
	if err != nil {
		t.Fatal(err)
	}
	ub, err := users.Create(ctx, accounts.Actor{}, "coder-b@example.org", "a long enough password 2", accounts.Analyst)
	if err != nil {
		t.Fatal(err)
	}
	a, b := accounts.Actor{User: &ua}, accounts.Actor{User: &ub}
	code, err := svc.AddCode(ctx, a, x.c.ID, coding.Frame{QuestionID: q.ID}, coding.CodeInput{Name: "Time on site"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := svc.AddCode(ctx, a, x.c.ID, coding.Frame{QuestionID: q.ID}, coding.CodeInput{Name: "Inspection time"})
	if err != nil {
		t.Fatal(err)
	}
	themeCode, err := svc.AddCode(ctx, a, x.c.ID, coding.Frame{ThemeID: th1}, coding.CodeInput{Name: "Staffing"})
	if err != nil {
		t.Fatal(err)
	}

	// wantA, wantB: Q1b answers coded by each analyst.
	check := func(step string, wantA, wantB int64) {
		t.Helper()
		byQ, err := svc.Coders(ctx, x.c.ID)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		stored := map[string]int64{}
		for qid, cs := range byQ {
			for _, c := range cs {
				stored[fmt.Sprintf("q%d %s", qid, c.Email)] = c.N
			}
		}
		rows, err := db.New(x.pool).RecountCodersByQuestion(ctx, x.c.ID)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		recount := map[string]int64{}
		for _, r := range rows {
			recount[fmt.Sprintf("q%d %s", r.QuestionID, r.Email)] = r.N
		}
		if fmt.Sprint(stored) != fmt.Sprint(recount) {
			t.Errorf("%s: coder_counts says %v, a recount %v", step, stored, recount)
		}
		one, err := svc.QuestionCoders(ctx, q.ID)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if fmt.Sprint(one) != fmt.Sprint(byQ[q.ID]) {
			t.Errorf("%s: the question's coders %v, the consultation's %v", step, one, byQ[q.ID])
		}
		got := map[string]int64{}
		for _, c := range one {
			got[c.Email] = c.N
		}
		if got[ua.Email] != wantA || got[ub.Email] != wantB {
			t.Errorf("%s: %v, want %s %d and %s %d", step, one, ua.Email, wantA, ub.Email, wantB)
		}
	}
	save := func(by accounts.Actor, unit coding.Unit, ch coding.Change) {
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
	save(a, answer("a"), coding.Change{Codes: applied})
	save(a, answer("b"), coding.Change{Codes: applied})
	save(a, answer("c"), coding.Change{Codes: applied})
	check("coded", 3, 0)
	save(a, answer("b"), coding.Change{})
	check("code removed: the work still counts", 3, 0)
	save(a, answer("b"), coding.Change{NoCode: true})
	check("no code applies to an answer already counted", 3, 0)
	save(b, answer("a"), coding.Change{Codes: []coding.Applied{{CodeID: code.ID}, {CodeID: other.ID}}})
	save(b, answer("d"), coding.Change{NoCode: true})
	check("a second analyst: an answer counts for both", 3, 2)
	save(a, answer("a"), coding.Change{Codes: []coding.Applied{{CodeID: other.ID}}})
	check("coded again by the same analyst", 3, 2)

	// Letter segments of g, about theme 1: not a question's answers.
	exec(`INSERT INTO response_sources (consultation_id, response_id, full_text, text_hash)
		SELECT $1, $2, 'Staff. Homes.', 'h' WHERE NOT EXISTS (SELECT 1 FROM response_sources WHERE response_id = $2)`, x.c.ID, x.ids["g"])
	var s1 int64
	if err := x.pool.QueryRow(ctx, `INSERT INTO segments (consultation_id, response_id, position, start_offset, end_offset, theme_id, how)
		VALUES ($1, $2, 1, 0, 5, $3, 'theme heading') RETURNING id`, x.c.ID, x.ids["g"], th1).Scan(&s1); err != nil {
		t.Fatal(err)
	}
	save(a, coding.Unit{ResponseID: x.ids["g"], SegmentID: s1}, coding.Change{Codes: []coding.Applied{{CodeID: themeCode.ID}}})
	check("letter part coded", 3, 2)
	exec(`UPDATE segments SET theme_id = $1 WHERE id = $2`, th2, s1)
	check("letter part's theme corrected", 3, 2)

	exec(`UPDATE responses SET merged_into = $1 WHERE id = $2`, x.ids["a"], x.ids["c"])
	check("merged repeat: the work still counts", 3, 2)
	exec(`UPDATE responses SET merged_into = NULL WHERE id = $1`, x.ids["c"])
	check("unmerged", 3, 2)
	exec(`UPDATE responses SET withdrawn = true WHERE id = $1`, x.ids["c"])
	check("withdrawn: the work still counts", 3, 2)

	// A code merge re-points every coding with an analyst event in the
	// merger's name: c, coded only by a, now counts for b too.
	if _, err := svc.MergeCode(ctx, b, x.c.ID, code.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	check("code merged by the second analyst", 3, 3)

	exec(`DELETE FROM responses WHERE id = $1`, x.ids["d"])
	check("response deleted with its events", 3, 2)
	exec(`DELETE FROM responses WHERE id = $1`, x.ids["c"])
	check("a response both coded deleted", 2, 1)
	exec(`DELETE FROM segments WHERE response_id = $1`, x.ids["g"])
	check("letter parts deleted", 2, 1)
	exec(`DELETE FROM codes WHERE id = $1`, themeCode.ID)
	check("a theme's code deleted", 2, 1)
}
