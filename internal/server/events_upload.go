package server

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"heard/internal/consultation"
	"heard/internal/events"
	"heard/web"
)

func (s *Server) eventUploadPage(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderEventUpload(w, r, c, ev, http.StatusOK, nil, nil)
}

// eventUpload imports a small file of one event's responses within the
// request and shows what happened; large batches go through the import
// pages instead.
func (s *Server) eventUpload(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	again := func(msg string) {
		s.renderEventUpload(w, r, c, ev, http.StatusUnprocessableEntity, []web.FieldError{{Field: "file", Message: msg}}, nil)
	}
	f, hdr, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case bodyTimedOut(err):
		s.requestTimeout(w, r)
		return
	case errors.As(err, &tooBig):
		again("The file must be smaller than 10 MB")
		return
	case err != nil:
		again("Select a CSV or Excel file")
		return
	}
	defer f.Close()
	if ext := filepath.Ext(hdr.Filename); ext != ".csv" && ext != ".xlsx" {
		again("The file must be a .csv or .xlsx file in Heard's template")
		return
	}
	tmp, err := os.CreateTemp("", "heard-event-*"+filepath.Ext(hdr.Filename))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, f)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n == 0 {
		again("The selected file is empty")
		return
	}
	rep, err := s.events().Upload(r.Context(), s.actor(r), c, ev, tmp.Name(), hdr.Filename, r.PostFormValue("skip_invalid") == "true")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &web.EventUploadReport{File: rep.File, Status: rep.Status, Imported: rep.Imported, Duplicates: len(rep.Duplicates), Rejected: rep.Rejected}
	for _, p := range rep.Problems {
		v.Problems = append(v.Problems, p.String())
	}
	status := http.StatusOK
	if rep.Status == "rejected" {
		status = http.StatusUnprocessableEntity
	}
	ev, err = s.events().Get(r.Context(), c, ev.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderEventUpload(w, r, c, ev, status, nil, v)
}

func (s *Server) renderEventUpload(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, ev *events.Event, status int, errs []web.FieldError, rep *web.EventUploadReport) {
	href := eventHref(c, ev.ID)
	title := "Upload responses: " + ev.Name
	if len(errs) > 0 || (rep != nil && rep.Status == "rejected") {
		title = "Error: " + title
	}
	tmpl := "/admin/consultations/" + c.Slug + "/template."
	s.render(w, r, status, web.EventUpload(web.EventUploadView{
		Page:      s.page(r, title, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Engagement events", Href: eventsHref(c)}, web.Crumb{Label: ev.Name, Href: href}),
		EventName: ev.Name, EventHref: href, Action: href + "/upload", TemplateCSV: tmpl + "csv", TemplateXLSX: tmpl + "xlsx",
		MaxMiB: eventUploadBytes >> 20, Errors: errs, Report: rep,
	}))
}
