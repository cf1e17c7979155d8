package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"heard/web"
)

// orgResponses is the public page of consenting organisations' responses,
// redacted; it does not exist until an admin publishes it.
func (s *Server) orgResponses(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, published, err := s.Personal.OrganisationResponses(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !published {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "This consultation’s organisation responses are not published.")
		return
	}
	v := web.OrgResponsesView{Page: s.page(r, "Responses from organisations", web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug + "/about"}), Title: c.Title}
	for _, o := range list {
		ov := web.OrgResponseView{Organisation: o.Organisation}
		for _, a := range o.Answers {
			av := web.OrgAnswerView{Text: a.Text}
			for _, q := range c.Questions {
				if q.ID == a.QuestionID {
					av.Code, av.Prompt = q.Code, q.Prompt
				}
			}
			ov.Answers = append(ov.Answers, av)
		}
		v.Responses = append(v.Responses, ov)
	}
	s.render(w, r, http.StatusOK, web.OrgResponses(v))
}

// personalAdmin is the admin's personal-data page of a consultation.
func (s *Server) personalAdmin(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, published, err := s.Personal.OrganisationResponses(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := web.PersonalAdminView{
		Page:   s.page(r, "Personal data: "+c.Title, web.Crumb{Label: "Consultations", Href: "/admin/consultations"}),
		Notice: s.notice(r), Slug: c.Slug, Title: c.Title, OrgResponses: len(list), OrgPublished: published,
		PublicHref: "/consultations/" + c.Slug + "/organisation-responses",
	}
	s.render(w, r, http.StatusOK, web.PersonalAdmin(v))
}

func (s *Server) publishOrgResponses(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	published := r.PostFormValue("published") == "true"
	if err := s.Personal.PublishOrganisationResponses(r.Context(), s.personalActor(r), c.ID, published); err != nil {
		s.fail(w, r, err)
		return
	}
	if published {
		s.notify(r, "Organisations’ responses are now published, with personal data removed")
	} else {
		s.notify(r, "Organisations’ responses are no longer published")
	}
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/personal-data", http.StatusSeeOther)
}
