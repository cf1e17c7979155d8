package segment

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cqc is the CQC 2021 consultation as a Target: Q1a–Q6a closed on the
// support scale, Q1b–Q6b and Q7 open.
func cqc() Target {
	support := []Option{{"fully", "Fully"}, {"mostly", "Mostly"}, {"partially", "Partially"},
		{"not-at-all", "Not at all"}, {"dont-know", "Don't know"}}
	t := Target{Themes: []Theme{
		{Slug: "people-and-communities", Title: "People and communities"},
		{Slug: "smarter-regulation", Title: "Smarter regulation"},
		{Slug: "safety-through-learning", Title: "Safety through learning"},
		{Slug: "accelerating-improvement", Title: "Accelerating improvement"},
		{Slug: "assessing-systems", Title: "Core ambition: assessing health and care systems"},
		{Slug: "tackling-inequalities", Title: "Core ambition: tackling inequalities in health and care"},
		{Slug: "equality-impact", Title: "Draft equality and human rights impact assessment"},
	}}
	for i, th := range t.Themes[:6] {
		n := string(rune('1' + i))
		t.Questions = append(t.Questions,
			Question{Code: "Q" + n + "a", ThemeSlug: th.Slug, Options: support},
			Question{Code: "Q" + n + "b", ThemeSlug: th.Slug})
	}
	t.Questions = append(t.Questions, Question{Code: "Q7", ThemeSlug: "equality-impact"})
	return t
}

// checkOffsets asserts every segment and answer points at its own text.
func checkOffsets(t *testing.T, text string, segs []Segment, answers []ClosedAnswer) {
	t.Helper()
	for i, s := range segs {
		if s.Start < 0 || s.End > len(text) || s.Start > s.End || text[s.Start:s.End] != s.Text {
			t.Errorf("segment %d: text[%d:%d] = %q, Text = %q", i, s.Start, s.End, text[max(0, s.Start):min(len(text), s.End)], s.Text)
		}
		if i > 0 && s.Start < segs[i-1].End {
			t.Errorf("segment %d overlaps the one before", i)
		}
	}
	for i, a := range answers {
		if a.Start < 0 || a.End > len(text) || a.Start >= a.End {
			t.Errorf("answer %d: bad offsets %d:%d", i, a.Start, a.End)
		}
	}
}

// got is a segment in short: its attribution and first line.
type got struct{ Code, Theme, How, First string }

func summarise(segs []Segment) []got {
	var out []got
	for _, s := range segs {
		first, _, _ := strings.Cut(s.Text, "\n")
		out = append(out, got{s.QuestionCode, s.ThemeSlug, s.How, strings.TrimSpace(first)})
	}
	return out
}

func TestSplitLetterByThemeHeadings(t *testing.T) {
	b, err := os.ReadFile("testdata/letter.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, eol := range []string{"\n", "\r\n"} {
		text := strings.ReplaceAll(string(b), "\n", eol)
		segs, answers := Split(text, cqc())
		checkOffsets(t, text, segs, answers)
		want := []got{
			{"", "", HowNone, "Carers Together"},
			{"", "people-and-communities", HowTheme, "1. People and communities"},
			{"", "smarter-regulation", HowTheme, "SMARTER REGULATION"},
			{"", "safety-through-learning", HowTheme, "Safety through learning"},
			{"", "accelerating-improvement", HowTheme, "Theme 4 – Accelerating improvement"},
			{"", "assessing-systems", HowTheme, "Core ambition: assessing health and care systems"},
			{"", "tackling-inequalities", HowTheme, "Tackling inequalities: this is the area that matters most to our members."},
			{"", "equality-impact", HowTheme, "Equality impact assessment"},
			{"", "", HowNone, "Conclusion"},
		}
		if diff := cmp.Diff(want, summarise(segs)); diff != "" {
			t.Errorf("eol %q: segments (-want +got):\n%s", eol, diff)
		}
		if len(answers) != 0 {
			t.Errorf("eol %q: closed answers from a letter that states none: %v", eol, answers)
		}
		// Sections run to the next heading and keep their later paragraphs.
		if s := segs[6].Text; !strings.HasSuffix(s, "reflect the whole community.") {
			t.Errorf("tackling inequalities section = %q", s)
		}
		if s := segs[3].Text; !strings.Contains(s, "2. the lack of mention of safeguarding.") {
			t.Errorf("numbered list split off its section: %q", s)
		}
		if last := segs[len(segs)-1]; !last.General || !strings.HasSuffix(last.Text, "Chief Executive, Carers Together") {
			t.Errorf("last segment = %+v", last)
		}
	}
}

func TestSplitQuestionReferences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []got
	}{
		{"Q3a with colon", "Q3a: we have no view on the scale.", []got{{"Q3a", "safety-through-learning", HowQuestion, "Q3a: we have no view on the scale."}}},
		{"lower case q and space", "q 2b we think inspections should stay.", []got{{"Q2b", "smarter-regulation", HowQuestion, "q 2b we think inspections should stay."}}},
		{"Question 3a", "Question 3a\nSafety matters.", []got{{"Q3a", "safety-through-learning", HowQuestion, "Question 3a"}}},
		{"Question 3 names the theme", "Question 3 - our comments follow.", []got{{"", "safety-through-learning", HowQuestion, "Question 3 - our comments follow."}}},
		{"Q7 has one question", "Q7. The assessment is thorough.", []got{{"Q7", "equality-impact", HowQuestion, "Q7. The assessment is thorough."}}},
		{"bare 3b)", "3b) Staff views matter.", []got{{"Q3b", "safety-through-learning", HowQuestion, "3b) Staff views matter."}}},
		{"bare 4b.", "  4b. More support for providers.", []got{{"Q4b", "accelerating-improvement", HowQuestion, "4b. More support for providers."}}},
		{"markdown bullet", "- **Q5b** systems are complex", []got{{"Q5b", "assessing-systems", HowQuestion, "- **Q5b** systems are complex"}}},
		{"unknown question is plain text", "Q9a: something", []got{{"", "", HowNone, "Q9a: something"}}},
		{"numbered list is not a reference", "Points:\n\n1. staff\n2. data", []got{{"", "", HowNone, "Points:"}}},
		{"reference mid-sentence is not a marker", "As in Q3a, we agree.", []got{{"", "", HowNone, "As in Q3a, we agree."}}},
		{"references on consecutive lines", "Intro.\nQ1b: people first\nmore on people\nQ2b: less paperwork",
			[]got{{"", "", HowNone, "Intro."}, {"Q1b", "people-and-communities", HowQuestion, "Q1b: people first"},
				{"Q2b", "smarter-regulation", HowQuestion, "Q2b: less paperwork"}}},
		{"paragraphs continue the question", "Q6b\r\n\r\nFirst point.\r\n\r\nSecond point.\r\n",
			[]got{{"Q6b", "tackling-inequalities", HowQuestion, "Q6b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs, answers := Split(tt.text, cqc())
			checkOffsets(t, tt.text, segs, answers)
			if diff := cmp.Diff(tt.want, summarise(segs)); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
			if len(answers) != 0 {
				t.Errorf("unexpected closed answers %v", answers)
			}
		})
	}
	segs, _ := Split("Q6b\r\n\r\nFirst point.\r\n\r\nSecond point.\r\n", cqc())
	if segs[0].Text != "Q6b\r\n\r\nFirst point.\r\n\r\nSecond point." {
		t.Errorf("CRLF segment text = %q", segs[0].Text)
	}
}

// HTML turned to text underlines headings with rules; a rule neither
// hides the heading nor becomes a segment of its own.
func TestSplitHeadingBetweenRules(t *testing.T) {
	text := "------------------\nSmarter regulation\n------------------\n\nWe welcome more use of data.\n\n=====\nSafety through learning\n=====\nLearning matters."
	segs, _ := Split(text, cqc())
	if len(segs) != 2 || segs[0].ThemeSlug != "smarter-regulation" || segs[1].ThemeSlug != "safety-through-learning" {
		t.Fatalf("segments = %+v", segs)
	}
	for _, s := range segs {
		if text[s.Start:s.End] != s.Text {
			t.Errorf("offsets of %q are wrong", s.Text)
		}
	}
	if !strings.Contains(segs[0].Text, "We welcome more use of data.") || strings.Contains(segs[1].Text, "data") {
		t.Errorf("text split wrongly: %q | %q", segs[0].Text, segs[1].Text)
	}
}
