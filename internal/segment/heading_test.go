package segment

import (
	"os"
	"testing"

	"heard/internal/consultation"
)

// cqcDefinition is the CQC 2021 definition as shipped, with its themes'
// summaries and keywords.
func cqcDefinition(t *testing.T) Target {
	t.Helper()
	// Read from the file, not through package demo: demo imports segment.
	b, err := os.ReadFile("../demo/cqc-2021.json")
	if err != nil {
		t.Fatal(err)
	}
	def, err := consultation.ParseDefinition(b)
	if err != nil {
		t.Fatal(err)
	}
	var tg Target
	for _, th := range def.Themes {
		tg.Themes = append(tg.Themes, Theme{Slug: th.Slug, Title: th.Title, Summary: th.Summary, Keywords: th.Keywords})
	}
	for _, q := range def.Questions {
		tg.Questions = append(tg.Questions, Question{Code: q.Code, ThemeSlug: q.Theme, Prompt: q.Prompt, Keywords: q.Keywords})
	}
	return tg
}

// Organisations' own headings: one word, a paraphrase, the name of an
// ambition. A heading that names nothing clearly gets no theme.
func TestMatchHeading(t *testing.T) {
	ix := newIndex(cqcDefinition(t))
	tests := []struct{ heading, want string }{
		{"Safety", "safety-through-learning"},
		{"Improvement", "accelerating-improvement"},
		{"How you will look at local care systems", "assessing-systems"},
		{"Reducing inequalities", "tackling-inequalities"},
		{"Listening to people", "people-and-communities"},
		{"Smarter, more flexible regulation", "smarter-regulation"},
		{"Inspections and ratings", "smarter-regulation"},
		{"Integrated care", "assessing-systems"},
		{"Human rights", "equality-impact"},
		// Nothing clear: left for an analyst.
		{"Our workforce", ""},
		{"Funding", ""},
		{"Health and care", ""},
		{"About us", ""},
		{"Care", ""},
	}
	for _, tt := range tests {
		got, why, ok := ix.themeOpening(tt.heading, true)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("heading %q = %q (%s); want %q", tt.heading, got, why, tt.want)
		}
		if ok && why == "" {
			t.Errorf("heading %q: no reason given", tt.heading)
		}
	}
}
