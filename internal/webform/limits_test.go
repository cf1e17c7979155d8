package webform_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"heard/internal/webform"
)

// New drafts are capped per client address per day; other addresses,
// and drafts already started, carry on.
func TestNewDraftsPerClientAreCapped(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	x.svc.DraftStartsPerClient = 3
	ctx := context.Background()
	f := x.form()
	in := url.Values{"q-Q1a": {"mostly"}}
	var first *webform.Saved
	for i := range 3 {
		s, err := x.svc.SaveFrom(ctx, "198.51.100.1", f, "", in, false, f.Pages[0])
		if err != nil {
			t.Fatalf("draft %d: %v", i+1, err)
		}
		first = s
	}
	if _, err := x.svc.SaveFrom(ctx, "198.51.100.1", f, "", in, false, f.Pages[0]); !errors.Is(err, webform.ErrTooManyDrafts) {
		t.Errorf("a fourth new draft from one address: %v, want ErrTooManyDrafts", err)
	}
	if _, err := x.svc.SaveFrom(ctx, "198.51.100.1", f, first.Token, in, false, f.Pages[1]); err != nil {
		t.Errorf("saving a draft already started: %v", err)
	}
	if _, err := x.svc.SaveFrom(ctx, "198.51.100.2", f, "", in, false, f.Pages[0]); err != nil {
		t.Errorf("a new draft from another address: %v", err)
	}
}

// When unsent drafts fill their space, new drafts are refused; drafts
// already started can still be saved.
func TestDraftSpaceIsCapped(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	f := x.form()
	s, err := x.svc.SaveFrom(ctx, "198.51.100.1", f, "", url.Values{"q-Q1b": {"A long answer of some length."}}, false, f.Pages[0])
	if err != nil {
		t.Fatal(err)
	}
	full := webform.NewService(x.pool, nil)
	full.MaxDraftBytes = 10
	if _, err := full.SaveFrom(ctx, "198.51.100.2", f, "", url.Values{"q-Q1a": {"mostly"}}, false, f.Pages[0]); !errors.Is(err, webform.ErrDraftSpaceFull) {
		t.Errorf("a new draft with the space full: %v, want ErrDraftSpaceFull", err)
	}
	if _, err := full.SaveFrom(ctx, "198.51.100.1", f, s.Token, url.Values{"q-Q2a": {"fully"}}, false, f.Pages[1]); err != nil {
		t.Errorf("saving a draft already started with the space full: %v", err)
	}
}

// A draft saved once is kept 2 days; saved again, or kept on purpose
// ("save and come back later"), 30 days.
func TestUntouchedDraftsExpireSooner(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	f := x.form()
	days := func(d *webform.Draft) float64 { return d.ExpiresAt.Sub(d.UpdatedAt).Hours() / 24 }
	s1, err := x.svc.SaveFrom(ctx, "198.51.100.1", f, "", url.Values{"q-Q1a": {"mostly"}}, false, f.Pages[0])
	if err != nil {
		t.Fatal(err)
	}
	if d := days(s1.Draft); d < webform.NewDraftDays-0.01 || d > webform.NewDraftDays+0.01 {
		t.Errorf("a new draft is kept %.2f days, want %d", d, webform.NewDraftDays)
	}
	s2, err := x.svc.SaveFrom(ctx, "198.51.100.1", f, s1.Token, url.Values{"q-Q2a": {"fully"}}, false, f.Pages[1])
	if err != nil {
		t.Fatal(err)
	}
	if d := days(s2.Draft); d < webform.DraftDays-0.01 {
		t.Errorf("a draft saved twice is kept %.2f days, want %d", d, webform.DraftDays)
	}

	s3, err := x.svc.SaveFrom(ctx, "198.51.100.1", f, "", url.Values{"q-Q1a": {"mostly"}}, false, f.Pages[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := x.svc.Keep(ctx, f, s3.Token); err != nil {
		t.Fatal(err)
	}
	d, err := x.svc.Draft(ctx, f, s3.Token)
	if err != nil {
		t.Fatal(err)
	}
	if left := time.Until(d.ExpiresAt).Hours() / 24; left < webform.DraftDays-0.01 {
		t.Errorf("a draft kept on purpose expires in %.2f days, want %d", left, webform.DraftDays)
	}

	// The purge deletes an untouched draft once its 2 days are up.
	if _, err := x.pool.Exec(ctx, `UPDATE webform_drafts SET created_at = now() - interval '3 days', expires_at = now() - interval '1 day' WHERE reference = $1`, s1.Draft.Reference); err != nil {
		t.Fatal(err)
	}
	if deleted, _, err := x.svc.Purge(ctx); err != nil || deleted != 1 {
		t.Errorf("purge: %d deleted, %v; want the expired untouched draft", deleted, err)
	}
}
