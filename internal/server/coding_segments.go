package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// Parts of letters and emails (segments) are coded like answers: with
// their question's codeframe when attributed to a question, otherwise
// with their theme's.

func (s *Server) segmentCodingRoutes(r chi.Router) {
	s.handle(r, "GET", "/consultations/{slug}/themes/{theme}/coding/next", AnalystOnly, s.nextUncodedSegment)
	s.handle(r, "GET", "/consultations/{slug}/segments/{segment}/coding", AnalystOnly, s.segmentCodingPage)
	s.handle(r, "POST", "/consultations/{slug}/segments/{segment}/coding", AnalystOnly, s.saveSegmentCoding)
}

func themeCodingNext(c *consultation.Consultation, t *consultation.Theme) string {
	return "/consultations/" + c.Slug + "/themes/" + url.PathEscape(t.Slug) + "/coding/next"
}

func (s *Server) nextUncodedSegment(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var theme *consultation.Theme
	for _, t := range c.Themes {
		if t.Slug == chi.URLParam(r, "theme") {
			theme = t
		}
	}
	if theme == nil {
		s.fail(w, r, errFrameNotFound)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	skip, _ := strconv.ParseInt(r.URL.Query().Get("skip"), 10, 64)
	if skip > 0 {
		after = skip
	}
	next, err := s.Coding.NextUncodedSegment(r.Context(), c.ID, theme.ID, after, skip)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if next == 0 {
		http.Redirect(w, r, frameHref(c, coding.Frame{ThemeID: theme.ID})+"?done=all", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/consultations/"+c.Slug+"/segments/"+strconv.FormatInt(next, 10)+"/coding", http.StatusSeeOther)
}

// loadSegment reads the consultation and the segment in the URL.
func (s *Server) loadSegment(r *http.Request) (*consultation.Consultation, coding.Answer, coding.Frame, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, coding.Answer{}, coding.Frame{}, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "segment"), 10, 64)
	if err != nil {
		return nil, coding.Answer{}, coding.Frame{}, coding.ErrNotFound
	}
	a, err := s.Coding.Segment(r.Context(), c.ID, id)
	if err != nil {
		return nil, coding.Answer{}, coding.Frame{}, err
	}
	f, err := s.Coding.FrameOf(r.Context(), c.ID, a.Unit)
	return c, a, f, err
}

func (s *Server) segmentView(r *http.Request, c *consultation.Consultation, a coding.Answer, f coding.Frame, st coding.State) (web.CodingView, error) {
	ctx := r.Context()
	cf, err := s.Coding.Codeframe(ctx, c.ID, f)
	if err != nil {
		return web.CodingView{}, err
	}
	hist, err := s.Coding.History(ctx, a.Unit, false)
	if err != nil {
		return web.CodingView{}, err
	}
	id := strconv.FormatInt(a.Unit.SegmentID, 10)
	self := "/consultations/" + c.Slug + "/segments/" + id + "/coding"
	about := "Part of a letter or email"
	back := frameHref(c, f)
	skip := ""
	for _, t := range c.Themes {
		if t.ID == f.ThemeID {
			about = "Theme: " + t.Title
			skip = themeCodingNext(c, t) + "?skip=" + id
		}
	}
	for _, q := range c.Questions {
		if q.ID == f.QuestionID {
			about = q.Code + ": " + q.Prompt
		}
	}
	v := web.CodingView{
		Page: s.page(r, "Code part "+id+" of a letter", web.Crumb{Label: "Consultations", Href: "/"},
			web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Codeframe", Href: back}),
		Caption: about, Heading: "Code part " + id + " of response " + strconv.FormatInt(a.Unit.ResponseID, 10),
		Text: a.Text, About: aboutAnswer(c, a), ResponseHref: responseHref(c, a.Unit.ResponseID), QuoteRefusal: a.QuoteRefusal(), Action: self, Positions: positionChoices(),
		SkipHref: skip, BackHref: back, FrameHref: back, AddAction: back, AddReturn: self,
	}
	fillState(&v, cf, a.Text, st)
	v.History = historyRows(hist, a.Text)
	return v, nil
}

func (s *Server) segmentCodingPage(w http.ResponseWriter, r *http.Request) {
	c, a, f, err := s.loadSegment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showCoding(w, r, a.Unit, func(st coding.State) (web.CodingView, error) { return s.segmentView(r, c, a, f, st) })
}

func (s *Server) saveSegmentCoding(w http.ResponseWriter, r *http.Request) {
	c, a, f, err := s.loadSegment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := func(st coding.State) (web.CodingView, error) { return s.segmentView(r, c, a, f, st) }
	if !s.applyPostedCoding(w, r, c.ID, a.Unit, a.Text, "this part", view) {
		return
	}
	id := strconv.FormatInt(a.Unit.SegmentID, 10)
	if r.PostFormValue("next") == "yes" && f.ThemeID != 0 {
		for _, t := range c.Themes {
			if t.ID == f.ThemeID {
				http.Redirect(w, r, themeCodingNext(c, t)+"?after="+id, http.StatusSeeOther)
				return
			}
		}
	}
	http.Redirect(w, r, "/consultations/"+c.Slug+"/segments/"+id+"/coding?saved=1", http.StatusSeeOther)
}

// themeCodeCounts is the code counts of a theme's letter segments under
// the filter, for a theme page (the same component as a question's).
// Protected readers do not see the number of segments (it is not
// protected itself), so they see counts without percentages.
func (s *Server) themeCodeCounts(r *http.Request, c *consultation.Consultation, th *consultation.Theme, t *results.Table) (web.CodeCountsView, error) {
	ctx := r.Context()
	cf, err := s.Coding.Codeframe(ctx, c.ID, coding.Frame{ThemeID: th.ID})
	if err != nil || len(cf.Codes) == 0 {
		return web.CodeCountsView{}, err
	}
	f := t.Filter.Counted()
	base, err := s.Coding.SegmentBase(ctx, c.ID, f.GroupIDs, f.Channels)
	if err != nil {
		return web.CodeCountsView{}, err
	}
	p, err := s.Coding.Progress(ctx, c.ID)
	if err != nil {
		return web.CodeCountsView{}, err
	}
	v := web.CodeCountsView{Show: true, ID: th.Slug, Of: "parts of letters and emails about " + th.Title, Base: base[th.ID], Coded: p.ByTheme[th.ID],
		CSVHref: withQuery("/consultations/"+c.Slug+"/codes.csv", r.URL.Query())}
	withheld := ""
	if t.Protected() {
		v.Base, withheld = 0, "not protected"
	}
	return v, s.fillFrameCounts(r, &v, c, cf, t, true, withheld)
}
