package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// publishReview is the page an admin confirms before results become
// public: what will be shown, at what threshold, and what never is.
func (s *Server) publishReview(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.publishView(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.PublishReview(v))
}

func (s *Server) publishView(r *http.Request, c *consultation.Consultation) (web.PublishReviewView, error) {
	public, viewer, err := s.Consultations.Thresholds(r.Context(), c)
	if err != nil {
		return web.PublishReviewView{}, err
	}
	v := web.PublishReviewView{
		Page: s.page(r, "Publish the results of "+c.Title, web.Crumb{Label: "Consultations and publishing", Href: "/admin/consultations"}),
		Slug: c.Slug, Title: c.Title, Status: c.Status, Closed: c.Status == "closed",
		PublicThreshold: public, ViewerThreshold: viewer, Notice: s.notice(r),
	}
	t, err := s.Results.View(r.Context(), c, results.Filter{}, results.Policy{Threshold: public})
	if err != nil {
		return v, err
	}
	v.Overview = t.Overview()
	for _, q := range c.Questions {
		qr := t.Question(q)
		v.Questions = append(v.Questions, web.QuestionSummary{Code: q.Code, Prompt: q.Prompt, Headline: web.Headline(qr)})
		for _, o := range qr.Options {
			if o.Withheld != "" {
				v.Withheld++
			}
		}
	}
	return v, nil
}

// publishOrRefuse checks publishing rules: only a closed consultation,
// only once the admin has confirmed the review. It reports whether the
// request may go on; otherwise it has answered.
func (s *Server) publishOrRefuse(w http.ResponseWriter, r *http.Request, c *consultation.Consultation) bool {
	if c.Status != "closed" {
		s.renderError(w, r, http.StatusConflict, "Results cannot be published yet",
			"Only a closed consultation's results can be published; "+c.Title+" is "+c.Status+". Close it first, so that no response arrives after the figures are public.")
		return false
	}
	if r.PostFormValue("confirm") != "yes" {
		v, err := s.publishView(r, c)
		if err != nil {
			s.fail(w, r, err)
			return false
		}
		v.Page.Title = "Error: " + v.Page.Title
		v.ConfirmError = "Confirm that you have checked what will become public"
		s.render(w, r, http.StatusBadRequest, web.PublishReview(v))
		return false
	}
	return true
}

// setThresholds changes the small-number thresholds of a consultation.
func (s *Server) setThresholds(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pub, err1 := strconv.Atoi(r.PostFormValue("public"))
	view, err2 := strconv.Atoi(r.PostFormValue("viewer"))
	if err1 != nil || err2 != nil {
		s.fail(w, r, consultation.ErrThreshold)
		return
	}
	if err := s.Consultations.SetThresholds(r.Context(), c, pub, view); err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Thresholds saved")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/publish", http.StatusSeeOther)
}
