package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"heard/internal/db"
	"heard/web"
)

// listItem is a consultation's row on the public list, and whether the
// reader may see it at all: drafts are for signed-in users only. The
// title goes to the results when the reader may read them, and otherwise
// to the about page, never to a sign-in page.
func listItem(r *http.Request, c db.Consultation) (web.ConsultationItem, bool) {
	signedIn := userFrom(r.Context()) != nil
	if c.Status == db.ConsultationStatusDraft && !signedIn {
		return web.ConsultationItem{}, false
	}
	it := web.ConsultationItem{Slug: c.Slug, Title: c.Title, Status: string(c.Status), OpensOn: c.OpensOn, ClosesOn: c.ClosesOn}
	it.Href = "/consultations/" + c.Slug + "/about"
	if signedIn || c.ResultsPublished {
		it.Href = "/consultations/" + c.Slug
	}
	return it, true
}

// about tells the public what a consultation is, how to respond while it
// is open, and that its results are not published yet (or where they are).
func (s *Server) about(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err == nil && c.Status == "draft" && userFrom(r.Context()) == nil {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no consultation at this address.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	published, err := s.Consultations.ResultsPublished(r.Context(), c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := web.AboutView{
		Page: s.page(r, c.Title, web.Crumb{Label: "Consultations", Href: "/"}),
		Slug: c.Slug, Title: c.Title, Description: c.Description, Status: c.Status,
		OpensOn: c.OpensOn, ClosesOn: c.ClosesOn, Published: published, SignedIn: userFrom(r.Context()) != nil,
	}
	s.render(w, r, http.StatusOK, web.About(v))
}
