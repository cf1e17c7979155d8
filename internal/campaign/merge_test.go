package campaign_test

import (
	"context"
	"strings"
	"testing"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/db"
	"heard/internal/results"
)

// A merged repeat leaves every figure through the one counting path
// (responses, answers, options, the filtered path, the timeline, the
// organisation breakdown, open-answer totals and code counts), is never
// deleted, and unmerging restores every figure exactly.
func TestMergedRepeatLeavesEveryCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	docs := campaign.Generate(10, 1, 0, 5)
	docs[3].Sender = "same@example.org"
	docs = append(docs, campaign.GeneratedDoc{Text: docs[3].Text + "\n\nSent by post as well.", Sender: "same@example.org"})
	pool, c := seed(t, docs) // gen-10 answers Q1a with option 0, like gen-0,2,4,6,8
	svc := &campaign.Service{Pool: pool}
	if _, err := svc.DetectPending(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	q := db.New(pool)
	repeatID, err := q.ResponseIDByRef(ctx, db.ResponseIDByRefParams{ConsultationID: c.ID, SourceRef: "gen-10"})
	if err != nil {
		t.Fatal(err)
	}
	keptID, _ := q.ResponseIDByRef(ctx, db.ResponseIDByRefParams{ConsultationID: c.ID, SourceRef: "gen-3"})
	reps, err := svc.Repeats(ctx, c.ID)
	if err != nil || len(reps) != 1 || reps[0].ResponseID != repeatID || reps[0].RepeatOf != keptID {
		t.Fatalf("repeats: %v %+v; want gen-10 repeating gen-3", err, reps)
	}

	// A code on the repeat's open answer and on another answer.
	acc := accounts.NewService(pool)
	u, err := acc.Create(ctx, accounts.Actor{}, "ann@example.org", "correct horse battery staple", accounts.Analyst)
	if err != nil {
		t.Fatal(err)
	}
	ann := accounts.Actor{User: &u}
	var open int32
	for _, qq := range c.Questions {
		if qq.Kind == "open" {
			open = qq.ID
			break
		}
	}
	cs := &coding.Service{Pool: pool}
	code, err := cs.AddCode(ctx, ann, c.ID, coding.Frame{QuestionID: open}, coding.CodeInput{Key: "post", Name: "Sent by post"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := q.ResponseIDByRef(ctx, db.ResponseIDByRefParams{ConsultationID: c.ID, SourceRef: "gen-5"})
	if _, err := cs.ApplyToMany(ctx, ann, c.ID, open, code.ID, "", []int64{repeatID, other}); err != nil {
		t.Fatal(err)
	}

	rs := &results.Service{Pool: pool}
	q1a := c.Question("Q1a")
	type figures struct {
		Responses, Q1a, Q1aFirst, Filtered, Excluding, Days, Individuals, OpenAnswers, Code int64
	}
	measure := func() figures {
		t.Helper()
		var f figures
		tab, err := rs.Counts(ctx, c, results.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range tab.Responses {
			f.Responses += n.N
		}
		for _, n := range tab.Answers {
			if n.QuestionID == q1a.ID {
				f.Q1a += n.N
				if n.OptionID == q1a.Scale.Options[0].ID {
					f.Q1aFirst += n.N
				}
			}
			if n.QuestionID == open {
				f.OpenAnswers += n.N
			}
		}
		ft, err := rs.Counts(ctx, c, results.Filter{Respondent: "individual"})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ft.Responses {
			f.Filtered += n.N
		}
		et, err := rs.Counts(ctx, c, results.Filter{Campaigns: results.CampaignsExclude})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range et.Responses {
			f.Excluding += n.N
		}
		tl, err := rs.Timeline(ctx, tab)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range tl.Days {
			f.Days += d.Total
		}
		bds, err := rs.Breakdowns(ctx, tab, q1a, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bds {
			if b.Slug == "organisation" {
				for _, r := range b.Rows {
					if r.Slug == "individual" {
						f.Individuals = r.Base
					}
				}
			}
		}
		counts, err := cs.Counts(ctx, c.ID, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range counts {
			if n.CodeID == code.ID {
				f.Code += n.N
			}
		}
		// The summary tables agree with a recount from the raw rows.
		re, err := cs.Recount(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var reCode int64
		for _, n := range re {
			if n.CodeID == code.ID {
				reCode += n.N
			}
		}
		rr, err := q.RecountResponses(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var reResp int64
		for _, n := range rr {
			reResp += n.N
		}
		if reCode != f.Code || reResp != f.Responses {
			t.Errorf("recount %d responses, %d coded; summary %d, %d", reResp, reCode, f.Responses, f.Code)
		}
		return f
	}
	before := measure()
	want := figures{Responses: 11, Q1a: 11, Q1aFirst: 6, Filtered: 11, Excluding: 11, Days: 11, Individuals: 11, OpenAnswers: 11, Code: 2}
	if before != want {
		t.Fatalf("before merging: %+v, want %+v", before, want)
	}
	var csvBefore strings.Builder
	tab, _ := rs.Counts(ctx, c, results.Filter{})
	if err := tab.WriteCSV(&csvBefore); err != nil {
		t.Fatal(err)
	}

	by := audit.Entry{Actor: "ann@example.org", UserID: &u.ID}
	if err := svc.DecideRepeat(ctx, by, c.ID, repeatID, "merged"); err != nil {
		t.Fatal(err)
	}
	merged := measure()
	want = figures{Responses: 10, Q1a: 10, Q1aFirst: 5, Filtered: 10, Excluding: 10, Days: 10, Individuals: 10, OpenAnswers: 10, Code: 1}
	if merged != want {
		t.Errorf("after merging: %+v, want %+v", merged, want)
	}
	var csvMerged strings.Builder
	tab, _ = rs.Counts(ctx, c, results.Filter{})
	if err := tab.WriteCSV(&csvMerged); err != nil {
		t.Fatal(err)
	}
	if csvMerged.String() == csvBefore.String() {
		t.Error("results.csv unchanged by merging a repeat")
	}
	var kept int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE id = $1 AND merged_into = $2`, repeatID, keptID).Scan(&kept); err != nil || kept != 1 {
		t.Errorf("merged repeat: %v, %d rows linked to the response kept; want it stored and linked", err, kept)
	}

	if err := svc.DecideRepeat(ctx, by, c.ID, repeatID, "suggested"); err != nil {
		t.Fatal(err)
	}
	if got := measure(); got != before {
		t.Errorf("after unmerging: %+v, want %+v", got, before)
	}
	var csvAfter strings.Builder
	tab, _ = rs.Counts(ctx, c, results.Filter{})
	if err := tab.WriteCSV(&csvAfter); err != nil {
		t.Fatal(err)
	}
	if csvAfter.String() != csvBefore.String() {
		t.Errorf("results.csv after unmerging differs:\n%s\nwant\n%s", csvAfter.String(), csvBefore.String())
	}
	// Keeping apart after a merge counts both again too.
	if err := svc.DecideRepeat(ctx, by, c.ID, repeatID, "merged"); err != nil {
		t.Fatal(err)
	}
	if err := svc.DecideRepeat(ctx, by, c.ID, repeatID, "kept_apart"); err != nil {
		t.Fatal(err)
	}
	if got := measure(); got != before {
		t.Errorf("after keeping apart: %+v, want %+v", got, before)
	}
}
