package segment

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"heard/internal/consultation"
)

func TestSplitClosedAnswers(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []ClosedAnswer // offsets checked through stated
		// stated are the statements text[Start:End], in order.
		stated []string
	}{
		{name: "Q1a: Mostly", text: "Q1a: Mostly",
			want: []ClosedAnswer{{QuestionCode: "Q1a", OptionSlug: "mostly"}}, stated: []string{"Q1a: Mostly"}},
		{name: "1a – fully support", text: "1a – fully support the ambitions.",
			want: []ClosedAnswer{{QuestionCode: "Q1a", OptionSlug: "fully"}}, stated: []string{"1a – fully"}},
		{name: "Q6a - Don't know, curly apostrophe", text: "Q6a - Don’t know\nWe need more detail.",
			want: []ClosedAnswer{{QuestionCode: "Q6a", OptionSlug: "dont-know"}}, stated: []string{"Q6a - Don’t know"}},
		{name: "Question 2a: not at all", text: "Question 2a: not at all.",
			want: []ClosedAnswer{{QuestionCode: "Q2a", OptionSlug: "not-at-all"}}, stated: []string{"Question 2a: not at all"}},
		{name: "slug spelling", text: "Q5a: not-at-all",
			want: []ClosedAnswer{{QuestionCode: "Q5a", OptionSlug: "not-at-all"}}, stated: []string{"Q5a: not-at-all"}},
		{name: "several in a list, CRLF", text: "Our answers:\r\nQ3a: Partially\r\nQ4a) FULLY\r\n",
			want:   []ClosedAnswer{{QuestionCode: "Q3a", OptionSlug: "partially"}, {QuestionCode: "Q4a", OptionSlug: "fully"}},
			stated: []string{"Q3a: Partially", "Q4a) FULLY"}},
		{name: "indented", text: "Intro\n   Q2a: Mostly",
			want: []ClosedAnswer{{QuestionCode: "Q2a", OptionSlug: "mostly"}}, stated: []string{"Q2a: Mostly"}},
		// None of these states a closed answer.
		{name: "positive tone only", text: "Q1a: We are delighted and wholeheartedly back this theme."},
		{name: "option word later in the sentence", text: "Q1a: We mostly agree with this."},
		{name: "option named in passing", text: "Smarter regulation\n\nWe fully support this and are mostly positive."},
		{name: "two options", text: "Q1a: Fully or mostly"},
		{name: "two options with a slash", text: "Q1a: Mostly / partially"},
		{name: "open question", text: "Q1b: Mostly about staff."},
		{name: "question number alone", text: "Question 1: Mostly"},
		{name: "word that starts like an option", text: "Q1a: Fullyish"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs, answers := Split(tt.text, cqc())
			checkOffsets(t, tt.text, segs, answers)
			var stated []string
			for i, a := range answers {
				stated = append(stated, tt.text[a.Start:a.End])
				answers[i].Start, answers[i].End = 0, 0
			}
			if diff := cmp.Diff(tt.want, answers); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.stated, stated); diff != "" {
				t.Errorf("statements (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitWithoutMarkers(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"one paragraph", "We think the strategy is good.", "We think the strategy is good."},
		{"several paragraphs, blank edges", "\n\n  Dear CQC,\n\nWe like it.\n\nRegards, Sam  \n\n", "Dear CQC,\n\nWe like it.\n\nRegards, Sam"},
		{"theme words inside sentences", "I hope people and communities are heard.\nSafety through learning is vital.",
			"I hope people and communities are heard.\nSafety through learning is vital."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs, answers := Split(tt.text, cqc())
			checkOffsets(t, tt.text, segs, answers)
			want := []Segment{{General: true, How: HowNone, Text: tt.want}}
			if len(segs) == 1 {
				want[0].Start, want[0].End = segs[0].Start, segs[0].End
			}
			if diff := cmp.Diff(want, segs, cmpopts.IgnoreFields(Segment{}, "Body", "Why")); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
		})
	}
	for _, blank := range []string{"", " \r\n\t\n"} {
		if segs, answers := Split(blank, cqc()); segs != nil || answers != nil {
			t.Errorf("Split(%q) = %v, %v", blank, segs, answers)
		}
	}
}

func TestThemeOpening(t *testing.T) {
	tests := []struct{ line, want string }{
		{"People and communities", "people-and-communities"},
		{"## Smarter regulation", "smarter-regulation"},
		{"2) Safety through learning:", "safety-through-learning"},
		{"Assessing health and care systems", "assessing-systems"},
		{"Core ambition: tackling inequalities in health and care", "tackling-inequalities"},
		{"Tackling inequalities", "tackling-inequalities"},
		{"Our views on accelerating improvement", "accelerating-improvement"},
		{"Smarter regulation – we welcome the flexibility.", "smarter-regulation"},
		{"Equality impact assessment", "equality-impact"},
		// Ambiguous or not a heading: no theme.
		{"Health and care", ""},
		{"Core ambition", ""},
		{"Smarter regulation and safety through learning", ""},
		{"Safety is everyone's business.", ""},
		{"We support smarter regulation because inspections are too long and too rare.", ""},
		{"Introduction", ""},
	}
	ix := newIndex(cqc())
	for _, tt := range tests {
		got, _, ok := ix.themeOpening(tt.line, false)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("themeOpening(%q) = %q, %v; want %q", tt.line, got, ok, tt.want)
		}
	}
}

func TestFromConsultation(t *testing.T) {
	th := &consultation.Theme{Slug: "green-spaces", Title: "Green spaces"}
	scale := &consultation.Scale{Options: []*consultation.Option{{Slug: "yes", Label: "Yes"}, {Slug: "no", Label: "No"}}}
	c := &consultation.Consultation{
		Themes: []*consultation.Theme{th},
		Questions: []*consultation.Question{
			{Code: "Q1a", Kind: "closed", Theme: th, Scale: scale},
			{Code: "Q1b", Kind: "open", Theme: th},
			{Code: "Q9", Kind: "open"},
		},
	}
	want := Target{
		Themes: []Theme{{Slug: "green-spaces", Title: "Green spaces"}},
		Questions: []Question{
			{Code: "Q1a", ThemeSlug: "green-spaces", Options: []Option{{"yes", "Yes"}, {"no", "No"}}},
			{Code: "Q1b", ThemeSlug: "green-spaces"},
			{Code: "Q9"},
		},
	}
	if diff := cmp.Diff(want, FromConsultation(c)); diff != "" {
		t.Errorf("FromConsultation (-want +got):\n%s", diff)
	}
	_, answers := Split("1a) yes", FromConsultation(c))
	if len(answers) != 1 || answers[0].OptionSlug != "yes" {
		t.Errorf("answers = %v", answers)
	}
}

// Body keeps only the respondent's own words: not the reference, not the
// stated answer, not a heading alone.
func TestSegmentBody(t *testing.T) {
	target := Target{
		Questions: []Question{{Code: "Q1a", ThemeSlug: "people", Options: []Option{{Slug: "fully", Label: "Fully"}}}, {Code: "Q1b", ThemeSlug: "people"}},
		Themes:    []Theme{{Slug: "people", Title: "People and communities"}},
	}
	segs, _ := Split("Q1a: Fully\n\nQ1b) Because.\n\nPeople and communities\n\nWe agree.\n\nQ1a - Fully. And more.", target)
	var got []string
	for _, s := range segs {
		got = append(got, s.Body)
	}
	want := []string{"", "Because.", "We agree.", "And more."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
}
