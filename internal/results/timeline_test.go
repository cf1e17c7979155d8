package results_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

func TestTimeline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	tab, _ := svc.View(ctx, c, results.Filter{}, results.Policy{})
	tl, err := svc.Timeline(ctx, tab)
	if err != nil {
		t.Fatal(err)
	}
	var sum, webform int64
	for _, d := range tl.Days {
		sum += d.Total
		webform += d.ByChannel[0]
	}
	if sum != 790 || webform != 611 || len(tl.Days) < 57 {
		t.Errorf("timeline: %d responses, %d webform over %d days; want 790, 611, at least 57", sum, webform, len(tl.Days))
	}
	// The public sees daily totals; a small day is withheld, and the
	// withheld days together are never a small number.
	pub, _ := svc.View(ctx, c, results.Filter{}, results.Policy{Threshold: 10})
	tl, err = svc.Timeline(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	var shown int64
	withheld := 0
	for _, d := range tl.Days {
		if d.ByChannel != nil {
			t.Fatal("the public sees days by channel")
		}
		if d.Withheld != "" {
			withheld++
			continue
		}
		if d.Total > 0 && d.Total < 10 {
			t.Errorf("%s: %d shown", d.Date, d.Total)
		}
		shown += d.Total
	}
	if rest := 790 - shown; rest > 0 && rest < 10 {
		t.Errorf("the withheld days add up to %d", rest)
	}
	t.Logf("%d of %d days withheld from the public", withheld, len(tl.Days))
}

// The per-day summary stays equal to a count of the responses after
// inserts, changes of date, group or channel, and deletes.
func TestResponseDaysStayExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	check := func(when string) {
		t.Helper()
		summary, _ := svc.View(ctx, c, results.Filter{}, results.Policy{})
		a, err := svc.Timeline(ctx, summary)
		if err != nil {
			t.Fatal(err)
		}
		// A date filter that keeps everything counts from the responses.
		scan, _ := svc.View(ctx, c, results.Filter{From: time.Date(2000, 1, 1, 0, 0, 0, 0, results.London)}, results.Policy{})
		b, err := svc.Timeline(ctx, scan)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a.Days, b.Days); diff != "" {
			t.Errorf("%s: summary differs from a count (-summary +count):\n%s", when, diff)
		}
	}
	check("after load")
	for _, sql := range []string{
		`UPDATE responses SET received_at = received_at + interval '3 days' WHERE id IN (SELECT id FROM responses ORDER BY id LIMIT 30)`,
		`UPDATE responses SET channel = 'letter' WHERE id IN (SELECT id FROM responses WHERE channel = 'webform' ORDER BY id LIMIT 10)`,
		`DELETE FROM responses WHERE id IN (SELECT id FROM responses ORDER BY id DESC LIMIT 25)`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
		check(sql)
	}
}
