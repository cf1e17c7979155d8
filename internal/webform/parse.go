package webform

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"heard/internal/consultation"
)

// Parse reads page p's fields from in. It returns what to save in the
// draft, by draft key (nil clears a stored answer), and the problems to
// show. Every question is optional unless the definition marks it
// required. Text that is too long is still saved, so nothing typed is
// ever lost; a value no one could have chosen (an option not on the
// scale) is not.
func (f *Form) Parse(p *Page, in url.Values) (map[string]*string, []FieldError) {
	patch := map[string]*string{}
	var errs []FieldError
	fail := func(field, msg string) {
		errs = append(errs, FieldError{Page: p.Slug, Field: field, Message: msg})
	}
	for _, q := range p.Questions {
		name := FieldName(q)
		raw := in.Get(name)
		if q.Closed() {
			switch {
			case raw == "":
				patch[q.Code] = nil
				if q.Required {
					fail(name, "Select an answer to: "+q.Prompt)
				}
			case optionBySlug(q, raw) == nil:
				fail(name, "Select one of the answers listed")
			default:
				patch[q.Code] = &raw
			}
			continue
		}
		text := normalise(raw)
		if text == "" {
			patch[q.Code] = nil
			if q.Required {
				fail(name, "Enter an answer to: "+q.Prompt)
			}
			continue
		}
		patch[q.Code] = &text
		if n, over := consultation.AnswerTooLong(text); over {
			fail(name, tooLong("Your answer", consultation.MaxAnswerChars, n))
		}
	}
	switch p.Kind {
	case AboutYouPage:
		errs = append(errs, f.parseAboutYou(p, in, patch)...)
	case PublishingPage:
		switch v := in.Get(FieldConsent); {
		case choiceLabel(ConsentChoices, v) != "":
			patch[key(FieldConsent)] = &v
		case v == "":
			patch[key(FieldConsent)] = nil
			fail(FieldConsent, "Select whether we may publish your response")
		default:
			fail(FieldConsent, "Select one of the answers listed")
		}
	}
	return patch, errs
}

func (f *Form) parseAboutYou(p *Page, in url.Values, patch map[string]*string) []FieldError {
	var errs []FieldError
	fail := func(field, msg string) {
		errs = append(errs, FieldError{Page: p.Slug, Field: field, Message: msg})
	}
	kind := in.Get(FieldRespondentType)
	switch {
	case kind == "":
		patch[key(FieldRespondentType)] = nil
	case choiceLabel(RespondentTypes, kind) == "":
		fail(FieldRespondentType, "Select one of the answers listed")
	default:
		patch[key(FieldRespondentType)] = &kind
	}
	// An organisation's name only means something with "on behalf of an
	// organisation"; it is kept (not cleared) if they switch, as typed text.
	org := strings.Join(strings.Fields(normalise(in.Get(FieldOrganisation))), " ")
	if org == "" {
		patch[key(FieldOrganisation)] = nil
	} else {
		patch[key(FieldOrganisation)] = &org
	}
	if kind == "organisation" {
		if org == "" {
			fail(FieldOrganisation, "Enter the name of your organisation")
		} else if n := utf8.RuneCountInString(org); n > MaxOrganisationChars {
			fail(FieldOrganisation, tooLong("The name of your organisation", MaxOrganisationChars, n))
		}
	}
	switch g := in.Get(FieldGroup); {
	case g == "":
		patch[key(FieldGroup)] = nil
	case f.C.Group(g) == nil:
		fail(FieldGroup, "Select one of the answers listed")
	default:
		patch[key(FieldGroup)] = &g
	}
	return errs
}

// OptionLabel is the label of option slug on q's scale, or "".
func OptionLabel(q *consultation.Question, slug string) string {
	if o := optionBySlug(q, slug); o != nil {
		return o.Label
	}
	return ""
}
