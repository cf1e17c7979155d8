package webform_test

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"testing"

	"heard/internal/webform"
)

// Answers are kept server-side page by page; the token finds them again.
func TestSaveAndReturn(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	f := x.form()
	first, second := f.Pages[0], f.Pages[1]

	s1, err := x.svc.Save(ctx, f, "", url.Values{"q-Q1a": {"mostly"}, "q-Q1b": {"Line one\r\nline two"}}, false, first)
	if err != nil || len(s1.Errors) != 0 {
		t.Fatalf("first save: %v %v", err, s1.Errors)
	}
	if len(s1.Token) < 40 || !regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(s1.Draft.Reference) {
		t.Errorf("token %q, reference %q", s1.Token, s1.Draft.Reference)
	}
	if s1.Draft.ResumePage != second.Slug || s1.Draft.ExpiresAt.Sub(s1.Draft.UpdatedAt).Hours() < 24*webform.NewDraftDays-1 {
		t.Errorf("resume at %q, expires %v after saving", s1.Draft.ResumePage, s1.Draft.ExpiresAt.Sub(s1.Draft.UpdatedAt))
	}
	s2, err := x.svc.Save(ctx, f, s1.Token, url.Values{"q-Q2a": {"fully"}}, false, second)
	if err != nil || s2.Token != s1.Token || s2.Draft.Reference != s1.Draft.Reference {
		t.Fatalf("second save: %v, token kept %v", err, s2.Token == s1.Token)
	}
	// Clearing an answer removes it; other pages' answers stay.
	if _, err := x.svc.Save(ctx, f, s1.Token, url.Values{"q-Q1a": {""}, "q-Q1b": {"Line one\r\nline two"}}, false, first); err != nil {
		t.Fatal(err)
	}
	d, err := x.svc.Draft(ctx, f, s1.Token)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Q1b": "Line one\nline two", "Q2a": "fully"}
	if len(d.Answers) != len(want) || d.Answers["Q1b"] != want["Q1b"] || d.Answers["Q2a"] != "fully" {
		t.Errorf("draft answers = %q, want %q", d.Answers, want)
	}
	if d.ResumePage != second.Slug {
		t.Errorf("resume page after re-saving the first page = %q", d.ResumePage)
	}

	// Another browser's token, or none, finds nothing.
	for _, tok := range []string{"", "not-a-token"} {
		if _, err := x.svc.Draft(ctx, f, tok); !errors.Is(err, webform.ErrNoDraft) {
			t.Errorf("Draft(%q) = %v, want ErrNoDraft", tok, err)
		}
	}
	// The token itself is never stored, only its hash.
	var stored int
	if err := x.pool.QueryRow(ctx, `SELECT count(*) FROM webform_drafts d WHERE row_to_json(d)::text LIKE '%' || $1 || '%'`, s1.Token).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("the raw token is stored (%d, %v)", stored, err)
	}

	// After 30 days the draft is gone: a save starts a new one.
	if _, err := x.pool.Exec(ctx, `UPDATE webform_drafts SET expires_at = now() - interval '1 second', created_at = now() - interval '31 days'`); err != nil {
		t.Fatal(err)
	}
	if _, err := x.svc.Draft(ctx, f, s1.Token); !errors.Is(err, webform.ErrNoDraft) {
		t.Errorf("expired draft: %v", err)
	}
	s3, err := x.svc.Save(ctx, f, s1.Token, url.Values{"q-Q1a": {"fully"}}, false, first)
	if err != nil || s3.Token == s1.Token || s3.Draft.Reference == s1.Draft.Reference || len(s3.Draft.Answers) != 1 {
		t.Errorf("save after expiry: %v; new token %v, answers %v", err, s3.Token != s1.Token, s3.Draft.Answers)
	}
	deleted, cleared, err := x.svc.Purge(ctx)
	if err != nil || deleted != 1 || cleared != 0 {
		t.Errorf("Purge = %d deleted, %d cleared, %v; want 1, 0", deleted, cleared, err)
	}
}

// A sent draft can no longer change; after 30 days its copy of the
// answers goes but its reference and consent stay.
func TestSentDraftsAreFrozenThenPurged(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	f := x.form()
	s := x.fill(f, fullResponse())
	rc, err := x.svc.Submit(ctx, x.slug, s.Token, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.svc.Save(ctx, f, s.Token, url.Values{"q-Q1a": {"not-at-all"}}, false, f.Pages[0]); !errors.Is(err, webform.ErrSubmitted) {
		t.Errorf("saving a sent draft = %v, want ErrSubmitted", err)
	}
	if _, err := x.pool.Exec(ctx, `UPDATE webform_drafts SET expires_at = now() - interval '1 second', created_at = now() - interval '31 days'`); err != nil {
		t.Fatal(err)
	}
	if deleted, cleared, err := x.svc.Purge(ctx); err != nil || deleted != 0 || cleared != 1 {
		t.Errorf("Purge = %d deleted, %d cleared, %v; want 0, 1", deleted, cleared, err)
	}
	if _, err := x.svc.Draft(ctx, f, s.Token); !errors.Is(err, webform.ErrNoDraft) {
		t.Errorf("a purged draft is still found: %v", err)
	}
	if c, err := x.svc.PublicationConsent(ctx, f, rc.Reference); err != nil || c != "yes" {
		t.Errorf("consent after purge = %q, %v", c, err)
	}
}

// Reloading the definition reaches the cached form at once.
func TestFormFollowsTheDefinition(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	if x.form().Page("equality") == nil {
		t.Fatal("no equality page")
	}
	c := loadCQC(t, x.pool, x.slug, "closed", -7, 30)
	f := x.form()
	if f.Status != "closed" || f.C.ID != c.ID {
		t.Errorf("status %q after closing", f.Status)
	}
	// Loading the same definition again changes nothing, not even the version.
	var v1, v2 int64
	x.pool.QueryRow(context.Background(), `SELECT structure_version FROM consultations WHERE slug = $1`, x.slug).Scan(&v1)
	loadCQC(t, x.pool, x.slug, "closed", -7, 30)
	x.pool.QueryRow(context.Background(), `SELECT structure_version FROM consultations WHERE slug = $1`, x.slug).Scan(&v2)
	if v1 != v2 {
		t.Errorf("an identical reload moved structure_version from %d to %d", v1, v2)
	}
	if _, err := x.pool.Exec(context.Background(), `UPDATE questions SET prompt = 'Reworded?' WHERE code = 'Q1a'`); err != nil {
		t.Fatal(err)
	}
	if got := x.form().Page("people-and-communities").Questions[0].Prompt; got != "Reworded?" {
		t.Errorf("after rewording, the form still asks %q", got)
	}
}
