package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/web"
)

// maxDefinitionBytes caps an uploaded definition file; the CQC one is
// 10 KB.
const maxDefinitionBytes = 1 << 20

// consultationAdminRoutes are the admins' pages for creating and running
// consultations.
func (s *Server) consultationAdminRoutes(r chi.Router) {
	const one = "/admin/consultations/{slug}"
	s.handle(r, "GET", "/admin/consultations/new", AdminOnly, s.newConsultation)
	s.handleLimit(r, "POST", "/admin/consultations", AdminOnly, maxDefinitionBytes+(64<<10), s.createConsultation)
	s.handle(r, "POST", "/admin/consultations/copy", AdminOnly, s.copyConsultation)
	s.handle(r, "GET", one, AdminOnly, s.manageConsultation)
	s.handle(r, "POST", one+"/details", AdminOnly, s.editConsultation)
	s.handle(r, "POST", one+"/status", AdminOnly, s.moveConsultation)
	s.handleLimit(r, "POST", one+"/definition", AdminOnly, maxDefinitionBytes+(64<<10), s.replaceDefinition)
	s.handle(r, "GET", one+"/definition.json", AdminOnly, s.definitionFile)
}

// london is where a consultation's dates are days.
var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC // never: time/tzdata is linked in (internal/webform)
	}
	return l
}()

var adminCrumb = web.Crumb{Label: "Consultations", Href: "/admin/consultations"}

func (s *Server) newConsultation(w http.ResponseWriter, r *http.Request) {
	s.renderNewConsultation(w, r, http.StatusOK, web.NewConsultationView{})
}

func (s *Server) renderNewConsultation(w http.ResponseWriter, r *http.Request, status int, v web.NewConsultationView) {
	cs, err := s.Consultations.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Create a consultation"
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title, adminCrumb)
	v.Sources = nil
	for _, c := range cs {
		v.Sources = append(v.Sources, web.Choice{Value: c.Slug, Label: c.Title, Checked: c.Slug == v.From})
	}
	s.render(w, r, status, web.NewConsultation(v))
}

// definitionUpload reads the uploaded definition file. A problem is
// returned as the messages to show against the file field.
func definitionUpload(r *http.Request) (*consultation.Definition, []string) {
	f, _, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, []string{fmt.Sprintf("The file must be smaller than %d MB", maxDefinitionBytes>>20)}
	case err != nil:
		return nil, []string{"Select a definition file (.json)"}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxDefinitionBytes+1))
	if err != nil || len(b) > maxDefinitionBytes {
		return nil, []string{fmt.Sprintf("The file must be smaller than %d MB", maxDefinitionBytes>>20)}
	}
	if len(b) == 0 {
		return nil, []string{"The selected file is empty"}
	}
	d, err := consultation.ParseDefinition(b)
	if err != nil {
		return nil, definitionProblems(err)
	}
	return d, nil
}

// definitionProblems turns a definition error into one message per
// problem, each naming its field, for the error summary.
func definitionProblems(err error) []string {
	var de *consultation.DefinitionError
	if errors.As(err, &de) {
		out := make([]string, len(de.Problems))
		for i, p := range de.Problems {
			out[i] = "The file is not a valid definition: " + p
		}
		return out
	}
	return nil
}

func fileErrors(msgs []string) []web.FieldError {
	var errs []web.FieldError
	for _, m := range msgs {
		errs = append(errs, web.FieldError{Field: "file", Message: m})
	}
	return errs
}

func (s *Server) createConsultation(w http.ResponseWriter, r *http.Request) {
	d, problems := definitionUpload(r)
	if d != nil {
		c, err := s.Consultations.Create(r.Context(), s.actor(r).Entry(audit.ConsultationCreated), d)
		if err == nil {
			s.notify(r, "Created "+c.Title+" as a draft")
			http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
			return
		}
		if problems = definitionProblems(err); problems == nil {
			s.fail(w, r, err)
			return
		}
	}
	s.renderNewConsultation(w, r, http.StatusUnprocessableEntity, web.NewConsultationView{Errors: fileErrors(problems)})
}

func (s *Server) copyConsultation(w http.ResponseWriter, r *http.Request) {
	from, slug, title := r.PostFormValue("from"), r.PostFormValue("slug"), r.PostFormValue("title")
	c, err := s.Consultations.Copy(r.Context(), s.actor(r).Entry(audit.ConsultationCreated), from, slug, title)
	errs, invalid := fieldErrors(err)
	switch {
	case invalid:
		s.renderNewConsultation(w, r, http.StatusUnprocessableEntity, web.NewConsultationView{
			Errors: errs, From: from, Slug: slug, Title: title,
		})
	case errors.Is(err, consultation.ErrNotFound):
		s.renderNewConsultation(w, r, http.StatusUnprocessableEntity, web.NewConsultationView{
			Errors: []web.FieldError{{Field: "from", Message: "Choose the consultation to copy"}}, Slug: slug, Title: title,
		})
	case err != nil:
		s.fail(w, r, err)
	default:
		s.notify(r, "Created "+c.Title+" as a draft copy of "+from)
		http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
	}
}

func (s *Server) manageConsultation(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderManage(w, r, c, http.StatusOK, web.ManageConsultationView{Notice: s.notice(r)})
}

func (s *Server) renderManage(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, status int, v web.ManageConsultationView) {
	published, err := s.Consultations.ResultsPublished(r.Context(), c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := c.Title
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title, adminCrumb)
	v.Slug, v.Title, v.Description, v.Status, v.Next = c.Slug, c.Title, c.Description, c.Status, consultation.NextStatus(c.Status)
	v.OpensOn, v.ClosesOn, v.Published = c.OpensOn, c.ClosesOn, published
	v.ClosingPassed = c.ClosesOn.Format(time.DateOnly) < time.Now().In(london).Format(time.DateOnly)
	v.Themes, v.Questions, v.Groups = len(c.Themes), len(c.Questions), len(c.Groups)
	if v.Form.Title == "" && len(v.Errors) == 0 {
		v.Form = web.DetailsForm{Title: c.Title, Description: c.Description, OpensOn: c.OpensOn.Format(time.DateOnly), ClosesOn: c.ClosesOn.Format(time.DateOnly)}
	}
	s.render(w, r, status, web.ManageConsultation(v))
}

func (s *Server) editConsultation(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := consultation.Details{
		Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		OpensOn: r.PostFormValue("opens_on"), ClosesOn: r.PostFormValue("closes_on"),
	}
	err = s.Consultations.UpdateDetails(r.Context(), s.actor(r).Entry(audit.ConsultationEdited), c.Slug, in)
	if errs, ok := fieldErrors(err); ok {
		s.renderManage(w, r, c, http.StatusUnprocessableEntity, web.ManageConsultationView{
			Errors: errs, Form: web.DetailsForm{Title: in.Title, Description: in.Description, OpensOn: in.OpensOn, ClosesOn: in.ClosesOn},
		})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Saved the title, description and dates")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
}

func (s *Server) moveConsultation(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	to, err := s.Consultations.MoveStatus(r.Context(), s.actor(r).Entry(audit.ConsultationStatusChanged), slug, r.PostFormValue("from"))
	if errors.Is(err, consultation.ErrStatusChanged) {
		s.renderError(w, r, http.StatusConflict, "The status has already changed",
			"Someone else changed this consultation's status since you opened the page. Go back to the consultation's page to see it now.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := map[string]string{
		consultation.Open:   "The consultation is open: its form is public and takes responses between its dates",
		consultation.Closed: "The consultation is closed: the form no longer takes responses",
	}[to]
	s.notify(r, done)
	http.Redirect(w, r, "/admin/consultations/"+slug, http.StatusSeeOther)
}

func (s *Server) replaceDefinition(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, problems := definitionUpload(r)
	if d != nil {
		_, err := s.Consultations.Replace(r.Context(), s.actor(r).Entry(audit.ConsultationReplaced), c.Slug, d)
		if err == nil {
			s.notify(r, "Loaded the new definition")
			http.Redirect(w, r, "/admin/consultations/"+c.Slug, http.StatusSeeOther)
			return
		}
		if problems = definitionProblems(err); problems == nil {
			s.fail(w, r, err)
			return
		}
	}
	s.renderManage(w, r, c, http.StatusUnprocessableEntity, web.ManageConsultationView{Errors: fileErrors(problems)})
}

func (s *Server) definitionFile(w http.ResponseWriter, r *http.Request) {
	d, err := s.Consultations.Definition(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.Slug+`.json"`)
	w.Write(append(b, '\n')) //nolint:errcheck // the client has gone
}
