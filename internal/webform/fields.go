package webform

import (
	"fmt"
	"net/url"
	"strings"

	"heard/internal/consultation"
)

// Names of the form fields that are not questions. A question's field
// is FieldName(q); the "q-" prefix keeps the two apart.
const (
	FieldRespondentType = "respondent-type"
	FieldOrganisation   = "organisation"
	FieldGroup          = "group"
	FieldConsent        = "consent"
	// FieldHoneypot is a text box hidden from people (off-screen,
	// aria-hidden, out of the tab order): only bots fill it in.
	FieldHoneypot = "website"
)

// FieldName is the form field (and element id) of question q.
func FieldName(q *consultation.Question) string { return "q-" + q.Code }

// A draft stores question answers under their code and the other fields
// under "@" + field name, which no question code can start with.
func key(field string) string { return "@" + field }

// Choice is one option of a field that is not a question.
type Choice struct {
	Value, Label, Hint string
}

// RespondentTypes answer "Are you responding as an individual or on
// behalf of an organisation?".
var RespondentTypes = []Choice{
	{Value: "individual", Label: "As an individual"},
	{Value: "organisation", Label: "On behalf of an organisation"},
}

// ConsentChoices answer "May we publish your response?".
var ConsentChoices = []Choice{
	{Value: "yes", Label: "Yes, you may publish my response and quote from it",
		Hint: "Quotes never name you. If you are responding for an organisation, we may name the organisation."},
	{Value: "no", Label: "No, do not publish or quote my response",
		Hint: "We will still read it and count it in the results."},
}

func choiceLabel(cs []Choice, v string) string {
	for _, c := range cs {
		if c.Value == v {
			return c.Label
		}
	}
	return ""
}

// FieldError is one problem with one field of one page.
type FieldError struct {
	Page    string // slug of the page the field is on
	Field   string // the input's id
	Message string
}

// normalise makes typed text storable and countable: browsers send line
// breaks as CRLF but count them as one character; NUL bytes and invalid
// UTF-8 cannot be stored. Whitespace alone is no answer.
func normalise(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// Values returns what draft d holds for page p, as form values: what a
// page shows, and what Check validates.
func (f *Form) Values(p *Page, d *Draft) url.Values {
	v := url.Values{}
	if d == nil {
		return v
	}
	set := func(field, k string) {
		if s, ok := d.Answers[k]; ok {
			v.Set(field, s)
		}
	}
	for _, q := range p.Questions {
		set(FieldName(q), q.Code)
	}
	switch p.Kind {
	case AboutYouPage:
		for _, field := range []string{FieldRespondentType, FieldOrganisation, FieldGroup} {
			set(field, key(field))
		}
	case PublishingPage:
		set(FieldConsent, key(FieldConsent))
	}
	return v
}

// Check validates a whole draft, page by page, as a submission needs.
func (f *Form) Check(d *Draft) []FieldError {
	var errs []FieldError
	for _, p := range f.Pages {
		_, e := f.Parse(p, f.Values(p, d))
		errs = append(errs, e...)
	}
	return errs
}

func optionBySlug(q *consultation.Question, slug string) *consultation.Option {
	if q.Scale == nil {
		return nil
	}
	for _, o := range q.Scale.Options {
		if o.Slug == slug {
			return o
		}
	}
	return nil
}

func tooLong(what string, limit, n int) string {
	return fmt.Sprintf("%s must be %s characters or fewer. It is %s characters now", what, thousands(limit), thousands(n))
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
