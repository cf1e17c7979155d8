package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/personal"
	"heard/internal/results"
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
	s.renderPersonalAdmin(w, r, http.StatusOK, web.PersonalAdminView{Notice: s.notice(r)})
}

func (s *Server) renderPersonalAdmin(w http.ResponseWriter, r *http.Request, status int, v web.PersonalAdminView) {
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
	st, err := s.Personal.Settings(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Personal data: " + c.Title
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title, web.Crumb{Label: "Consultations", Href: "/admin/consultations"})
	v.Slug, v.Title, v.OrgResponses, v.OrgPublished = c.Slug, c.Title, len(list), published
	v.PublicHref = "/consultations/" + c.Slug + "/organisation-responses"
	v.BasisExplained, v.Erased = personal.BasisExplained(st.Basis), st.Erased
	for _, b := range []struct{ value, label string }{
		{personal.BasisPublicTask, "Public task"}, {personal.BasisConsent, "Consent"}, {personal.BasisLegitimateInterests, "Legitimate interests"},
	} {
		v.Bases = append(v.Bases, web.Choice{Value: b.value, Label: b.label, Checked: b.value == st.Basis})
	}
	plan, err := s.Personal.RetentionPlan(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Retention = web.RetentionView{Set: plan.Set, Due: web.Date(plan.Due), Responses: plan.Responses, RawFiles: plan.RawFiles,
		Scans: plan.Scans, Uploads: plan.Uploads, Drafts: plan.Drafts}
	if plan.Done != nil {
		v.Retention.Done, v.Retention.DoneOn = true, web.Date(plan.Done.In(results.London))
	}
	if v.Months == "" && st.RetentionMonths > 0 {
		v.Months = strconv.Itoa(st.RetentionMonths)
	}
	s.render(w, r, status, web.PersonalAdmin(v))
}

func (s *Server) setLawfulBasis(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw := strings.TrimSpace(r.PostFormValue("months"))
	months := 0
	if raw != "" {
		if months, err = strconv.Atoi(raw); err != nil || months < 1 {
			months = -1
		}
	}
	err = s.Personal.SetSettings(r.Context(), s.personalActor(r), c.ID, r.PostFormValue("basis"), months)
	if errs, ok := fieldErrors(err); ok {
		s.renderPersonalAdmin(w, r, http.StatusBadRequest, web.PersonalAdminView{Errors: errs, Months: raw})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Saved the lawful basis and retention period")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/personal-data", http.StatusSeeOther)
}

func (s *Server) eraseResponse(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw := strings.TrimSpace(r.PostFormValue("response"))
	id, perr := strconv.ParseInt(raw, 10, 64)
	var errs []web.FieldError
	if perr != nil {
		errs = append(errs, web.FieldError{Field: "response", Message: "Enter the response number, like 1234"})
	}
	if r.PostFormValue("confirm") != "yes" {
		errs = append(errs, web.FieldError{Field: "confirm", Message: "Confirm that the erasure is allowed"})
	}
	var kept bool
	if len(errs) == 0 {
		kept, err = s.Personal.Erase(r.Context(), s.personalActor(r), c.ID, id)
		if errors.Is(err, personal.ErrNotFound) {
			errs = append(errs, web.FieldError{Field: "response", Message: "There is no response " + raw + " in this consultation"})
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.renderPersonalAdmin(w, r, http.StatusBadRequest, web.PersonalAdminView{Errors: errs, EraseID: raw})
		return
	}
	if kept {
		s.notify(r, "Erased response "+raw+": its text and files are gone; its closed answers stay in the counts")
	} else {
		s.notify(r, "Erased response "+raw+": its text, files and answers are gone")
	}
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/personal-data", http.StatusSeeOther)
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
