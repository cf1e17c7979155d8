package consultation_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
)

// The definition read back from the database is the one loaded, so a
// copy has the same structure.
func TestDefinitionRoundTrips(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	ctx := context.Background()
	want, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	svc := &consultation.Service{Pool: pool}
	if _, err := svc.Load(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Definition(ctx, want.Slug)
	if err != nil {
		t.Fatal(err)
	}
	// Scales come back in slug order; nil and empty lists are the same.
	sortScales := cmpopts.SortSlices(func(a, b consultation.ScaleDef) bool { return a.Slug < b.Slug })
	if d := cmp.Diff(want, got, sortScales, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("definition read back differs (-loaded +read):\n%s", d)
	}
}

// Statuses move draft → open → closed only, from the status the admin saw.
func TestStatusMovesOneWay(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	ctx := context.Background()
	svc := &consultation.Service{Pool: pool}
	d, _ := consultation.ParseDefinition([]byte(minimal))
	d.Status = "draft"
	if _, err := svc.Create(ctx, audit.Entry{Actor: "test"}, d); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		from, want string
		err        error
	}{
		{"draft", "open", nil},
		{"draft", "", consultation.ErrStatusChanged},
		{"open", "closed", nil},
		{"closed", "", consultation.ErrStatusChanged},
		{"open", "", consultation.ErrStatusChanged},
	} {
		got, err := svc.MoveStatus(ctx, audit.Entry{Actor: "test"}, d.Slug, step.from)
		if got != step.want || err != step.err {
			t.Errorf("from %s: %q, %v; want %q, %v", step.from, got, err, step.want, step.err)
		}
	}
}
