package demo_test

import (
	"context"
	"testing"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// The demo must reproduce every figure CQC published, through the same
// aggregation path the pages use.
func TestDemoReproducesPublishedFigures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, res, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 790 || len(res.Duplicates) != 0 {
		t.Fatalf("first load: inserted %d, duplicates %d; want 790, 0", res.Inserted, len(res.Duplicates))
	}
	table, err := (&results.Service{Pool: pool}).Counts(ctx, c, results.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	ov := table.Overview()
	if ov.Total != 790 {
		t.Errorf("total responses = %d, want 790", ov.Total)
	}
	wantGroups := map[string][2]int64{"public": {213, 27}, "providers": {398, 50}, "cqc-teams": {65, 8}, "other": {114, 14}}
	for _, g := range ov.ByGroup {
		if w := wantGroups[g.Slug]; g.N != w[0] || g.Percent != w[1] {
			t.Errorf("group %s: %d (%d%%), want %d (%d%%)", g.Slug, g.N, g.Percent, w[0], w[1])
		}
	}
	channels := map[string]int64{}
	for _, ch := range ov.ByChannel {
		channels[ch.Slug] = ch.N
	}
	if channels["webform"] != 611 || channels["email"]+channels["letter"] != 114 || channels["event"] != 65 {
		t.Errorf("channels = %v, want webform 611, email+letter 114, event 65", channels)
	}

	// Published: answered, fully or mostly (and its percentage computed
	// by our rule), not at all, don't know.
	closed := []struct {
		code                           string
		answered, fm, fmPct, na, naPct int64
		dk, dkPct                      int64
	}{
		{"Q1a", 618, 496, 80, 21, 3, -1, 0},
		{"Q2a", 608, 471, 77, 30, 5, -1, 0},
		{"Q3a", 610, 508, 83, 23, 4, -1, 0}, // published 84%: 508/610 is 83.3%
		{"Q4a", 603, 473, 78, 28, 5, -1, 0}, // published 79%: 473/603 is 78.4%
		{"Q5a", 608, 500, 82, 34, 6, -1, 0},
		{"Q6a", 606, 306, 50, 65, 11, 61, 10},
	}
	for _, w := range closed {
		r := table.Question(c.Question(w.code))
		if r.Answered != w.answered {
			t.Errorf("%s answered = %d, want %d", w.code, r.Answered, w.answered)
		}
		if fm := r.Combinations[0]; fm.Slug != "fully-or-mostly" || fm.N != w.fm || fm.Percent != w.fmPct {
			t.Errorf("%s %s = %d (%d%%), want %d (%d%%)", w.code, fm.Slug, fm.N, fm.Percent, w.fm, w.fmPct)
		}
		opt := map[string]results.Share{}
		for _, o := range r.Options {
			opt[o.Slug] = o
		}
		if o := opt["not-at-all"]; o.N != w.na || o.Percent != w.naPct {
			t.Errorf("%s not at all = %d (%d%%), want %d (%d%%)", w.code, o.N, o.Percent, w.na, w.naPct)
		}
		if o := opt["dont-know"]; w.dk >= 0 && (o.N != w.dk || o.Percent != w.dkPct) {
			t.Errorf("%s don't know = %d (%d%%), want %d (%d%%)", w.code, o.N, o.Percent, w.dk, w.dkPct)
		}
		for _, ch := range r.Channels {
			if ch != "webform" && ch != "event" {
				t.Errorf("%s has closed answers from %s; the report's came from the webform and events", w.code, ch)
			}
		}
	}
	for code, want := range map[string]int64{"Q1b": 653, "Q2b": 627, "Q3b": 586, "Q4b": 548, "Q5b": 499, "Q6b": 577, "Q7": 381} {
		if got := table.Question(c.Question(code)).Answered; got != want {
			t.Errorf("%s answered = %d, want %d", code, got, want)
		}
	}

	// Running the demo again changes nothing.
	_, res, err = demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 0 || len(res.Duplicates) != 790 {
		t.Errorf("second load: inserted %d, duplicates %d; want 0, 790", res.Inserted, len(res.Duplicates))
	}
	again, err := (&results.Service{Pool: pool}).Counts(ctx, c, results.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Overview().Total != 790 {
		t.Errorf("after a second load: %d responses, want 790", again.Overview().Total)
	}
}
