package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/events"
	"heard/web"
)

// eventUploadBytes bounds a file of one event's responses; it is imported
// within the request.
const eventUploadBytes = 10 << 20

// eventRoutes are the pages where facilitators record engagement events,
// type up the responses taken there and note what groups said; uploading
// files and deleting events are for admins.
func (s *Server) eventRoutes(r chi.Router) {
	const base = "/consultations/{slug}/events"
	const event = base + "/{event}"
	s.handle(r, "GET", base, AnalystOnly, s.eventList)
	s.handle(r, "GET", base+"/new", AnalystOnly, s.newEvent)
	s.handle(r, "POST", base, AnalystOnly, s.createEvent)
	s.handle(r, "GET", event, AnalystOnly, s.eventPage)
	s.handle(r, "GET", event+"/edit", AnalystOnly, s.editEvent)
	s.handle(r, "POST", event, AnalystOnly, s.updateEvent)
	s.handle(r, "POST", event+"/delete", AdminOnly, s.deleteEvent)
	s.handle(r, "GET", event+"/responses/new", AnalystOnly, s.entryPage)
	s.handle(r, "POST", event+"/responses", AnalystOnly, s.saveEntry)
	s.handle(r, "GET", event+"/upload", AdminOnly, s.eventUploadPage)
	s.handleLimit(r, "POST", event+"/upload", AdminOnly, eventUploadBytes+(1<<20), s.eventUpload)
	s.handle(r, "GET", event+"/notes/new", AnalystOnly, s.newNote)
	s.handle(r, "POST", event+"/notes", AnalystOnly, s.createNote)
	s.handle(r, "GET", event+"/notes/{note}/edit", AnalystOnly, s.editNote)
	s.handle(r, "POST", event+"/notes/{note}", AnalystOnly, s.updateNote)
	s.handle(r, "POST", event+"/notes/{note}/delete", AnalystOnly, s.deleteNote)
}

func (s *Server) events() *events.Service { return s.Events }

func eventsHref(c *consultation.Consultation) string { return "/consultations/" + c.Slug + "/events" }

func eventHref(c *consultation.Consultation, id int64) string {
	return fmt.Sprintf("%s/%d", eventsHref(c), id)
}

// loadEvent reads the consultation and the event named in the URL.
func (s *Server) loadEvent(r *http.Request) (*consultation.Consultation, *events.Event, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "event"), 10, 64)
	if err != nil {
		return nil, nil, events.ErrNotFound
	}
	ev, err := s.events().Get(r.Context(), c, id)
	return c, ev, err
}

func (s *Server) eventList(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.events().List(r.Context(), c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := web.EventsView{
		Page: s.page(r, "Engagement events: "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}),
		Slug: c.Slug, Title: c.Title, Notice: s.notice(r), NewHref: eventsHref(c) + "/new",
	}
	v.Rows, v.Attendees, v.Responses = eventRows(c, list, true)
	s.render(w, r, http.StatusOK, web.Events(v))
}

// eventRows lists events, with links to their pages when linked.
func eventRows(c *consultation.Consultation, list []*events.Event, linked bool) ([]web.EventRow, int, int64) {
	var rows []web.EventRow
	var attendees int
	var responses int64
	for _, e := range list {
		row := web.EventRow{Name: e.Name, Format: events.FormatLabel(e.Format), Where: e.Where(), HeldOn: e.HeldOn,
			Attendees: e.Attendees, Responses: e.Responses, Notes: e.Notes}
		if linked {
			row.Href = eventHref(c, e.ID)
		}
		rows = append(rows, row)
		attendees += e.Attendees
		responses += e.Responses
	}
	return rows, attendees, responses
}

func (s *Server) newEvent(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderEventForm(w, r, c, nil, events.Input{}, http.StatusOK, nil)
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := eventInput(r)
	id, err := s.events().Create(r.Context(), s.actor(r), c, in)
	if errs, ok := fieldErrors(err); ok {
		s.renderEventForm(w, r, c, nil, in, http.StatusUnprocessableEntity, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Event recorded")
	http.Redirect(w, r, eventHref(c, id), http.StatusSeeOther)
}

func (s *Server) editEvent(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderEventForm(w, r, c, ev, events.InputOf(ev), http.StatusOK, nil)
}

func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := eventInput(r)
	err = s.events().Update(r.Context(), s.actor(r), c, ev.ID, in)
	if errs, ok := fieldErrors(err); ok {
		s.renderEventForm(w, r, c, ev, in, http.StatusUnprocessableEntity, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Event details saved")
	http.Redirect(w, r, eventHref(c, ev.ID), http.StatusSeeOther)
}

func (s *Server) deleteEvent(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err == nil {
		err = s.events().Delete(r.Context(), s.actor(r), c, ev.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Deleted "+ev.Name)
	http.Redirect(w, r, eventsHref(c), http.StatusSeeOther)
}

func eventInput(r *http.Request) events.Input {
	r.ParseForm() //nolint:errcheck // a bad body leaves the fields empty, which the form reports
	f := r.PostForm
	return events.Input{
		Name: f.Get("name"), Day: f.Get("day"), Month: f.Get("month"), Year: f.Get("year"), Format: f.Get("format"),
		Where: f.Get("where"), Place: f.Get("place"), Attendees: f.Get("attendees"), Facilitator: f.Get("facilitator"),
		Reached: f.Get("reached"), Groups: f["groups"],
	}
}

func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, ev *events.Event, in events.Input, status int, errs []web.FieldError) {
	v := web.EventFormView{
		Title: c.Title, Heading: "Record an event", Submit: "Record event", Action: eventsHref(c), CancelHref: eventsHref(c),
		Errors: errs, Name: in.Name, Day: in.Day, Month: in.Month, Year: in.Year, Where: in.Where, Place: in.Place,
		Attendees: in.Attendees, Facilitator: in.Facilitator, Reached: in.Reached,
	}
	crumbs := []web.Crumb{{Label: c.Title, Href: "/consultations/" + c.Slug}, {Label: "Engagement events", Href: eventsHref(c)}}
	if ev != nil {
		v.Heading, v.Submit, v.Action, v.CancelHref = "Edit event details", "Save changes", eventHref(c, ev.ID), eventHref(c, ev.ID)
		crumbs = append(crumbs, web.Crumb{Label: ev.Name, Href: eventHref(c, ev.ID)})
	}
	for _, f := range events.Formats {
		v.Formats = append(v.Formats, web.Choice{Value: f.Slug, Label: f.Label, Checked: in.Format == f.Slug})
	}
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, web.Choice{Value: g.Slug, Label: g.Label, Checked: slices.Contains(in.Groups, g.Slug)})
	}
	title := v.Heading
	if len(errs) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title, crumbs...)
	s.render(w, r, status, web.EventForm(v))
}

// isAdmin reports whether the signed-in user manages the service.
func isAdmin(r *http.Request) bool {
	u := userFrom(r.Context())
	return u != nil && u.Role.AtLeast(accounts.Admin)
}
