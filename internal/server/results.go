package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/export"
	"heard/internal/ingest"
	"heard/internal/results"
	"heard/web"
)

var (
	errQuestionNotFound = errors.New("question not found")
	errBadPage          = errors.New("bad page")
	errPageTooDeep      = errors.New("page too deep")
)

const answersPerPage = 20

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	cs, err := s.Consultations.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]web.ConsultationItem, 0, len(cs))
	for _, c := range cs {
		if it, ok := listItem(r, c); ok {
			items = append(items, it)
		}
	}
	s.render(w, r, http.StatusOK, web.Home(s.page(r, "Consultations"), items))
}

// load reads the consultation, the filter and its counts: what every
// results page starts from.
func (s *Server) load(r *http.Request) (*consultation.Consultation, *results.Table, error) {
	c, f, p, err := s.filter(r)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.Results.View(r.Context(), c, f, p)
	if err != nil {
		return nil, nil, err
	}
	return c, t, nil
}

// filter reads the consultation, the filter and how figures are
// protected for the person asking: load without the counts.
func (s *Server) filter(r *http.Request) (*consultation.Consultation, results.Filter, results.Policy, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, results.Filter{}, results.Policy{}, err
	}
	f, err := results.ParseFilter(c, r.URL.Query())
	if err != nil {
		return nil, results.Filter{}, results.Policy{}, err
	}
	p, err := s.policy(r, c)
	if err != nil {
		return nil, results.Filter{}, results.Policy{}, err
	}
	return c, f, p, nil
}

// policy is how figures are protected for the person asking: analysts
// and admins see exact counts, viewers and the public see small numbers
// withheld at the consultation's thresholds.
func (s *Server) policy(r *http.Request, c *consultation.Consultation) (results.Policy, error) {
	u := userFrom(r.Context())
	if u != nil && u.Role.AtLeast(accounts.Analyst) {
		return results.Policy{}, nil
	}
	public, viewer, err := s.Consultations.Thresholds(r.Context(), c)
	if err != nil {
		return results.Policy{}, err
	}
	if u != nil {
		return results.Policy{Threshold: viewer}, nil
	}
	return results.Policy{Threshold: public}, nil
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	c, t, err := s.load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	v := web.OverviewView{
		Page: s.page(r, c.Title, web.Crumb{Label: "Consultations", Href: "/"}),
		Slug: c.Slug, Title: c.Title, Description: c.Description, Status: c.Status,
		OpensOn: c.OpensOn, ClosesOn: c.ClosesOn,
		Filter:      filterView(c, t.Filter, base),
		Covers:      results.Describe(c, t.Filter.Counted()),
		Overview:    t.Overview(),
		CSVHref:     withQuery(base+"/results.csv", r.URL.Query()),
		XLSXHref:    withQuery(base+"/results.xlsx", r.URL.Query()),
		ExportLinks: exportLinks(r, c),
	}
	if v.ExportLinks != nil { // analysts only
		v.UntypedHref = base + "/letters/untyped"
	}
	if analystOrAbove(r) {
		v.ReadingLinks = readingLinks(c)
	}
	for _, q := range c.Questions {
		qr := t.Question(q)
		sum := web.QuestionSummary{Code: q.Code, Prompt: q.Prompt, Href: withQuery(base+"/questions/"+q.Code, r.URL.Query()), Headline: web.Headline(qr)}
		if q.Theme != nil {
			sum.Theme = q.Theme.Title
		}
		v.Questions = append(v.Questions, sum)
	}
	if err := s.overviewCoding(r, c, t, &v); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.moreFilters(r, c, t.Filter, &v.Filter); err != nil {
		s.fail(w, r, err)
		return
	}
	v.Themes = themeGroups(c, v.Questions, base, r.URL.Query())
	v.Support = t.Support()
	if v.Timeline, err = s.Results.Timeline(r.Context(), t); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Missing, err = s.Results.WhoIsMissing(r.Context(), t); err != nil {
		s.fail(w, r, err)
		return
	}
	v.ReportHref = base + "/report"
	if v.Events, err = s.eventsSummary(r, c, t, v.Overview); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.Overview(v))
}

func (s *Server) question(w http.ResponseWriter, r *http.Request) {
	// The list of answers is read before the counts: counts from the copy
	// in memory then reuse the copy's stamps the list read, in its
	// snapshot (results.ShareFacts), instead of reading them again.
	r = r.WithContext(results.ShareFacts(r.Context()))
	c, f, p, err := s.filter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := c.Question(chi.URLParam(r, "code"))
	if q == nil {
		s.fail(w, r, errQuestionNotFound)
		return
	}
	base := "/consultations/" + c.Slug
	path := base + "/questions/" + q.Code
	var v web.QuestionView
	// Individual answers are for analysts: viewers and the public see counts.
	if u := userFrom(r.Context()); !q.Closed() && u != nil && u.Role.AtLeast(accounts.Analyst) {
		v.ShowAnswers = true
		if err := s.questionList(r, c, q, f, path, &v); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	t, err := s.Results.View(r.Context(), c, f, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	query := t.Filter.Counted().Values(c)
	v.Page = s.page(r, q.Code+": "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base})
	v.ConsultationSlug, v.ConsultationTitle = c.Slug, c.Title
	v.Code, v.Prompt = q.Code, q.Prompt
	v.Result = t.Question(q)
	v.Filter = filterView(c, t.Filter, path)
	v.Covers = results.Describe(c, t.Filter.Counted())
	v.CSVHref = withQuery(base+"/results.csv", query)
	if q.Theme != nil {
		v.Theme = q.Theme.Title
	}
	if q.Explains != nil {
		v.Related = append(v.Related, web.Crumb{Label: "This question explains the answers to " + q.Explains.Code, Href: withQuery(base+"/questions/"+q.Explains.Code, query)})
	}
	for _, other := range c.Questions {
		if other.Explains == q {
			v.Related = append(v.Related, web.Crumb{Label: "Read why people answered as they did (" + other.Code + ")", Href: withQuery(base+"/questions/"+other.Code, query)})
		}
	}
	if v.CodeCounts, err = s.codeCounts(r, c, q, t); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.moreFilters(r, c, t.Filter, &v.Filter); err != nil {
		s.fail(w, r, err)
		return
	}
	missing, err := s.Results.WhoIsMissing(r.Context(), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range missing {
		if m.Question == q {
			v.Missing = append(v.Missing, m)
		}
	}
	if q.Closed() {
		v.CompareHref = withQuery(path+"/compare", query)
	}
	if v.Breakdowns, err = s.Results.Breakdowns(r.Context(), t, q, false); err != nil {
		s.fail(w, r, err)
		return
	}
	v.BreakdownHrefs = breakdownHrefs(path, query, v.Breakdowns)
	if v.EventNotes, err = s.eventNotes(r, c, q, t); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.Question(v))
}

func (s *Server) resultsCSV(w http.ResponseWriter, r *http.Request) {
	c, t, err := s.load(r)
	if err != nil {
		var fe *results.FilterError
		if errors.As(err, &fe) {
			http.Error(w, fe.Error(), http.StatusBadRequest)
			return
		}
		if errors.Is(err, results.ErrCombinedFilter) {
			http.Error(w, "filter by respondent group or by channel, not both: combined filters are for analysts", http.StatusBadRequest)
			return
		}
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-results.csv"`, c.Slug))
	if err := t.WriteCSV(w); err != nil {
		s.logError(r, "results.csv", "consultation", c.Slug, "err", err)
	}
}

func filterView(c *consultation.Consultation, f results.Filter, action string) web.FilterView {
	v := web.FilterView{Action: action, ClearHref: action, Active: f.Active()}
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, web.Choice{Value: g.Slug, Label: g.Label, Checked: slices.Contains(f.GroupIDs, g.ID)})
	}
	for _, ch := range ingest.Channels {
		v.Channels = append(v.Channels, web.Choice{Value: ch, Label: results.ChannelLabel(ch), Checked: slices.Contains(f.Channels, ch)})
	}
	v.Campaigns = campaignChoices(f) // #15
	return v
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// exportLinks are the response exports, shown to analysts and admins.
func exportLinks(r *http.Request, c *consultation.Consultation) []web.Crumb {
	if u := userFrom(r.Context()); u == nil || !u.Role.AtLeast(accounts.Analyst) {
		return nil
	}
	var links []web.Crumb
	for _, f := range export.Formats {
		links = append(links, web.Crumb{Label: "All responses as " + strings.ToUpper(f) + ", not redacted", Href: "/consultations/" + c.Slug + "/export/responses." + f})
	}
	for _, f := range export.Formats {
		links = append(links, web.Crumb{Label: "All responses as " + strings.ToUpper(f) + ", personal data removed", Href: "/consultations/" + c.Slug + "/export/responses-redacted." + f})
	}
	return links
}

// consentNote tells an analyst whether an answer may be quoted.
func consentNote(a results.OpenAnswer) string {
	switch {
	case a.Consent == "yes":
		return "May be published and quoted"
	case a.Consent == "no":
		return "Not for publication: do not quote"
	case a.Channel == "webform":
		return "Publication not agreed: do not quote"
	}
	return ""
}

// themeGroups puts the overview's questions under their themes, in the
// definition's order, then the questions of no theme.
func themeGroups(c *consultation.Consultation, qs []web.QuestionSummary, base string, query url.Values) []web.ThemeGroup {
	var out []web.ThemeGroup
	for _, th := range c.Themes {
		g := web.ThemeGroup{Title: th.Title, Href: withQuery(base+"/themes/"+th.Slug, query)}
		for _, q := range qs {
			if q.Theme == th.Title {
				g.Questions = append(g.Questions, q)
			}
		}
		if len(g.Questions) > 0 {
			out = append(out, g)
		}
	}
	other := web.ThemeGroup{}
	for _, q := range qs {
		if q.Theme == "" {
			other.Questions = append(other.Questions, q)
		}
	}
	if len(other.Questions) > 0 {
		out = append(out, other)
	}
	return out
}

// breakdownHrefs are each breakdown's CSV and XLSX downloads.
func breakdownHrefs(path string, query url.Values, bs []results.Breakdown) map[string]string {
	hrefs := map[string]string{}
	for _, b := range bs {
		for _, ext := range []string{".csv", ".xlsx"} {
			hrefs[b.Slug+ext] = withQuery(path+"/breakdowns/"+b.Slug+ext, query)
		}
	}
	return hrefs
}
