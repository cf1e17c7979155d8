package results_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// On a question page the list of answers is read first and the counts
// reuse the copy in memory as the list read it (ShareFacts): the figures
// are those of the list's snapshot, exactly as counting the responses one
// by one then gave, even when responses change in between; without
// sharing, counts read the copy afresh.
func TestCountsReuseTheListsSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	v, _ := url.ParseQuery("answer=Q1a:fully&answer=Q1a:mostly&answer=Q6a:not-at-all&answer=Q6a:partially")
	f, err := results.ParseFilter(c, v)
	if err != nil {
		t.Fatal(err)
	}
	oneByOne := func() *results.Table {
		t.Helper()
		want, err := results.OneByOne(svc).Counts(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		return want
	}
	same := func(step string, want, got *results.Table) {
		t.Helper()
		if diff := cmp.Diff(want.Answers, got.Answers); diff != "" {
			t.Errorf("%s: answer counts differ (-want +got):\n%s", step, diff)
		}
		if diff := cmp.Diff(want.Responses, got.Responses); diff != "" {
			t.Errorf("%s: response counts differ (-want +got):\n%s", step, diff)
		}
	}
	before := oneByOne()
	if len(before.Responses) == 0 {
		t.Fatal("the filter matches nothing")
	}

	page := results.ShareFacts(ctx)
	l, err := svc.ListAnswers(page, c, c.Question("Q1b"), f, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if l.Total == 0 {
		t.Fatal("the list is empty")
	}
	if _, err := pool.Exec(ctx, `DELETE FROM responses WHERE consultation_id = $1 AND id % 3 = 0`, c.ID); err != nil {
		t.Fatal(err)
	}
	after := oneByOne()
	if cmp.Equal(before.Responses, after.Responses) {
		t.Fatal("deleting responses changed no count")
	}

	got, err := svc.Counts(page, c, f)
	if err != nil {
		t.Fatal(err)
	}
	same("counted after the list, in its request", before, got)
	got, err = svc.Counts(ctx, c, f)
	if err != nil {
		t.Fatal(err)
	}
	same("counted in another request", after, got)
	// Campaigns left out need the members left out, which a list does
	// not read: such counts read the copy themselves.
	g := f
	g.Campaigns = results.CampaignsExclude
	got, err = svc.Counts(page, c, g)
	if err != nil {
		t.Fatal(err)
	}
	want, err := results.OneByOne(svc).Counts(ctx, c, g)
	if err != nil {
		t.Fatal(err)
	}
	same("campaigns left out, after the list", want, got)
}
