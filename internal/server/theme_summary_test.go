package server_test

import (
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// A theme's page of the form says what the theme proposes, and links to
// the proposal when the definition gives one.
func TestFormShowsWhatEachThemeProposes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	admin.upload("/admin/consultations", "parks.json", []byte(parksDefinition), nil)
	admin.post("/admin/consultations/parks-2026/status", url.Values{"from": {"draft"}})
	anon := e.anonymous()

	_, body := anon.get("/consultations/parks-2026/respond/green")
	d := doc(t, body)
	inset := d.Find(".heard-theme-summary")
	if !strings.Contains(inset.Text(), "More trees in every park.") {
		t.Errorf("theme page lacks the summary: %q", inset.Text())
	}
	link := inset.Find(`a[href="https://example.org/parks.pdf"]`)
	if !strings.Contains(link.Text(), "Read the proposals for this theme") {
		t.Error("theme page lacks the link to the proposals")
	}
	if d.Find(".heard-theme-summary ~ form").Length() != 1 {
		t.Error("the summary is not above the theme's questions")
	}

	// The demo's open copy carries CQC's own theme summaries.
	_, body = anon.get("/consultations/try-cqc-strategy/respond/smarter-regulation")
	if got := doc(t, body).Find(".heard-theme-summary").Text(); !strings.Contains(got, "Smarter, more dynamic and flexible regulation") {
		t.Errorf("CQC theme page summary = %q", got)
	}
}
