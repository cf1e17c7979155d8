package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"heard/internal/results"
	"heard/web"
)

// themeList is a theme's letter segments under the list filters.
func (s *Server) themeList(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := themeBySlug(c, chi.URLParam(r, "theme"))
	if t == nil {
		s.fail(w, r, errThemeNotFound)
		return
	}
	f, err := results.ParseFilter(c, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sort, page, err := listQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	path := base + "/themes/" + t.Slug + "/letters"
	v := web.ThemeListView{
		Page:   s.page(r, t.Title+": letters and emails", web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base}),
		Title:  t.Title,
		Covers: results.Describe(c, f),
	}
	for _, q := range c.Questions {
		if q.Theme == t {
			v.QuestionLinks = append(v.QuestionLinks, web.Crumb{Label: q.Code, Href: base + "/questions/" + q.Code})
		}
	}
	if v.Filter, err = s.listFilterView(r, c, nil, t, f, sort, path); err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.Results.ListSegments(r.Context(), c, t, f, sort, page)
	if err != nil {
		if err == results.ErrPageOutOfRange {
			err = errBadPage
		}
		if err == results.ErrPageTooDeep {
			err = errPageTooDeep
		}
		s.fail(w, r, err)
		return
	}
	lv := listValues(c, f, sort)
	v.List = answerListView(c, l, path, lv, "passages")
	for i, a := range l.Answers {
		v.List.Answers[i].Href = withQuery(responseHref(c, a.ResponseID), inList(lv, "theme", t.Slug, (page-1)*results.PageSize+i+1))
	}
	s.render(w, r, http.StatusOK, web.ThemeList(v))
}
