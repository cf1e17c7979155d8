package webform

import (
	"time"

	"heard/internal/ingest"
)

// Section is one page's answers, for "check your answers" and the
// respondent's copy.
type Section struct {
	Page *Page
	Rows []Row
}

// Row is one answer as the respondent sees it.
type Row struct {
	Field    string // the input's id on the page, for change links
	Key      string // the question
	Value    string // the answer; "" when not answered
	FreeText bool   // typed text: keep its line breaks
}

// Summary lays out draft d's answers page by page.
func (f *Form) Summary(d *Draft) []Section {
	out := make([]Section, 0, len(f.Pages))
	for _, p := range f.Pages {
		sec := Section{Page: p}
		for _, q := range p.Questions {
			v := d.Answers[q.Code]
			if q.Closed() {
				v = OptionLabel(q, v)
			}
			sec.Rows = append(sec.Rows, Row{Field: FieldName(q), Key: q.Prompt, Value: v, FreeText: !q.Closed()})
		}
		switch p.Kind {
		case AboutYouPage:
			kind := d.Answers[key(FieldRespondentType)]
			sec.Rows = append(sec.Rows, Row{Field: FieldRespondentType, Key: "Are you responding as an individual or on behalf of an organisation?",
				Value: choiceLabel(RespondentTypes, kind)})
			if kind == "organisation" {
				sec.Rows = append(sec.Rows, Row{Field: FieldOrganisation, Key: "Name of the organisation", Value: d.Answers[key(FieldOrganisation)]})
			}
			group := ""
			if g := f.C.Group(d.Answers[key(FieldGroup)]); g != nil {
				group = g.Label
			}
			sec.Rows = append(sec.Rows, Row{Field: FieldGroup, Key: GroupQuestion, Value: group})
		case PublishingPage:
			sec.Rows = append(sec.Rows, Row{Field: FieldConsent, Key: ConsentQuestion,
				Value: choiceLabel(ConsentChoices, d.Answers[key(FieldConsent)])})
		}
		out = append(out, sec)
	}
	return out
}

// The wording of the questions that are not in the definition.
const (
	GroupQuestion   = "Which of these best describes you?"
	ConsentQuestion = "May we publish your response?"
)

// response turns a checked draft into the response ingest stores.
func (f *Form) response(d *Draft, at time.Time) ingest.Response {
	r := ingest.Response{SourceRef: d.Reference, Channel: "webform", ReceivedAt: at}
	if g := f.C.Group(d.Answers[key(FieldGroup)]); g != nil {
		r.GroupID = &g.ID
	}
	if d.Answers[key(FieldRespondentType)] == "organisation" {
		r.OnBehalfOfOrg = true
		r.Organisation = d.Answers[key(FieldOrganisation)]
	}
	for _, q := range f.C.Questions {
		v, ok := d.Answers[q.Code]
		if !ok {
			continue
		}
		a := ingest.Answer{QuestionID: q.ID}
		if q.Closed() {
			o := optionBySlug(q, v)
			if o == nil {
				continue // Check has refused this already
			}
			a.OptionID = &o.ID
		} else {
			a.Text = &v
		}
		r.Answers = append(r.Answers, a)
	}
	return r
}
