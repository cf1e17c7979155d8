package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"heard/internal/consultation"
	"heard/internal/ingest"
	"heard/internal/results"
	"heard/web"
)

// The analysts' answer lists: a question's open answers (and, in
// reading_theme.go, a theme's letter segments) under every filter, with
// search, sort and numbered pages. Each answer links to its whole
// response, carrying the list in its URL so the response page can step
// to the previous and next answer of the same list.

// listQuery reads the list's own parameters beside the filter.
func listQuery(r *http.Request) (sort string, page int, err error) {
	q := r.URL.Query()
	sort = q.Get("sort")
	if sort != "" && sort != results.SortReceived && sort != results.SortLength {
		return "", 0, &results.FilterError{Param: "sort", Value: sort}
	}
	page = 1
	if p := q.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			return "", 0, errBadPage
		}
	}
	return sort, page, nil
}

// listValues is the filter and sort as query parameters: a link that
// reproduces the list (without the page).
func listValues(c *consultation.Consultation, f results.Filter, sort string) url.Values {
	v := f.Values(c)
	if sort != "" && sort != results.SortReceived {
		v.Set("sort", sort)
	}
	return v
}

// questionList fills the open question page's list of answers.
func (s *Server) questionList(r *http.Request, c *consultation.Consultation, q *consultation.Question, f results.Filter, path string, v *web.QuestionView) error {
	sort, page, err := listQuery(r)
	if err != nil {
		return err
	}
	if v.ListFilter, err = s.listFilterView(r, c, q, nil, f, sort, path); err != nil {
		return err
	}
	l, err := s.Results.ListAnswersAfter(r.Context(), c, q, f, sort, page, r.URL.Query().Get("after"))
	if err != nil {
		if err == results.ErrPageOutOfRange {
			return errBadPage
		}
		if err == results.ErrPageTooDeep {
			return errPageTooDeep
		}
		return err
	}
	base := listValues(c, f, sort)
	v.List = answerListView(c, l, path, base, "answers")
	for i, a := range l.Answers {
		v.List.Answers[i].Href = withQuery(responseHref(c, a.ResponseID), inList(base, "list", q.Code, (page-1)*results.PageSize+i+1))
	}
	v.FilteredBeyondCounts = !f.Summarised()
	return nil
}

// inList is a response link's list context: the list's parameters, which
// list (list=Q1b or theme=slug) and the answer's position in it.
func inList(base url.Values, kind, name string, at int) url.Values {
	v := url.Values{}
	for k, vs := range base {
		v[k] = vs
	}
	v.Set(kind, name)
	v.Set("at", strconv.Itoa(at))
	return v
}

func responseHref(c *consultation.Consultation, id int64) string {
	return fmt.Sprintf("/consultations/%s/responses/%d", c.Slug, id)
}

// answerListView turns a list page into its view; answers' Href is left
// to the caller.
func answerListView(c *consultation.Consultation, l results.AnswerList, path string, base url.Values, what string) web.AnswerListView {
	groups := groupLabels(c)
	v := web.AnswerListView{Showing: showing(l, what)}
	for _, a := range l.Answers {
		v.Answers = append(v.Answers, web.ListedAnswerView{
			Ref: strconv.FormatInt(a.ResponseID, 10), Text: a.Text, Highlighted: a.Highlighted,
			Group: groups[a.GroupID], Channel: results.ChannelLabel(a.Channel), Organisation: a.Organisation,
			Date: web.Date(a.Received.In(results.London)), Consent: consentNote(a.OpenAnswer), Quote: a.Quote,
		})
	}
	v.Pagination = pagination(l, path, base, what)
	return v
}

func groupLabels(c *consultation.Consultation) map[int32]string {
	groups := map[int32]string{0: "Group not known"}
	for _, g := range c.Groups {
		groups[g.ID] = g.Label
	}
	return groups
}

// showing is "Showing 41–60 of 653 answers".
func showing(l results.AnswerList, what string) string {
	if len(l.Answers) == 0 {
		return "No " + what + " match."
	}
	first := (l.Page-1)*results.PageSize + 1
	last := first + len(l.Answers) - 1
	of := web.Num(l.Total)
	if l.Capped {
		of = "more than " + of
	}
	return fmt.Sprintf("Showing %s–%s of %s %s", web.Num(int64(first)), web.Num(int64(last)), of, what)
}

// pagination builds GOV.UK numbered pagination: first, last, and the
// pages either side of the current one, with gaps between.
func pagination(l results.AnswerList, path string, base url.Values, what string) web.PaginationView {
	href := func(n int) string {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		// The next page of a long list starts after this page's last
		// answer rather than counting its way there (issue #10).
		if n == l.Page+1 && l.After != "" {
			v.Set("after", l.After)
		}
		return withQuery(path, v)
	}
	known := int((l.Total + results.PageSize - 1) / results.PageSize)
	last := min(max(known, l.Page), results.MaxPage)
	if l.HasNext && l.Page+1 > last {
		last = l.Page + 1
	}
	p := web.PaginationView{Label: "Pages of " + what}
	if l.Page > 1 {
		p.PrevHref = href(l.Page - 1)
	}
	if l.HasNext {
		p.NextHref = href(l.Page + 1)
	}
	if last <= 1 {
		return p
	}
	for n := 1; n <= last; n++ {
		switch {
		case n == 1 || n == last || (n >= l.Page-1 && n <= l.Page+1):
			p.Items = append(p.Items, web.PageItem{Number: n, Href: href(n), Current: n == l.Page})
		case len(p.Items) > 0 && !p.Items[len(p.Items)-1].Ellipsis:
			p.Items = append(p.Items, web.PageItem{Ellipsis: true})
		}
	}
	return p
}

// listFilterView is the filter form: q is the open question listed (nil
// for a theme's list), t the theme (nil for a question's).
func (s *Server) listFilterView(r *http.Request, c *consultation.Consultation, q *consultation.Question, t *consultation.Theme, f results.Filter, sort, action string) (web.ListFilterView, error) {
	v := web.ListFilterView{Action: action, ClearHref: action, Active: f.Active() || (sort != "" && sort != results.SortReceived), Text: f.Text, Quote: f.Quote}
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, web.Choice{Value: g.Slug, Label: g.Label, Checked: slices.Contains(f.GroupIDs, g.ID)})
	}
	for _, ch := range ingest.Channels {
		v.Channels = append(v.Channels, web.Choice{Value: ch, Label: results.ChannelLabel(ch), Checked: slices.Contains(f.Channels, ch)})
	}
	v.Respondent = []web.Choice{
		{Value: "", Label: "Anyone", Checked: f.Respondent == ""},
		{Value: results.OrgOnly, Label: "On behalf of an organisation", Checked: f.Respondent == results.OrgOnly},
		{Value: results.IndividualsOnly, Label: "As an individual", Checked: f.Respondent == results.IndividualsOnly},
	}
	chosen := func(q *consultation.Question, o *consultation.Option) bool {
		for _, a := range f.Answers {
			if a.Question == q && slices.Contains(a.OptionIDs, o.ID) {
				return true
			}
		}
		return false
	}
	if q != nil && q.Explains != nil && q.Explains.Closed() {
		v.ExplainedLegend = "Answered " + q.Explains.Code + " (" + q.Explains.Prompt + ")"
		for _, o := range q.Explains.Scale.Options {
			v.Explained = append(v.Explained, web.Choice{Value: q.Explains.Code + ":" + o.Slug, Label: o.Label, Checked: chosen(q.Explains, o)})
		}
	}
	for _, dq := range c.Questions {
		if dq.Kind != "demographic" || !dq.Closed() {
			continue
		}
		g := web.ChoiceGroup{ID: "eq-" + dq.Code, Name: "answer", Legend: "Equality monitoring: " + dq.Prompt}
		for _, o := range dq.Scale.Options {
			g.Choices = append(g.Choices, web.Choice{Value: dq.Code + ":" + o.Slug, Label: o.Label, Checked: chosen(dq, o)})
		}
		v.Equality = append(v.Equality, g)
	}
	if !f.From.IsZero() {
		v.From = f.From.Format("2006-01-02")
	}
	if !f.To.IsZero() {
		v.To = f.To.Format("2006-01-02")
	}
	evs, err := s.events().List(r.Context(), c)
	if err != nil {
		return v, err
	}
	for _, e := range evs {
		v.Events = append(v.Events, web.Choice{Value: strconv.FormatInt(e.ID, 10), Label: e.Name + " (" + web.Date(e.HeldOn) + ")", Checked: slices.Contains(f.EventIDs, e.ID)})
	}
	var qid, tid int32
	if q != nil {
		qid = q.ID
	}
	if t != nil {
		tid = t.ID
	}
	codes, err := s.Results.FrameCodes(r.Context(), qid, tid)
	if err != nil {
		return v, err
	}
	for _, cd := range codes {
		v.Codes = append(v.Codes, web.Choice{Value: strconv.Itoa(int(cd.ID)), Label: cd.Code + ": " + cd.Name, Checked: slices.Contains(f.CodeIDs, cd.ID)})
	}
	v.Coding = []web.Choice{
		{Value: "", Label: "Any", Checked: f.Coding == ""},
		{Value: results.Uncoded, Label: "Not yet coded", Checked: f.Coding == results.Uncoded},
		{Value: results.NoCode, Label: "Has no code", Checked: f.Coding == results.NoCode},
	}
	v.Sort = []web.Choice{
		{Value: results.SortReceived, Label: "Received (oldest first)", Checked: sort != results.SortLength},
		{Value: results.SortLength, Label: "Length (longest first)", Checked: sort == results.SortLength},
	}
	return v, nil
}
