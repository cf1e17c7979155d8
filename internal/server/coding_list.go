package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

const codingPerPage = 20

// codingHome is a question's coding page: progress, "next uncoded", and
// a filtered list for applying a code to many answers at once.
func (s *Server) codingHome(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notice := ""
	switch r.URL.Query().Get("done") {
	case "all":
		notice = "Every answer to " + q.Code + " has been coded"
	case "applied":
		if n, err := strconv.Atoi(r.URL.Query().Get("n")); err == nil {
			notice = "Code applied to " + strconv.Itoa(n) + " answers"
		}
	}
	s.renderCodingHome(w, r, c, q, http.StatusOK, notice, nil)
}

func (s *Server) renderCodingHome(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, q *consultation.Question, status int, notice string, errs []web.FieldError) {
	ctx := r.Context()
	t, err := s.Results.Counts(ctx, c, results.Filter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Coding.Progress(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cf, err := s.Coding.Codeframe(ctx, c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := codingBase(c, q)
	title := "Coding " + q.Code
	if len(errs) > 0 {
		title = "Error: " + title
	}
	answered := t.Question(q).Answered
	v := web.CodingHomeView{
		Page:   s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}),
		Notice: notice, Errors: errs, Caption: q.Code + ": " + q.Prompt,
		Coded: p.ByQuestion[q.ID], Answered: answered, Percent: results.Percent(p.ByQuestion[q.ID], answered),
		NextHref: base + "/next", FrameHref: frameHref(c, coding.Frame{QuestionID: q.ID}),
		QuotesHref: "/consultations/" + c.Slug + "/questions/" + url.PathEscape(q.Code) + "/quotes",
		DoubleHref: "/consultations/" + c.Slug + "/questions/" + url.PathEscape(q.Code) + "/double-coding",
		ListAction: base, BulkAction: base, Positions: positionChoices(),
		SuggestionsHref: suggestionsBase(c, q), Suggestions: s.suggestionsSummary(r, q),
	}
	coders, err := s.Coding.QuestionCoders(ctx, q.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, cc := range coders {
		v.Coders = append(v.Coders, web.CoderRow{Email: cc.Email, N: cc.N})
	}
	query := r.URL.Query()
	show := query.Get("show")
	var codeID int32
	uncoded := show == "uncoded"
	v.Show = []web.Choice{{Value: "", Label: "All answers", Checked: show == ""}, {Value: "uncoded", Label: "Not yet coded", Checked: uncoded}}
	for _, code := range cf.Codes {
		id := strconv.Itoa(int(code.ID))
		v.Show = append(v.Show, web.Choice{Value: id, Label: "With code: " + cf.Label(code), Checked: show == id})
		if show == id {
			codeID = code.ID
		}
		if !code.Retired {
			v.CodeChoices = append(v.CodeChoices, web.Choice{Value: id, Label: cf.Label(code)})
		}
	}
	after, _ := strconv.ParseInt(query.Get("after"), 10, 64)
	rows, err := s.Coding.AnswersToCode(ctx, q.ID, uncoded, codeID, after, codingPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	keep := url.Values{}
	if show != "" {
		keep.Set("show", show)
	}
	if after > 0 {
		v.FirstHref = withQuery(base, keep)
	}
	if len(rows) > codingPerPage {
		rows = rows[:codingPerPage]
		next := url.Values{"after": {strconv.FormatInt(rows[len(rows)-1].ResponseID, 10)}}
		if show != "" {
			next.Set("show", show)
		}
		v.NextPage = withQuery(base, next)
	}
	for _, a := range rows {
		var names []string
		for _, id := range a.CodeIDs {
			if code := cf.Get(id); code != nil {
				names = append(names, code.Name)
			}
		}
		codes := strings.Join(names, ", ")
		switch {
		case codes == "" && a.Coded:
			codes = "no code applies"
		case codes == "":
			codes = "not yet coded"
		}
		id := strconv.FormatInt(a.ResponseID, 10)
		v.Answers = append(v.Answers, web.BulkRow{ID: id, Text: a.Text, Codes: codes, Href: base + "/" + id,
			ResponseHref: responseHref(c, a.ResponseID), About: groupLabel(c, a.GroupID) + "; " + results.ChannelLabel(a.Channel)})
	}
	s.render(w, r, status, web.CodingHome(v))
}

// codeMany applies one code to the answers selected in the list.
func (s *Server) codeMany(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ids []int64
	r.ParseForm() //nolint:errcheck // a bad body reads as nothing selected
	for _, v := range r.PostForm["response"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	code, _ := strconv.Atoi(r.PostFormValue("code"))
	n, err := s.Coding.ApplyToMany(r.Context(), s.actor(r), c.ID, q.ID, int32(code), r.PostFormValue("position"), ids)
	if errs, ok := fieldErrors(err); ok {
		s.renderCodingHome(w, r, c, q, http.StatusUnprocessableEntity, "", errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, codingBase(c, q)+"?done=applied&n="+strconv.Itoa(n), http.StatusSeeOther)
}

// quotesPage lists quote-worthy answers per code, ready to paste.
func (s *Server) quotesPage(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cf, err := s.Coding.Codeframe(r.Context(), c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	quotes, err := s.Coding.Quotes(r.Context(), q.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := web.QuotesView{
		Page:    s.page(r, "Quotes for "+q.Code, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Coding " + q.Code, Href: codingBase(c, q)}),
		Caption: q.Code + ": " + q.Prompt,
	}
	byCode := map[int32][]web.QuoteItem{}
	var uncoded []web.QuoteItem
	for _, qu := range quotes {
		item := web.QuoteItem{Text: qu.Text, Group: quoteGroup(c, qu.GroupID), Ref: strconv.FormatInt(qu.ResponseID, 10), Href: responseHref(c, qu.ResponseID)}
		if len(qu.CodeIDs) == 0 {
			uncoded = append(uncoded, item)
		}
		for _, id := range qu.CodeIDs {
			byCode[id] = append(byCode[id], item)
		}
	}
	for _, code := range cf.Codes {
		if len(byCode[code.ID]) > 0 {
			v.Groups = append(v.Groups, web.QuoteGroup{Code: cf.Label(code), Quotes: byCode[code.ID]})
		}
	}
	if len(uncoded) > 0 {
		v.Groups = append(v.Groups, web.QuoteGroup{Code: "Without a code", Quotes: uncoded})
	}
	s.render(w, r, http.StatusOK, web.Quotes(v))
}

// quoteGroup is how a quote is attributed: the respondent group in lower
// case, as CQC's summary does ("provider/commissioner").
func quoteGroup(c *consultation.Consultation, id int32) string {
	return strings.ToLower(groupLabel(c, id))
}
