package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"heard/internal/coding"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// The demo's coding: a codeframe per open question, part of the answers
// coded, quotes only from consenting respondents, a finished double-coded
// sample with a few disagreements, and every published figure unchanged.
func TestDemoCoding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	before, err := (&results.Service{Pool: pool}).Counts(ctx, c, results.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := demo.Code(ctx, pool, c)
	if err != nil {
		t.Fatal(err)
	}
	if got.Codes != 7*11 || got.Coded < 1400 || got.Quotes == 0 || got.SampleID == 0 {
		t.Errorf("demo coding = %+v", got)
	}
	after, _ := (&results.Service{Pool: pool}).Counts(ctx, c, results.Filter{})
	if diff := cmp.Diff(before.Answers, after.Answers); diff != "" {
		t.Errorf("coding changed the figures:\n%s", diff)
	}
	svc := &coding.Service{Pool: pool}
	counts, _ := svc.Counts(ctx, c.ID, nil, nil)
	recount, _ := svc.Recount(ctx, c.ID)
	if diff := cmp.Diff(recount, counts); diff != "" || len(counts) == 0 {
		t.Errorf("code counts differ from a recount:\n%s", diff)
	}
	rep, err := svc.Agreement(ctx, c.ID, got.SampleID)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := rep.Overall.Kappa()
	if !ok || k < 0.6 || k >= 1 || len(rep.Disagreements) < 2 || len(rep.Disagreements) > 6 {
		t.Errorf("sample: kappa %.2f (%v), %d disagreements; want a few", k, ok, len(rep.Disagreements))
	}
	// Quotes come only from respondents who agreed to publication.
	q1b := c.Question("Q1b")
	quotes, _ := svc.Quotes(ctx, q1b.ID)
	for _, qu := range quotes {
		a, _ := svc.Answer(ctx, c.ID, q1b.ID, qu.ResponseID)
		if a.Consent != "yes" {
			t.Errorf("response %d is a quote without consent", qu.ResponseID)
		}
	}
	// The answers make the summary's points, e.g. digital exclusion.
	a, _ := svc.Answer(ctx, c.ID, q1b.ID, quotes[0].ResponseID)
	if a.Text == "" || !strings.HasSuffix(a.Text, ".") {
		t.Errorf("demo answer %q", a.Text)
	}
	// Running it again changes nothing.
	if again, err := demo.Code(ctx, pool, c); err != nil || again.Codes != 0 {
		t.Errorf("second run: %+v, %v", again, err)
	}
}
