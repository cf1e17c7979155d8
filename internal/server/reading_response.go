package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// readingRoutes are the analysts' reading pages: whole responses, a
// theme's letter segments, the letters list. Question pages list answers
// themselves (results.go, reading.go).
func (s *Server) readingRoutes(r chi.Router) {
	s.handle(r, "GET", "/consultations/{slug}/responses/{id}", AnalystOnly, s.response)
	s.handle(r, "GET", "/consultations/{slug}/themes/{theme}/letters", AnalystOnly, s.themeList)
	s.handle(r, "GET", "/consultations/{slug}/letters", AnalystOnly, s.letters)
	s.handle(r, "POST", "/consultations/{slug}/letters/{id}/respondent", AnalystOnly, s.setLetterRespondent)
}

func (s *Server) response(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.fail(w, r, results.ErrResponseNotFound)
		return
	}
	resp, err := s.Results.Response(r.Context(), c, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	v := web.ResponseView{
		Page: s.page(r, "Response "+resp.Ref, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base}),
		Ref:  resp.Ref, Letter: resp.Letter,
		PersonalHref: responseHref(c, resp.ID) + "/personal-data",
	}
	if resp.Letter {
		v.LetterHref = fmt.Sprintf("%s/letters/%d", base, resp.ID)
		v.Respondent = web.RespondentForm{Action: v.LetterHref + "/respondent", Organisation: resp.Organisation}
		v.Respondent.Groups = append(v.Respondent.Groups, web.Choice{Value: "", Label: "Group not known", Checked: resp.GroupID == 0})
		for _, g := range c.Groups {
			v.Respondent.Groups = append(v.Respondent.Groups, web.Choice{Value: g.Slug, Label: g.Label, Checked: g.ID == resp.GroupID})
		}
		if r.URL.Query().Get("saved") == "respondent" {
			v.Respondent.Notice = "Respondent group and organisation saved; the counts include the change"
		}
	}
	v.Summary = responseSummary(c, resp)
	for _, a := range resp.Answers {
		av := web.ResponseAnswerView{Code: a.Question.Code, Prompt: a.Question.Prompt, Open: !a.Question.Closed(), Answer: a.Text, Coding: unitCodingView(a.Coding)}
		if a.Option != nil {
			av.Answer = a.Option.Label
		}
		v.Answers = append(v.Answers, av)
	}
	n := 0
	for _, sg := range resp.Segments {
		sv := web.SegmentView{Text: sg.Text, Plain: sg.Plain, Coding: unitCodingView(sg.Coding)}
		if !sg.Plain {
			n++
			sv.N = n
			switch {
			case sg.Question != nil:
				sv.Attribution = "question " + sg.Question.Code
			case sg.Theme != nil:
				sv.Attribution = "theme " + sg.Theme.Title
			default:
				sv.Attribution = "general comments"
			}
		}
		v.Segments = append(v.Segments, sv)
	}
	if a := resp.Added; a != nil {
		v.AddedText, v.AddedFrame, v.AddedHref, v.AddedCoding = a.Text, a.QuestionCode, addedCodingHref(c, a.ID), unitCodingView(a.Coding)
	}
	if err := s.responseNeighbours(r, c, &v); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.Response(v))
}

func responseSummary(c *consultation.Consultation, resp *results.Response) []web.SummaryRow {
	base := "/consultations/" + c.Slug
	group := groupLabels(c)[resp.GroupID]
	as := "An individual"
	if resp.OnBehalf {
		as = "On behalf of an organisation"
		if resp.Organisation != "" {
			as += ": " + resp.Organisation
		}
	}
	rows := []web.SummaryRow{
		{Key: "Channel", Value: results.ChannelLabel(resp.Channel)},
		{Key: "Respondent group", Value: group},
		{Key: "Responding as", Value: as},
		{Key: "Received", Value: resp.Received.In(results.London).Format("2 January 2006 at 3:04pm")},
	}
	if resp.EventID != 0 {
		rows = append(rows, web.SummaryRow{Key: "Event", Value: resp.EventName, Href: fmt.Sprintf("%s/events/%d", base, resp.EventID)})
	}
	consent := "Not asked (not a webform response)"
	switch {
	case resp.Consent == "yes":
		consent = "Yes: may be published and quoted"
	case resp.Consent == "no":
		consent = "No: not for publication, do not quote"
	case resp.Channel == "webform":
		consent = "Not given: do not quote"
	}
	rows = append(rows, web.SummaryRow{Key: "Publication consent", Value: consent})
	if resp.BatchFile != "" {
		rows = append(rows, web.SummaryRow{Key: "Import batch", Value: resp.BatchFile})
	}
	if resp.Letter {
		rows = append(rows, web.SummaryRow{Key: "Subject", Value: resp.Subject})
	}
	return rows
}

func unitCodingView(c results.Coding) web.UnitCodingView {
	v := web.UnitCodingView{Note: c.Note}
	for _, cd := range c.Codes {
		label := cd.Code + ": " + cd.Name
		if cd.Position != "" {
			label += " (" + cd.Position + ")"
		}
		v.Codes = append(v.Codes, label)
	}
	if c.NoCode {
		v.Flags = append(v.Flags, "No code applies")
	}
	if c.Quote {
		v.Flags = append(v.Flags, "Quote")
	}
	if c.Evidence {
		v.Flags = append(v.Flags, "Evidence-rich")
	}
	return v
}

// responseNeighbours sets the previous and next links when the page was
// opened from a list: list=Q1b (or theme=slug), at=position, and the
// list's filter and sort.
func (s *Server) responseNeighbours(r *http.Request, c *consultation.Consultation, v *web.ResponseView) error {
	qv := r.URL.Query()
	at, _ := strconv.Atoi(qv.Get("at"))
	if at < 1 {
		return nil
	}
	f, err := results.ParseFilter(c, qv)
	if err != nil {
		return err
	}
	sort, _, err := listQuery(r)
	if err != nil {
		return err
	}
	base := listValues(c, f, sort)
	var prev, next int64
	var kind, name string
	switch {
	case qv.Get("list") != "":
		q := c.Question(qv.Get("list"))
		if q == nil || q.Closed() {
			return errQuestionNotFound
		}
		kind, name = "list", q.Code
		v.ListLabel = "the answers to " + q.Code
		v.ListHref = withQuery("/consultations/"+c.Slug+"/questions/"+q.Code, withPage(base, at))
		prev, next, err = s.Results.Neighbours(r.Context(), c, q, f, sort, at)
	case qv.Get("theme") != "":
		t := themeBySlug(c, qv.Get("theme"))
		if t == nil {
			return errThemeNotFound
		}
		kind, name = "theme", t.Slug
		v.ListLabel = "the letters on " + t.Title
		v.ListHref = withQuery("/consultations/"+c.Slug+"/themes/"+t.Slug+"/letters", withPage(base, at))
		prev, next, err = s.Results.SegmentNeighbours(r.Context(), c, t, f, sort, at)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	if prev != 0 {
		v.PrevHref = withQuery(responseHref(c, prev), inList(base, kind, name, at-1))
	}
	if next != 0 {
		v.NextHref = withQuery(responseHref(c, next), inList(base, kind, name, at+1))
	}
	return nil
}

// withPage is base with the page that holds position at.
func withPage(base url.Values, at int) url.Values {
	v := url.Values{}
	for k, vs := range base {
		v[k] = vs
	}
	if p := (at-1)/results.PageSize + 1; p > 1 {
		v.Set("page", strconv.Itoa(p))
	}
	return v
}

func themeBySlug(c *consultation.Consultation, slug string) *consultation.Theme {
	for _, t := range c.Themes {
		if t.Slug == slug {
			return t
		}
	}
	return nil
}
