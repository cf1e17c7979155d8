package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/events"
	"heard/web"
)

func (s *Server) newNote(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := events.NoteInput{Attendees: strconv.Itoa(ev.Attendees)}
	s.renderNoteForm(w, r, c, ev, nil, in, http.StatusOK, nil)
}

func (s *Server) createNote(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := noteInput(r)
	_, err = s.events().AddNote(r.Context(), s.actor(r), c, ev, in)
	if errs, ok := fieldErrors(err); ok {
		s.renderNoteForm(w, r, c, ev, nil, in, http.StatusUnprocessableEntity, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Group note added")
	http.Redirect(w, r, eventHref(c, ev.ID), http.StatusSeeOther)
}

// loadNote reads the consultation, event and note named in the URL.
func (s *Server) loadNote(r *http.Request) (*consultation.Consultation, *events.Event, *events.Note, error) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "note"), 10, 64)
	if err != nil {
		return nil, nil, nil, events.ErrNotFound
	}
	n, err := s.events().Note(r.Context(), c, ev, id)
	return c, ev, &n, err
}

func (s *Server) editNote(w http.ResponseWriter, r *http.Request) {
	c, ev, n, err := s.loadNote(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := events.NoteInput{About: n.About(), Attendees: strconv.Itoa(n.Attendees), Text: n.Text}
	s.renderNoteForm(w, r, c, ev, n, in, http.StatusOK, nil)
}

func (s *Server) updateNote(w http.ResponseWriter, r *http.Request) {
	c, ev, n, err := s.loadNote(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := noteInput(r)
	err = s.events().UpdateNote(r.Context(), s.actor(r), c, ev, n.ID, in)
	if errs, ok := fieldErrors(err); ok {
		s.renderNoteForm(w, r, c, ev, n, in, http.StatusUnprocessableEntity, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Group note saved")
	http.Redirect(w, r, eventHref(c, ev.ID), http.StatusSeeOther)
}

func (s *Server) deleteNote(w http.ResponseWriter, r *http.Request) {
	c, ev, n, err := s.loadNote(r)
	if err == nil {
		err = s.events().DeleteNote(r.Context(), s.actor(r), c, ev, n.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Group note deleted")
	http.Redirect(w, r, eventHref(c, ev.ID), http.StatusSeeOther)
}

func noteInput(r *http.Request) events.NoteInput {
	return events.NoteInput{About: r.PostFormValue("about"), Attendees: r.PostFormValue("note-attendees"), Text: r.PostFormValue("note-text")}
}

func (s *Server) renderNoteForm(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, ev *events.Event, n *events.Note, in events.NoteInput, status int, errs []web.FieldError) {
	href := eventHref(c, ev.ID)
	v := web.NoteFormView{
		EventName: ev.Name, EventHref: href, Heading: "Add a group note", Submit: "Add note", Action: href + "/notes",
		Errors: errs, Attendees: in.Attendees, Text: in.Text, EventAttendees: ev.Attendees,
	}
	if n != nil {
		v.Heading, v.Submit = "Edit group note", "Save note"
		v.Action = fmt.Sprintf("%s/notes/%d", href, n.ID)
		v.DeleteHref = v.Action + "/delete"
	}
	for _, t := range c.Themes {
		v.Themes = append(v.Themes, web.Choice{Value: "theme:" + t.Slug, Label: t.Title, Checked: in.About == "theme:"+t.Slug})
	}
	for _, q := range c.Questions {
		if q.Kind != "demographic" {
			v.Questions = append(v.Questions, web.Choice{Value: "question:" + q.Code, Label: q.Code + ": " + q.Prompt, Checked: in.About == "question:"+q.Code})
		}
	}
	title := v.Heading + ": " + ev.Name
	if len(errs) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Engagement events", Href: eventsHref(c)}, web.Crumb{Label: ev.Name, Href: href})
	s.render(w, r, status, web.NoteForm(v))
}
