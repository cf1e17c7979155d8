package results_test

import (
	"context"
	"strings"
	"testing"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

func TestBreakdownsCompareGroupsWithBases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	tab, err := svc.View(ctx, c, results.Filter{}, results.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := svc.Breakdowns(ctx, tab, c.Question("Q1a"), true)
	if err != nil {
		t.Fatal(err)
	}
	slugs := map[string]results.Breakdown{}
	for _, b := range bs {
		slugs[b.Slug] = b
	}
	for _, want := range []string{"group", "channel", "organisation", "by-ethnic-group", "by-age-band"} {
		b, ok := slugs[want]
		if !ok {
			t.Errorf("no breakdown %q (have %v)", want, bs)
			continue
		}
		var base int64
		for _, r := range b.Rows {
			base += r.Base
			var sum int64
			for _, c := range r.Cells {
				sum += c.N
			}
			if sum != r.Base {
				t.Errorf("%s row %s: cells add to %d, base %d", want, r.Label, sum, r.Base)
			}
		}
		if base != 618 {
			t.Errorf("%s: bases add to %d, want the 618 who answered Q1a", want, base)
		}
		if b.Test.Text == "" {
			t.Errorf("%s: no significance statement", want)
		}
	}
	if g := slugs["group"]; !strings.Contains(g.Test.Text, "significant") && !strings.Contains(g.Test.Text, "Too few") {
		t.Errorf("group test: %q", g.Test.Text)
	}
	// The public sees equality breakdowns only without filters.
	pub, err := svc.View(ctx, c, results.Filter{Channels: []string{"webform"}}, results.Policy{Threshold: 10})
	if err != nil {
		t.Fatal(err)
	}
	bs, _ = svc.Breakdowns(ctx, pub, c.Question("Q1a"), true)
	for _, b := range bs {
		if b.Withheld == "" {
			t.Errorf("filtered breakdown %s shown to the public", b.Slug)
		}
	}
}
