package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"heard/internal/results"
	"heard/web"
)

var errThemeNotFound = errors.New("theme not found")

// theme is one theme's dashboard.
func (s *Server) theme(w http.ResponseWriter, r *http.Request) {
	c, t, err := s.load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	slug := chi.URLParam(r, "theme")
	for _, th := range c.Themes {
		if th.Slug != slug {
			continue
		}
		res, err := s.Results.Theme(r.Context(), t, th)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		base := "/consultations/" + c.Slug
		path := base + "/themes/" + th.Slug
		v := web.ThemeView{
			Page:             s.page(r, th.Title+": "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base}),
			ConsultationSlug: c.Slug, ConsultationTitle: c.Title,
			Result: res, Filter: filterView(c, t.Filter, path), Covers: results.Describe(c, t.Filter),
			QuestionHrefs: map[string]string{},
		}
		if err := s.moreFilters(r, c, t.Filter, &v.Filter); err != nil {
			s.fail(w, r, err)
			return
		}
		for _, q := range results.Questions(c, th) {
			v.QuestionHrefs[q.Code] = withQuery(base+"/questions/"+q.Code, r.URL.Query())
		}
		if err := s.themeCodes(r, c, th, t, res, &v); err != nil {
			s.fail(w, r, err)
			return
		}
		if len(res.Closed) > 0 {
			if v.EventNotes, err = s.eventNotes(r, c, res.Closed[0].Question, t); err != nil {
				s.fail(w, r, err)
				return
			}
		} else if len(res.Open) > 0 {
			if v.EventNotes, err = s.eventNotes(r, c, res.Open[0].Question, t); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		s.render(w, r, http.StatusOK, web.Theme(v))
		return
	}
	s.fail(w, r, errThemeNotFound)
}
