package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"heard/internal/personal"
	"heard/internal/results"
	"heard/web"
)

func (s *Server) subjectAccess(w http.ResponseWriter, r *http.Request) {
	s.renderSubjectAccess(w, r, http.StatusOK, web.SubjectAccessView{Notice: s.notice(r), Received: time.Now().In(results.London).Format(time.DateOnly)})
}

func (s *Server) renderSubjectAccess(w http.ResponseWriter, r *http.Request, status int, v web.SubjectAccessView) {
	reqs, err := s.Personal.Requests(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := time.Now().In(results.London).Format(time.DateOnly)
	for _, q := range reqs {
		due := q.DueOn.Format(time.DateOnly)
		v.Requests = append(v.Requests, web.SubjectAccessRow{ID: q.ID, Label: q.Label, Received: web.Date(q.ReceivedOn), Due: web.Date(q.DueOn),
			Status: statusWords(q.Status), Overdue: q.Status == "open" && due < today, Found: int(q.Found)})
	}
	title := "Subject access requests"
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title, web.Crumb{Label: "Admin", Href: "/admin"})
	s.render(w, r, status, web.SubjectAccess(v))
}

func statusWords(s string) string {
	switch s {
	case "exported":
		return "Exported"
	case "closed":
		return "Closed"
	}
	return "Open"
}

// searchSubject logs a request and shows what was found. The page is
// the POST's answer, not a redirect, so the searched words never sit in
// an address or a log line.
func (s *Server) searchSubject(w http.ResponseWriter, r *http.Request) {
	v := web.SubjectAccessView{Label: r.PostFormValue("label"), Term: strings.TrimSpace(r.PostFormValue("term")), Received: r.PostFormValue("received")}
	received, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v.Received), results.London)
	if err != nil {
		v.Errors = append(v.Errors, web.FieldError{Field: "received", Message: "Enter the date the request was received, like 2026-11-29"})
	}
	if strings.TrimSpace(v.Label) == "" {
		v.Errors = append(v.Errors, web.FieldError{Field: "label", Message: "Enter who made the request and how"})
	}
	var found *personal.Found
	var inv *personal.InvalidError
	if found, err = s.Personal.Search(r.Context(), v.Term); errors.As(err, &inv) {
		v.Errors = append(v.Errors, web.FieldError{Field: inv.Field, Message: inv.Message})
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(v.Errors) > 0 {
		s.renderSubjectAccess(w, r, http.StatusBadRequest, v)
		return
	}
	if v.RequestID, err = s.Personal.LogRequest(r.Context(), s.personalActor(r), v.Label, received, found.Count()); err != nil {
		s.fail(w, r, err)
		return
	}
	v.Searched = true
	for _, fr := range found.Responses {
		detail := fmt.Sprintf("%s, %s, received %s", fr.Consultation, results.ChannelLabel(fr.Channel), web.Date(fr.Received.In(results.London)))
		if fr.RawFile != "" {
			detail += ", with the original message"
		}
		if len(fr.Scans) > 0 {
			detail += fmt.Sprintf(", %d scanned %s", len(fr.Scans), plural(len(fr.Scans), "file", "files"))
		}
		v.Found = append(v.Found, web.SubjectFoundRow{What: "Response " + fr.Reference, Detail: detail,
			Href: fmt.Sprintf("/consultations/%s/responses/%d", fr.Consultation, fr.ID)})
	}
	for _, d := range found.Drafts {
		v.Found = append(v.Found, web.SubjectFoundRow{What: "Webform draft " + d.Reference, Detail: d.Consultation})
	}
	for _, u := range found.Uploads {
		v.Found = append(v.Found, web.SubjectFoundRow{What: "Uploaded file " + u.File, Detail: fmt.Sprintf("%d matching %s", len(u.Lines), plural(len(u.Lines), "line", "lines"))})
	}
	for _, a := range found.Audit {
		v.Found = append(v.Found, web.SubjectFoundRow{What: "Audit record", Detail: a.At.In(results.London).Format("2 Jan 2006 15:04") + ": " + a.Action})
	}
	s.renderSubjectAccess(w, r, http.StatusOK, v)
}

// subjectBundle sends the ZIP of everything found for a logged request.
func (s *Server) subjectBundle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.fail(w, r, personal.ErrNotFound)
		return
	}
	found, err := s.Personal.Search(r.Context(), r.PostFormValue("term"))
	var inv *personal.InvalidError
	if errors.As(err, &inv) {
		s.renderSubjectAccess(w, r, http.StatusBadRequest, web.SubjectAccessView{Errors: []web.FieldError{{Field: "term", Message: inv.Message}}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Personal.MarkExported(r.Context(), s.personalActor(r), id, found.Count()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="subject-access-%d.zip"`, id))
	w.Header().Set("Cache-Control", "no-store")
	if err := found.WriteBundle(w); err != nil {
		s.logError(r, "subject access bundle", "request", id, "err", err)
	}
}
