package results_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"testing"

	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
	"heard/internal/results"
)

// figure is one count a reader can see: the people in atoms (group ×
// channel cells) who gave one of cats (option ids) to question q.
type figure struct {
	name  string
	q     int32
	atoms map[string]bool
	cats  map[int32]bool
	n     int64
}

func (a figure) contains(b figure) bool {
	if a.q != b.q {
		return false
	}
	for k := range b.atoms {
		if !a.atoms[k] {
			return false
		}
	}
	for k := range b.cats {
		if !a.cats[k] {
			return false
		}
	}
	return true
}

// filters is every filter a protected reader may use: none, and every
// non-empty set of groups or of channels.
func filters(c *consultation.Consultation) []results.Filter {
	out := []results.Filter{{}}
	for mask := 1; mask < 1<<len(c.Groups); mask++ {
		var f results.Filter
		for i, g := range c.Groups {
			if mask&(1<<i) != 0 {
				f.GroupIDs = append(f.GroupIDs, g.ID)
			}
		}
		out = append(out, f)
	}
	for mask := 1; mask < 1<<len(ingest.Channels); mask++ {
		var f results.Filter
		for i, ch := range ingest.Channels {
			if mask&(1<<i) != 0 {
				f.Channels = append(f.Channels, ch)
			}
		}
		out = append(out, f)
	}
	return out
}

func atomsOf(c *consultation.Consultation, f results.Filter) map[string]bool {
	m := map[string]bool{}
	ids := []int32{0}
	for _, g := range c.Groups {
		ids = append(ids, g.ID)
	}
	for _, id := range ids {
		for _, ch := range ingest.Channels {
			inG := len(f.GroupIDs) == 0
			for _, g := range f.GroupIDs {
				inG = inG || g == id
			}
			inC := len(f.Channels) == 0
			for _, x := range f.Channels {
				inC = inC || x == ch
			}
			if inG && inC {
				m[fmt.Sprint(id, ch)] = true
			}
		}
	}
	return m
}

// seen collects every figure a reader with policy p can read on the
// question pages and in results.csv, under every filter allowed.
func seen(t *testing.T, svc *results.Service, c *consultation.Consultation, p results.Policy) []figure {
	t.Helper()
	ctx := context.Background()
	var out []figure
	for _, f := range filters(c) {
		tab, err := svc.View(ctx, c, f, p)
		if err != nil {
			t.Fatal(err)
		}
		atoms := atomsOf(c, f)
		for _, q := range c.Questions {
			if !q.Closed() {
				continue
			}
			r := tab.Question(q)
			if r.Withheld != "" {
				continue
			}
			all := map[int32]bool{}
			for i, o := range q.Scale.Options {
				all[o.ID] = true
				if s := r.Options[i]; s.Withheld == "" {
					out = append(out, figure{fmt.Sprintf("%s %s %v", q.Code, o.Slug, f), q.ID, atoms, map[int32]bool{o.ID: true}, s.N})
				}
			}
			out = append(out, figure{fmt.Sprintf("%s answered %v", q.Code, f), q.ID, atoms, all, r.Answered})
			for i, cb := range q.Scale.Combinations {
				if s := r.Combinations[i]; s.Withheld == "" {
					cats := map[int32]bool{}
					for _, id := range cb.OptionIDs {
						cats[id] = true
					}
					out = append(out, figure{fmt.Sprintf("%s %s %v", q.Code, cb.Slug, f), q.ID, atoms, cats, s.N})
				}
			}
		}
		// Breakdown rows by group and by channel are one-group or
		// one-channel figures too.
		for _, q := range c.Questions {
			if !q.Closed() {
				continue
			}
			bs, err := svc.Breakdowns(ctx, tab, q, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bs[:2] {
				for _, row := range b.Rows {
					if row.BaseWithheld != "" {
						continue
					}
					var rf results.Filter
					if b.Slug == "channel" {
						rf.Channels = []string{row.Slug}
					} else if g := c.Group(row.Slug); g != nil {
						rf.GroupIDs = []int32{g.ID}
					} else {
						rf.GroupIDs = []int32{0}
					}
					all := map[int32]bool{}
					for k, cell := range row.Cells {
						id := q.Scale.Options[k].ID
						all[id] = true
						if cell.Withheld == "" {
							out = append(out, figure{fmt.Sprintf("breakdown %s %s %s", q.Code, row.Label, cell.Slug), q.ID, atomsOf(c, rf), map[int32]bool{id: true}, cell.N})
						}
					}
					out = append(out, figure{fmt.Sprintf("breakdown %s %s base", q.Code, row.Label), q.ID, atomsOf(c, rf), all, row.Base})
				}
			}
		}
		// results.csv rows: one group or one channel each.
		var buf bytes.Buffer
		if err := tab.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs[1:] {
			q := c.Question(rec[0])
			if !q.Closed() || rec[5] == "true" {
				continue
			}
			n, err := strconv.ParseInt(rec[4], 10, 64)
			if err != nil {
				t.Fatalf("csv row %v: %v", rec, err)
			}
			var rf results.Filter
			if g := c.Group(rec[2]); rec[2] != results.CSVAll && g != nil {
				rf.GroupIDs = []int32{g.ID}
			} else if rec[2] == "" {
				rf.GroupIDs = []int32{0}
			}
			if rec[3] != results.CSVAll {
				rf.Channels = []string{rec[3]}
			}
			var opt int32
			for _, o := range q.Scale.Options {
				if o.Slug == rec[1] {
					opt = o.ID
				}
			}
			out = append(out, figure{fmt.Sprintf("csv %v", rec), q.ID, atomsOf(c, rf), map[int32]bool{opt: true}, n})
		}
	}
	return out
}

// recoverable tries every subtraction of one seen figure from another
// that covers it (totals minus a part, a wider filter minus a narrower
// one) and returns the first that gives a count from 1 to threshold-1.
func recoverable(figs []figure, threshold int64) string {
	for _, a := range figs {
		if a.n >= 1 && a.n < threshold {
			return fmt.Sprintf("shown directly: %s = %d", a.name, a.n)
		}
		for _, b := range figs {
			if d := a.n - b.n; d >= 1 && d < threshold && a.contains(b) {
				return fmt.Sprintf("%s (%d) minus %s (%d) = %d", a.name, a.n, b.name, b.n, d)
			}
		}
	}
	return ""
}

func TestSuppressedCellsCannotBeRecoveredBySubtraction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	// The demo has small cells (5 CQC team emails; few letters answer
	// closed questions): exact figures give them away...
	exact := seen(t, svc, c, results.Policy{})
	if how := recoverable(exact, 10); how == "" {
		t.Fatal("the demo has no small cell to protect: this test would prove nothing")
	} else {
		t.Logf("exact figures give away: %s", how)
	}
	// ...protected ones never do, at the public and viewer thresholds.
	for _, th := range []int64{results.DefaultPublicThreshold, results.DefaultViewerThreshold, 25} {
		figs := seen(t, svc, c, results.Policy{Threshold: th})
		if how := recoverable(figs, th); how != "" {
			t.Errorf("threshold %d: a withheld count can be worked out: %s", th, how)
		}
		if len(figs) < 100 {
			t.Errorf("threshold %d: only %d figures shown: protection hides far too much", th, len(figs))
		}
	}
}

func TestProtectedViewsRefuseCombinedFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	f := results.Filter{GroupIDs: []int32{c.Groups[0].ID}, Channels: []string{"webform"}}
	if _, err := svc.View(ctx, c, f, results.Policy{Threshold: 10}); err != results.ErrCombinedFilter {
		t.Errorf("combined filter for the public: err = %v, want ErrCombinedFilter", err)
	}
	if _, err := svc.View(ctx, c, f, results.Policy{}); err != nil {
		t.Errorf("combined filter for analysts: %v", err)
	}
	// A base below the threshold shows nothing at all.
	cqc := results.Filter{GroupIDs: []int32{c.Group("cqc-teams").ID}}
	tab, err := svc.View(ctx, c, cqc, results.Policy{Threshold: 100})
	if err != nil {
		t.Fatal(err)
	}
	if r := tab.Question(c.Question("Q1a")); r.Withheld == "" || r.Answered != 0 {
		t.Errorf("65 responses at threshold 100: Q1a shown: %+v", r)
	}
	if ov := tab.Overview(); ov.Withheld == "" || ov.Total != 0 {
		t.Errorf("65 responses at threshold 100: overview shown: %+v", ov)
	}
}
