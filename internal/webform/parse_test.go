package webform

import (
	"net/url"
	"strings"
	"testing"

	"heard/internal/consultation"
)

const MaxAnswerChars = consultation.MaxAnswerChars

func TestParseValidatesEachField(t *testing.T) {
	f := cqc(t)
	theme, about, publishing := f.Page("people-and-communities"), f.Page("about-you"), f.Page("publishing")
	ptr := func(s string) *string { return &s }
	for _, c := range []struct {
		name    string
		page    *Page
		in      url.Values
		saves   map[string]*string // keys checked; nil means cleared
		problem string             // "" means none
	}{
		{"nothing is required", theme, url.Values{}, map[string]*string{"Q1a": nil, "Q1b": nil}, ""},
		{"an answer and its reason", theme, url.Values{"q-Q1a": {"mostly"}, "q-Q1b": {"Because."}},
			map[string]*string{"Q1a": ptr("mostly"), "Q1b": ptr("Because.")}, ""},
		{"an option not on the scale is refused and not saved", theme, url.Values{"q-Q1a": {"hugely"}},
			map[string]*string{}, "Select one of the answers listed"},
		{"whitespace is no answer", theme, url.Values{"q-Q1b": {" \r\n\t "}}, map[string]*string{"Q1b": nil}, ""},
		{"line breaks count once", theme, url.Values{"q-Q1b": {strings.Repeat("a\r\n", MaxAnswerChars/2)}},
			map[string]*string{"Q1b": ptr(strings.Repeat("a\n", MaxAnswerChars/2))}, ""},
		{"exactly at the limit", theme, url.Values{"q-Q1b": {strings.Repeat("é", MaxAnswerChars)}},
			map[string]*string{"Q1b": ptr(strings.Repeat("é", MaxAnswerChars))}, ""},
		{"over the limit is refused but saved", theme, url.Values{"q-Q1b": {strings.Repeat("x", MaxAnswerChars+1)}},
			map[string]*string{"Q1b": ptr(strings.Repeat("x", MaxAnswerChars+1))},
			"Your answer must be 20,000 characters or fewer. It is 20,001 characters now"},
		// One rule for every channel (consultation.AnswerChars): an emoji,
		// outside the Basic Multilingual Plane, is one character.
		{"20,000 emoji are at the limit", theme, url.Values{"q-Q1b": {strings.Repeat("😀", MaxAnswerChars)}},
			map[string]*string{"Q1b": ptr(strings.Repeat("😀", MaxAnswerChars))}, ""},
		{"20,001 emoji are one over", theme, url.Values{"q-Q1b": {strings.Repeat("😀", MaxAnswerChars+1)}},
			map[string]*string{}, "It is 20,001 characters now"},
		{"NUL bytes and bad UTF-8 are dropped", theme, url.Values{"q-Q1b": {"a\x00b\xffc"}}, map[string]*string{"Q1b": ptr("ab\uFFFDc")}, ""},
		{"an organisation needs its name", about, url.Values{"respondent-type": {"organisation"}},
			map[string]*string{"@respondent-type": ptr("organisation")}, "Enter the name of your organisation"},
		{"an organisation's name is tidied", about, url.Values{"respondent-type": {"organisation"}, "organisation": {"  Carers\r\n Together "}, "group": {"public"}},
			map[string]*string{"@organisation": ptr("Carers Together"), "@group": ptr("public")}, ""},
		{"a group not in the definition", about, url.Values{"group": {"aliens"}}, map[string]*string{}, "Select one of the answers listed"},
		{"publication consent is required", publishing, url.Values{}, map[string]*string{"@consent": nil}, "Select whether we may publish your response"},
		{"publication consent", publishing, url.Values{"consent": {"no"}}, map[string]*string{"@consent": ptr("no")}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			patch, errs := f.Parse(c.page, c.in)
			for k, want := range c.saves {
				got, ok := patch[k]
				if !ok || (got == nil) != (want == nil) || (got != nil && *got != *want) {
					t.Errorf("saves %s = %v (present %v), want %v", k, deref(got), ok, deref(want))
				}
			}
			if c.name == "an option not on the scale is refused and not saved" {
				if _, ok := patch["Q1a"]; ok {
					t.Error("an impossible option was saved")
				}
			}
			switch {
			case c.problem == "" && len(errs) > 0:
				t.Errorf("unexpected problems: %v", errs)
			case c.problem != "" && (len(errs) != 1 || !strings.Contains(errs[0].Message, c.problem)):
				t.Errorf("problems %v, want one containing %q", errs, c.problem)
			case len(errs) == 1 && errs[0].Page != c.page.Slug:
				t.Errorf("problem on page %q, want %q", errs[0].Page, c.page.Slug)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	if len(*s) > 20 {
		return (*s)[:20] + "…"
	}
	return *s
}

// A question the definition marks required must be answered.
func TestRequiredQuestions(t *testing.T) {
	f := cqc(t)
	p := f.Page("people-and-communities")
	p.Questions[0].Required, p.Questions[1].Required = true, true
	_, errs := f.Parse(p, url.Values{})
	if len(errs) != 2 || errs[0].Field != "q-Q1a" || !strings.HasPrefix(errs[0].Message, "Select an answer to: To what extent") ||
		errs[1].Field != "q-Q1b" || !strings.HasPrefix(errs[1].Message, "Enter an answer to:") {
		t.Errorf("required and unanswered: %v", errs)
	}
	// Check goes through every page of a draft.
	d := &Draft{Answers: map[string]string{"Q1a": "fully", "@consent": "yes"}}
	if errs := f.Check(d); len(errs) != 1 || errs[0].Page != "people-and-communities" || errs[0].Field != "q-Q1b" {
		t.Errorf("Check = %v, want only Q1b missing", errs)
	}
}
