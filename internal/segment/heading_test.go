package segment

import (
	"strings"
	"testing"

	"heard/internal/demo"
)

// cqcDefinition is the CQC 2021 definition as shipped, with its themes'
// summaries and keywords.
func cqcDefinition(t *testing.T) Target {
	t.Helper()
	def, err := demo.Definition()
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

// A heading that names nothing ends a theme's section, but a short line
// after a question reference stays in the answer.
func TestUnmatchedHeadings(t *testing.T) {
	tg := cqcDefinition(t)
	text := "Safety through learning\n\nWe support it.\n\nOur workforce\n\nNurses are scarce.\n\nQ4b\n\nOur view\n\nImprovement needs time."
	segs, _ := Split(text, tg)
	var got []string
	for _, s := range segs {
		got = append(got, s.ThemeSlug+"|"+s.QuestionCode+"|"+s.Body)
	}
	want := []string{"safety-through-learning||We support it.", "||Nurses are scarce.", "accelerating-improvement|Q4b|Our view\n\nImprovement needs time."}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("segments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
