package coding_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
)

type fixture struct {
	ctx    context.Context
	pool   *pgxpool.Pool
	svc    *coding.Service
	c      *consultation.Consultation
	q      *consultation.Question // Q1b
	ann    accounts.Actor
	bob    accounts.Actor
	carol  accounts.Actor
	answer []int64 // Q1b answers, in order
}

func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts.NewService(pool)
	user := func(email string, role accounts.Role) accounts.Actor {
		u, err := acc.Create(ctx, accounts.Actor{}, email, "correct horse battery staple", role)
		if err != nil {
			t.Fatal(err)
		}
		return accounts.Actor{User: &u}
	}
	f := &fixture{ctx: ctx, pool: pool, svc: &coding.Service{Pool: pool}, c: c, q: c.Question("Q1b"),
		ann: user("ann@example.org", accounts.Analyst), bob: user("bob@example.org", accounts.Analyst), carol: user("carol@example.org", accounts.Admin)}
	rows, err := pool.Query(ctx, `SELECT response_id FROM answers WHERE question_id = $1 AND text IS NOT NULL ORDER BY response_id LIMIT 60`, f.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		f.answer = append(f.answer, id)
	}
	return f
}

func (f *fixture) code(t *testing.T, key, name string, parent int32) *coding.Code {
	t.Helper()
	c, err := f.svc.AddCode(f.ctx, f.ann, f.c.ID, coding.Frame{QuestionID: f.q.ID}, coding.CodeInput{Key: key, Name: name, ParentID: parent})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) unit(i int) coding.Unit {
	return coding.Unit{ResponseID: f.answer[i], QuestionID: f.q.ID}
}

// checkCounts compares the summary with a recount of the current codes.
func (f *fixture) checkCounts(t *testing.T, when string) {
	t.Helper()
	got, err := f.svc.Counts(f.ctx, f.c.ID, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.svc.Recount(f.ctx, f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: code counts differ from a recount (-recount +summary):\n%s", when, diff)
	}
}

func TestCodeframeNestsTwoLevels(t *testing.T) {
	t.Parallel()
	f := setup(t)
	top := f.code(t, "SUP", "General support", 0)
	kid := f.code(t, "SUP.AW", "Raising awareness of CQC", top.ID)
	_, err := f.svc.AddCode(f.ctx, f.ann, f.c.ID, coding.Frame{QuestionID: f.q.ID}, coding.CodeInput{Name: "Too deep", ParentID: kid.ID})
	var ve *coding.ValidationError
	if !errors.As(err, &ve) || ve.Field != "parent" {
		t.Fatalf("a third level must be refused on the parent field, got %v", err)
	}
	_, err = f.svc.AddCode(f.ctx, f.ann, f.c.ID, coding.Frame{QuestionID: f.q.ID}, coding.CodeInput{Key: "sup", Name: "Duplicate key"})
	if !errors.As(err, &ve) || ve.Field != "code" {
		t.Fatalf("a duplicate key (any case) must be refused, got %v", err)
	}
	// The database refuses a third level too, whatever the caller.
	if _, err := f.pool.Exec(f.ctx, `INSERT INTO codes (consultation_id, question_id, parent_id, code, name, position) VALUES ($1, $2, $3, 'X', 'x', 9)`, f.c.ID, f.q.ID, kid.ID); err == nil {
		t.Fatal("the database accepted a third level")
	}
	other := f.code(t, "DIG", "Digital exclusion", 0)
	if err := f.svc.MoveCode(f.ctx, f.ann, f.c.ID, other.ID, -1); err != nil {
		t.Fatal(err)
	}
	cf, _ := f.svc.Codeframe(f.ctx, f.c.ID, coding.Frame{QuestionID: f.q.ID})
	var keys []string
	for _, c := range cf.Codes {
		keys = append(keys, c.Key)
	}
	if diff := cmp.Diff([]string{"DIG", "SUP", "SUP.AW"}, keys); diff != "" {
		t.Errorf("order after moving DIG up (-want +got):\n%s", diff)
	}
}

func TestCodeframeCSVRoundTrip(t *testing.T) {
	t.Parallel()
	f := setup(t)
	frame := coding.Frame{QuestionID: f.q.ID}
	in := "code,parent,name,description\nSUP,,General support,Agrees with the theme\nSUP.AW,SUP,Raising awareness,\"Wants CQC better known, e.g. posters\"\nDIG,,Digital exclusion,\n"
	added, updated, err := f.svc.ImportCSV(f.ctx, f.ann, f.c.ID, frame, strings.NewReader(in))
	if err != nil || added != 3 || updated != 0 {
		t.Fatalf("import: added %d updated %d err %v", added, updated, err)
	}
	var out strings.Builder
	if err := f.svc.WriteCSV(f.ctx, f.c.ID, frame, &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != in {
		t.Errorf("export differs from import:\n%s", out.String())
	}
	_, _, err = f.svc.ImportCSV(f.ctx, f.ann, f.c.ID, frame, strings.NewReader("code,parent,name,description\nA,NOPE,Alpha,\nB,SUP.AW,Beta,\n,,Gamma,\n"))
	var ie *coding.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("bad file accepted: %v", err)
	}
	want := []string{"row 4, code: enter a short code"}
	if diff := cmp.Diff(want, ie.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	_, _, err = f.svc.ImportCSV(f.ctx, f.ann, f.c.ID, frame, strings.NewReader("code,parent,name,description\nA,NOPE,Alpha,\nB,SUP.AW,Beta,\n"))
	if !errors.As(err, &ie) || len(ie.Problems) != 2 || !strings.Contains(ie.Problems[0], "row 2, parent") || !strings.Contains(ie.Problems[1], "row 3, parent") {
		t.Errorf("problems must name rows and fields: %v", err)
	}
}

func TestSaveDetectsConcurrentEdit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	sup := f.code(t, "SUP", "General support", 0)
	dig := f.code(t, "DIG", "Digital exclusion", 0)
	u := f.unit(0)
	st, err := f.svc.Save(f.ctx, f.ann, f.c.ID, coding.Change{Unit: u, Version: 0, Codes: []coding.Applied{{CodeID: sup.ID, Position: coding.Supports}}})
	if err != nil || st.Version != 1 || len(st.Codes) != 1 {
		t.Fatalf("first save: %+v %v", st, err)
	}
	// Bob opened the answer at version 0 too: his save is refused and he
	// is told who changed it.
	_, err = f.svc.Save(f.ctx, f.bob, f.c.ID, coding.Change{Unit: u, Version: 0, Codes: []coding.Applied{{CodeID: dig.ID}}})
	var ce *coding.ConflictError
	if !errors.As(err, &ce) || ce.By != "ann@example.org" || ce.Current.Version != 1 {
		t.Fatalf("a stale save must be refused naming ann, got %v", err)
	}
	st, _ = f.svc.State(f.ctx, u)
	if len(st.Codes) != 1 || st.Codes[0].CodeID != sup.ID {
		t.Fatalf("ann's coding was overwritten: %+v", st)
	}
	// An excerpt outside the text is refused; one inside is kept.
	_, err = f.svc.Save(f.ctx, f.bob, f.c.ID, coding.Change{Unit: u, Version: 1, Codes: []coding.Applied{{CodeID: dig.ID, Excerpt: &coding.Excerpt{Start: 0, End: 100000}}}})
	var ve *coding.ValidationError
	if !errors.As(err, &ve) || ve.Field != "excerpt" {
		t.Fatalf("excerpt past the end: %v", err)
	}
	st, err = f.svc.Save(f.ctx, f.bob, f.c.ID, coding.Change{Unit: u, Version: 1, Codes: []coding.Applied{{CodeID: dig.ID, Position: coding.Opposes, Excerpt: &coding.Excerpt{Start: 0, End: 5}}}, EvidenceRich: true, Note: "cites a survey"})
	if err != nil || st.Version != 2 {
		t.Fatalf("bob's save: %v", err)
	}
	h, err := f.svc.History(f.ctx, u, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range h {
		got = append(got, e.Actor+" "+e.Action+" "+e.CodeKey+e.Flag)
	}
	want := []string{"ann@example.org apply SUP", "bob@example.org apply DIG", "bob@example.org remove SUP", "bob@example.org flag evidence_rich", "bob@example.org note "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	f.checkCounts(t, "after saves")
	var audits int
	f.pool.QueryRow(f.ctx, `SELECT count(*) FROM audit_log WHERE action = 'coding_saved'`).Scan(&audits)
	if audits != 2 {
		t.Errorf("want 2 coding_saved audit entries, got %d", audits)
	}
}

func TestQuoteWorthyNeedsConsent(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var yes, no int64
	f.pool.QueryRow(f.ctx, `SELECT a.response_id FROM answers a JOIN responses r ON r.id = a.response_id
		WHERE a.question_id = $1 AND a.text IS NOT NULL AND r.channel <> 'webform' LIMIT 1`, f.q.ID).Scan(&no)
	_, err := f.svc.Save(f.ctx, f.ann, f.c.ID, coding.Change{Unit: coding.Unit{ResponseID: no, QuestionID: f.q.ID}, QuoteWorthy: true})
	var ve *coding.ValidationError
	if !errors.As(err, &ve) || ve.Field != "quote_worthy" || !strings.Contains(ve.Message, "no record of consent") {
		t.Fatalf("a quote without consent must be refused with the reason, got %v", err)
	}
	f.pool.QueryRow(f.ctx, `SELECT a.response_id FROM answers a JOIN responses r ON r.id = a.response_id
		JOIN webform_drafts d ON d.consultation_id = r.consultation_id AND d.reference = r.source_ref
		WHERE a.question_id = $1 AND a.text IS NOT NULL AND d.publication_consent = 'yes' LIMIT 1`, f.q.ID).Scan(&yes)
	if yes == 0 {
		t.Skip("the demo has no consenting webform answer yet")
	}
	if _, err := f.svc.Save(f.ctx, f.ann, f.c.ID, coding.Change{Unit: coding.Unit{ResponseID: yes, QuestionID: f.q.ID}, QuoteWorthy: true}); err != nil {
		t.Fatalf("a consenting answer must be flaggable: %v", err)
	}
}

func TestMergeRepointsCodingsAndKeepsHistory(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.code(t, "A", "Awareness", 0)
	b := f.code(t, "B", "Public awareness", 0)
	other := f.code(t, "O", "Other", 0)
	save := func(i int, codes ...int32) {
		t.Helper()
		st, _ := f.svc.State(f.ctx, f.unit(i))
		var ap []coding.Applied
		for _, c := range codes {
			ap = append(ap, coding.Applied{CodeID: c, Position: coding.Supports})
		}
		if _, err := f.svc.Save(f.ctx, f.ann, f.c.ID, coding.Change{Unit: f.unit(i), Version: st.Version, Codes: ap}); err != nil {
			t.Fatal(err)
		}
	}
	save(0, b.ID)
	save(1, b.ID, a.ID)
	save(2, other.ID)
	n, err := f.svc.MergeCode(f.ctx, f.carol, f.c.ID, b.ID, a.ID)
	if err != nil || n != 2 {
		t.Fatalf("merge: %d %v", n, err)
	}
	for i, want := range [][]int32{{a.ID}, {a.ID}, {other.ID}} {
		st, _ := f.svc.State(f.ctx, f.unit(i))
		var got []int32
		for _, c := range st.Codes {
			got = append(got, c.CodeID)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("answer %d after merge (-want +got):\n%s", i, diff)
		}
	}
	st, _ := f.svc.State(f.ctx, f.unit(1))
	if st.Version != 2 {
		t.Errorf("a merge must move the version on (concurrent edits are detected), got %d", st.Version)
	}
	var codeCount int
	f.pool.QueryRow(f.ctx, `SELECT code_count FROM unit_states WHERE response_id = $1 AND question_id = $2`, f.answer[1], f.q.ID).Scan(&codeCount)
	if codeCount != 1 {
		t.Errorf("code_count after merging a duplicate = %d, want 1", codeCount)
	}
	h, _ := f.svc.History(f.ctx, f.unit(0), false)
	if len(h) != 3 || h[1].Action != "remove" || h[1].CodeKey != "B" || h[2].Action != "apply" || h[2].CodeKey != "A" || h[2].Reason != "merge" {
		t.Errorf("history must show the merge: %+v", h)
	}
	f.checkCounts(t, "after merge")
	cf, _ := f.svc.Codeframe(f.ctx, f.c.ID, coding.Frame{QuestionID: f.q.ID})
	if g := cf.Get(b.ID); !g.Retired || g.MergedInto != a.ID {
		t.Errorf("merged code must be retired and point at its target: %+v", g)
	}
	// A retired code is not applied again.
	_, err = f.svc.Save(f.ctx, f.ann, f.c.ID, coding.Change{Unit: f.unit(3), Codes: []coding.Applied{{CodeID: b.ID}}})
	var ve *coding.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("applying a retired code must be refused, got %v", err)
	}
	// Counts follow a change of the response's group.
	if _, err := f.pool.Exec(f.ctx, `UPDATE responses SET respondent_group_id = NULL WHERE id = $1`, f.answer[0]); err != nil {
		t.Fatal(err)
	}
	f.checkCounts(t, "after a group change")
}

func TestNextUncodedAndBulk(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.code(t, "A", "Awareness", 0)
	next, err := f.svc.NextUncoded(f.ctx, f.q.ID, 0, 0)
	if err != nil || next != f.answer[0] {
		t.Fatalf("next uncoded from the start = %d, want %d (%v)", next, f.answer[0], err)
	}
	n, err := f.svc.ApplyToMany(f.ctx, f.ann, f.c.ID, f.q.ID, a.ID, coding.Neutral, []int64{f.answer[0], f.answer[1], f.answer[0]})
	if err != nil || n != 2 {
		t.Fatalf("bulk: %d %v", n, err)
	}
	next, _ = f.svc.NextUncoded(f.ctx, f.q.ID, 0, 0)
	if next != f.answer[2] {
		t.Errorf("next uncoded after coding the first two = %d, want %d", next, f.answer[2])
	}
	// "No code applies" counts as coded.
	if _, err := f.svc.Save(f.ctx, f.ann, f.c.ID, coding.Change{Unit: f.unit(2), NoCode: true}); err != nil {
		t.Fatal(err)
	}
	next, _ = f.svc.NextUncoded(f.ctx, f.q.ID, f.answer[2], 0)
	if next != f.answer[3] {
		t.Errorf("next uncoded = %d, want %d", next, f.answer[3])
	}
	f.checkCounts(t, "after bulk")
	// A repeat merged into another response (#15) is not counted, so it is
	// not offered for coding either.
	if _, err := f.pool.Exec(f.ctx, `UPDATE responses SET merged_into = $1 WHERE id = $2`, f.answer[0], f.answer[3]); err != nil {
		t.Fatal(err)
	}
	next, _ = f.svc.NextUncoded(f.ctx, f.q.ID, f.answer[2], 0)
	if next == f.answer[3] || next == 0 {
		t.Errorf("next uncoded after merging answer %d away = %d, want the one after it", f.answer[3], next)
	}
}

func TestDoubleCodingAgreementAndResolution(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.code(t, "A", "Awareness", 0)
	b := f.code(t, "B", "Digital exclusion", 0)
	acc := accounts.NewService(f.pool)
	ann, _ := acc.Get(f.ctx, f.ann.User.ID)
	bob, _ := acc.Get(f.ctx, f.bob.User.ID)
	id, err := f.svc.CreateSample(f.ctx, f.carol, f.c.ID, f.q.ID, 1, ann, bob)
	if err != nil {
		t.Fatal(err)
	}
	sm, _ := f.svc.Sample(f.ctx, f.c.ID, id)
	if sm.Size == 0 || sm.Finished() {
		t.Fatalf("sample: %+v", sm)
	}
	// Ann applies A to every answer; Bob applies A to all but the first,
	// and B to the first.
	first := true
	for {
		next, _ := f.svc.NextInSample(f.ctx, id, f.ann.User.ID, 0, 0)
		if next == 0 {
			break
		}
		if err := f.svc.SaveSample(f.ctx, f.ann, f.c.ID, id, next, []coding.Applied{{CodeID: a.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Agreement(f.ctx, f.c.ID, id); !errors.Is(err, coding.ErrNotFinished) {
		t.Fatalf("the report must wait for both coders, got %v", err)
	}
	var firstID int64
	for {
		next, _ := f.svc.NextInSample(f.ctx, id, f.bob.User.ID, 0, 0)
		if next == 0 {
			break
		}
		codes := []coding.Applied{{CodeID: a.ID}}
		if first {
			codes, first, firstID = []coding.Applied{{CodeID: b.ID}}, false, next
		}
		if err := f.svc.SaveSample(f.ctx, f.bob, f.c.ID, id, next, codes); err != nil {
			t.Fatal(err)
		}
	}
	// Once both have finished, the same save sent again (a double submit)
	// is accepted and changes nothing; a change is refused.
	if err := f.svc.SaveSample(f.ctx, f.bob, f.c.ID, id, firstID, []coding.Applied{{CodeID: b.ID}}); err != nil {
		t.Errorf("the same save again after finishing: %v", err)
	}
	var ve *coding.ValidationError
	if err := f.svc.SaveSample(f.ctx, f.bob, f.c.ID, id, firstID, []coding.Applied{{CodeID: a.ID}}); !errors.As(err, &ve) {
		t.Errorf("a change after both finished = %v, want a validation error", err)
	}
	// The coders' work never touched the answer's own coding.
	if st, _ := f.svc.State(f.ctx, coding.Unit{ResponseID: firstID, QuestionID: f.q.ID}); len(st.Codes) != 0 {
		t.Fatalf("sample codes leaked into the answer: %+v", st)
	}
	rep, err := f.svc.Agreement(f.ctx, f.c.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	n := sm.Size
	wantA := coding.Binary{Both: n - 1, OnlyA: 1}
	wantB := coding.Binary{OnlyB: 1, Neither: n - 1}
	if len(rep.Codes) != 2 || rep.Codes[0].Table != wantA || rep.Codes[1].Table != wantB {
		t.Fatalf("tables: %+v", rep.Codes)
	}
	if rep.Overall != wantA.Add(wantB) || len(rep.Disagreements) != 2 {
		t.Fatalf("overall %+v, %d disagreements", rep.Overall, len(rep.Disagreements))
	}
	if err := f.svc.Resolve(f.ctx, f.ann, f.c.ID, id, firstID, a.ID, true, ""); err == nil {
		t.Fatal("a coder resolved their own disagreement")
	}
	if err := f.svc.Resolve(f.ctx, f.carol, f.c.ID, id, firstID, a.ID, true, coding.Supports); err != nil {
		t.Fatal(err)
	}
	st, _ := f.svc.State(f.ctx, coding.Unit{ResponseID: firstID, QuestionID: f.q.ID})
	if len(st.Codes) != 1 || st.Codes[0].CodeID != a.ID || st.Codes[0].Position != coding.Supports {
		t.Fatalf("the resolution must become the answer's coding: %+v", st)
	}
	rep, _ = f.svc.Agreement(f.ctx, f.c.ID, id)
	if rep.Disagreements[0].Resolution == nil || rep.Disagreements[0].Resolution.By != "carol@example.org" {
		t.Errorf("the disagreement stays listed, with its resolution: %+v", rep.Disagreements[0])
	}
	h, _ := f.svc.History(f.ctx, coding.Unit{ResponseID: firstID, QuestionID: f.q.ID}, true)
	if len(h) != 3 || h[0].SampleID != id || h[2].Reason != "resolution" {
		t.Errorf("history keeps both coders' work and the resolution: %+v", h)
	}
	f.checkCounts(t, "after resolution")
}

func TestSameSaveTwiceIsNotAConflict(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.code(t, "A", "Awareness", 0)
	ch := coding.Change{Unit: f.unit(0), Codes: []coding.Applied{{CodeID: a.ID, Position: coding.Supports}}}
	if _, err := f.svc.Save(f.ctx, f.ann, f.c.ID, ch); err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.Save(f.ctx, f.ann, f.c.ID, ch)
	if err != nil || st.Version != 1 {
		t.Fatalf("the same save sent twice: version %d, %v", st.Version, err)
	}
	ch.Codes[0].Position = coding.Opposes
	var ce *coding.ConflictError
	if _, err := f.svc.Save(f.ctx, f.ann, f.c.ID, ch); !errors.As(err, &ce) {
		t.Fatalf("a different save from version 0 must conflict, got %v", err)
	}
}

// A resolver decides only what the coders disagreed on: the codes both
// applied become the answer's coding with the first resolution.
func TestResolutionCopiesAgreedCodes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := f.code(t, "A", "Awareness", 0)
	b := f.code(t, "B", "Digital exclusion", 0)
	acc := accounts.NewService(f.pool)
	ann, _ := acc.Get(f.ctx, f.ann.User.ID)
	bob, _ := acc.Get(f.ctx, f.bob.User.ID)
	id, err := f.svc.CreateSample(f.ctx, f.carol, f.c.ID, f.q.ID, 1, ann, bob)
	if err != nil {
		t.Fatal(err)
	}
	// Both apply A as supporting to every answer; Ann also applies B to
	// every answer, Bob to none.
	for _, coder := range []accounts.Actor{f.ann, f.bob} {
		for {
			next, err := f.svc.NextInSample(f.ctx, id, coder.User.ID, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if next == 0 {
				break
			}
			codes := []coding.Applied{{CodeID: a.ID, Position: coding.Supports}}
			if coder == f.ann {
				codes = append(codes, coding.Applied{CodeID: b.ID, Position: coding.Opposes})
			}
			if err := f.svc.SaveSample(f.ctx, coder, f.c.ID, id, next, codes); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := f.svc.Agreement(f.ctx, f.c.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Disagreements) == 0 {
		t.Fatal("no disagreement to resolve")
	}
	resp := rep.Disagreements[0].ResponseID
	if err := f.svc.Resolve(f.ctx, f.carol, f.c.ID, id, resp, b.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.State(f.ctx, coding.Unit{ResponseID: resp, QuestionID: f.q.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []coding.Applied{{CodeID: a.ID, Position: coding.Supports}}
	if diff := cmp.Diff(want, st.Codes); diff != "" {
		t.Fatalf("after resolving B as absent, the answer's coding must be the agreed A (-want +got):\n%s", diff)
	}
	h, _ := f.svc.History(f.ctx, coding.Unit{ResponseID: resp, QuestionID: f.q.ID}, false)
	var agreed int
	for _, e := range h {
		if e.Reason == "agreed" && e.Action == "apply" {
			agreed++
		}
	}
	if agreed != 1 {
		t.Errorf("history must show the agreed code applied once, got %+v", h)
	}
	f.checkCounts(t, "after resolution with agreed codes")
}
