package server

import (
	"net/url"

	"github.com/a-h/templ"

	"heard/internal/consultation"
	"heard/internal/webform"
	"heard/web"
)

// pageView turns a page of the form, its values and problems into the
// view the template renders.
func pageView(frame web.Page, st pageState) templ.Component {
	base := respondBase(st.f.C.Slug)
	v := web.RespondPageView{
		Page: frame, Caption: st.f.C.Title, Heading: st.p.Title, Action: base + "/" + st.p.Slug,
		BackHref: base, Return: st.ret, Unsaved: st.unsaved,
	}
	if prev := st.f.Prev(st.p); prev != "" {
		v.BackHref = base + "/" + prev
	}
	if st.ret == "check" {
		v.BackHref = base + "/check"
	}
	msg := map[string]string{}
	for _, e := range st.errs {
		v.Errors = append(v.Errors, web.FieldError{Field: e.Field, Message: e.Message})
		msg[e.Field] = e.Message
	}
	size := "m"
	switch st.p.Kind {
	case webform.EqualityPage:
		size = "s"
		v.Intro = []string{
			"These questions are optional. You can choose “Prefer not to say” or leave any of them blank.",
			"We ask them to check that we hear from all parts of the community, as public bodies must under the Equality Act 2010. The answers are only reported as totals.",
		}
	case webform.ThemePage:
		if len(st.p.Questions) > 0 && st.p.Questions[0].Theme != nil {
			t := st.p.Questions[0].Theme
			v.ThemeSummary, v.ProposalURL, v.ThemeTitle = t.Summary, t.ProposalURL, t.Title
		}
	case webform.AboutYouPage:
		aboutYou(st.f, &v, st.values, msg)
	case webform.PublishingPage:
		v.Heading = ""
		v.Questions = []web.RespondQuestion{choiceField(webform.FieldConsent, webform.ConsentQuestion,
			"Please answer this question: it tells us how we may use your response.", webform.ConsentChoices, st.values, msg)}
		v.Questions[0].Heading = true
	}
	for _, q := range st.p.Questions {
		v.Questions = append(v.Questions, questionField(q, st.values, msg, size))
	}
	return web.RespondPage(v)
}

func questionField(q *consultation.Question, values url.Values, msg map[string]string, size string) web.RespondQuestion {
	name := webform.FieldName(q)
	f := web.RespondQuestion{Name: name, Prompt: q.Prompt, Hint: q.Hint, Error: msg[name], Size: size, Value: values.Get(name)}
	if !q.Closed() {
		f.Size, f.MaxLength = "s", consultation.MaxAnswerChars
		return f
	}
	opts := q.Scale.Options
	for i, o := range opts {
		f.Options = append(f.Options, web.Choice{
			Value: o.Slug, Label: o.Label, Checked: o.Slug == f.Value,
			// "Don't know" and "Prefer not to say" stand apart, as GOV.UK does.
			Divider: o.NoView && i == len(opts)-1 && len(opts) > 2,
		})
	}
	return f
}

func choiceField(name, prompt, hint string, cs []webform.Choice, values url.Values, msg map[string]string) web.RespondQuestion {
	f := web.RespondQuestion{Name: name, Prompt: prompt, Hint: hint, Error: msg[name], Size: "m"}
	for _, c := range cs {
		f.Options = append(f.Options, web.Choice{Value: c.Value, Label: c.Label, Hint: c.Hint, Checked: values.Get(name) == c.Value})
	}
	return f
}

// aboutYou asks who is responding. The organisation's name follows the
// question as a field of its own, not a conditional reveal: GOV.UK's
// reveal script puts aria-expanded on radio buttons, which is not valid
// ARIA, and a plain field works the same with and without JavaScript.
func aboutYou(f *webform.Form, v *web.RespondPageView, values url.Values, msg map[string]string) {
	kind := choiceField(webform.FieldRespondentType, "Are you responding as an individual or on behalf of an organisation?", "",
		webform.RespondentTypes, values, msg)
	v.Questions = append(v.Questions, kind)
	v.OrganisationAfter, v.Organisation, v.OrganisationError = kind.Name, values.Get(webform.FieldOrganisation), msg[webform.FieldOrganisation]
	if len(f.C.Groups) == 0 {
		return
	}
	groups := make([]webform.Choice, len(f.C.Groups))
	for i, g := range f.C.Groups {
		groups[i] = webform.Choice{Value: g.Slug, Label: g.Label}
	}
	v.Questions = append(v.Questions, choiceField(webform.FieldGroup, webform.GroupQuestion,
		"If you are responding for an organisation, choose what best describes the organisation.", groups, values, msg))
}

// sections turns a draft's summary into the view's, with change links
// when changeBase is set.
func sections(f *webform.Form, d *webform.Draft, changeBase string) []web.RespondSection {
	var out []web.RespondSection
	for _, s := range f.Summary(d) {
		sec := web.RespondSection{Title: s.Page.Title}
		for _, r := range s.Rows {
			row := web.RespondRow{Key: r.Key, Value: r.Value, FreeText: r.FreeText}
			if changeBase != "" {
				row.ChangeHref = changeBase + "/" + s.Page.Slug + "?return=check#" + r.Field
			}
			sec.Rows = append(sec.Rows, row)
		}
		out = append(out, sec)
	}
	return out
}
