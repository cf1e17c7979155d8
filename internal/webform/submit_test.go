package webform_test

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"

	"heard/internal/webform"
)

// A whole response becomes one webform response with its group,
// organisation and answers, counted in the results at once.
func TestSubmitStoresTheResponse(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	f := x.form()
	s := x.fill(f, fullResponse())
	if len(s.Errors) != 0 {
		t.Fatalf("a full response has problems: %v", s.Errors)
	}
	rc, err := x.svc.Submit(ctx, x.slug, s.Token, false)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Reference != s.Draft.Reference || rc.Again || rc.Discarded || rc.SentAt.IsZero() {
		t.Errorf("receipt = %+v", rc)
	}
	var channel, org, group string
	var onBehalf bool
	var answers int
	err = x.pool.QueryRow(ctx, `
		SELECT r.channel, r.organisation, r.on_behalf_of_org, g.slug, (SELECT count(*) FROM answers a WHERE a.response_id = r.id)
		FROM responses r JOIN respondent_groups g ON g.id = r.respondent_group_id
		WHERE r.source_ref = $1`, rc.Reference).Scan(&channel, &org, &onBehalf, &group, &answers)
	if err != nil {
		t.Fatal(err)
	}
	// 6 closed + 7 open + 2 equality answers.
	if channel != "webform" || org != "Carers Together (test)" || !onBehalf || group != "public" || answers != 15 {
		t.Errorf("stored %s, %q, on behalf %v, group %s, %d answers", channel, org, onBehalf, group, answers)
	}
	tab := x.counts(f)
	if ov := tab.Overview(); ov.Total != 1 {
		t.Errorf("results count %d responses", ov.Total)
	}
	q6 := tab.Question(f.C.Question("Q6a"))
	if q6.Answered != 1 || q6.Combinations[0].N != 1 {
		t.Errorf("Q6a in the results: %+v", q6)
	}
	if age := tab.Question(f.C.Question("age-band")); age.Answered != 1 {
		t.Errorf("age band answered %d", age.Answered)
	}
}

// Double clicks, refreshes and retries send one response: eight
// concurrent submits of one draft store it once and all get its
// reference.
func TestSubmitIsIdempotent(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	f := x.form()
	s := x.fill(f, fullResponse())
	var wg sync.WaitGroup
	receipts := make([]webform.Receipt, 8)
	errs := make([]error, 8)
	for i := range receipts {
		wg.Go(func() { receipts[i], errs[i] = x.svc.Submit(ctx, x.slug, s.Token, false) })
	}
	wg.Wait()
	again := 0
	for i, rc := range receipts {
		if errs[i] != nil || rc.Reference != s.Draft.Reference {
			t.Errorf("submit %d: %+v, %v", i, rc, errs[i])
		}
		if rc.Again {
			again++
		}
	}
	if again != 7 {
		t.Errorf("%d submits were repeats, want 7", again)
	}
	if n := x.counts(f).Overview().Total; n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
}

func TestSubmitRefusals(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	f := x.form()

	// Publication consent is required: the problem points at its page.
	noConsent := fullResponse()
	noConsent.Del("consent")
	s := x.fill(f, noConsent)
	_, err := x.svc.Submit(ctx, x.slug, s.Token, false)
	var ve *webform.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Page != "publishing" || ve.Draft == nil {
		t.Errorf("without consent: %v", err)
	}
	// No draft: nothing to send.
	if _, err := x.svc.Submit(ctx, x.slug, "unknown", false); !errors.Is(err, webform.ErrNoDraft) {
		t.Errorf("unknown token: %v", err)
	}

	// The honeypot, filled in on a page or on the submit: acknowledged,
	// not stored.
	bot := x.fill(f, fullResponse())
	if _, err := x.svc.Save(ctx, f, bot.Token, url.Values{"q-Q1a": {"fully"}}, true, f.Pages[0]); err != nil {
		t.Fatal(err)
	}
	bot2 := x.fill(f, fullResponse())
	for _, c := range []struct {
		token    string
		honeypot bool
	}{{bot.Token, false}, {bot2.Token, true}} {
		rc, err := x.svc.Submit(ctx, x.slug, c.token, c.honeypot)
		if err != nil || !rc.Discarded || rc.Reference == "" {
			t.Errorf("bot submit: %+v, %v", rc, err)
		}
		if rc, _ := x.svc.Submit(ctx, x.slug, c.token, false); !rc.Again || !rc.Discarded {
			t.Errorf("bot resubmit: %+v", rc)
		}
	}

	// After the close: refused, nothing stored, the draft kept.
	late := x.fill(f, fullResponse())
	loadCQC(t, x.pool, x.slug, "open", -30, -1)
	if _, err := x.svc.Submit(ctx, x.slug, late.Token, false); !errors.Is(err, webform.ErrClosed) {
		t.Errorf("after the close: %v, want ErrClosed", err)
	}
	if d, err := x.svc.Draft(ctx, f, late.Token); err != nil || d.SubmittedAt != nil {
		t.Errorf("the late draft: %v", err)
	}
	if n := x.counts(f).Overview().Total; n != 0 {
		t.Errorf("%d responses stored, want 0", n)
	}
}
