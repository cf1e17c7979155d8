package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"heard/internal/events"
	"heard/web"
)

const eventResponsesPerPage = 50

func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	var after int64
	if a := r.URL.Query().Get("after"); a != "" {
		if after, err = strconv.ParseInt(a, 10, 64); err != nil || after < 0 {
			s.fail(w, r, errBadPage)
			return
		}
	}
	t, err := s.events().Counts(ctx, c, ev.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notes, err := s.events().Notes(ctx, c, ev)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	responses, more, err := s.events().Responses(ctx, c, ev.ID, after, eventResponsesPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	href := eventHref(c, ev.ID)
	v := web.EventView{
		Page:  s.page(r, ev.Name, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Engagement events", Href: eventsHref(c)}),
		Title: c.Title, Notice: s.notice(r),
		Name: ev.Name, Format: events.FormatLabel(ev.Format), Where: ev.Where(), Facilitator: ev.Facilitator,
		HeldOn: ev.HeldOn, Attendees: ev.Attendees, Reached: ev.Reached,
		EditHref: href + "/edit", EntryHref: href + "/responses/new", NoteHref: href + "/notes/new",
		Overview: t.Overview(),
	}
	for _, g := range ev.Groups {
		v.Groups = append(v.Groups, g.Label)
	}
	if isAdmin(r) {
		v.UploadHref = href + "/upload"
		if ev.Responses == 0 {
			v.DeleteHref = href + "/delete"
		}
	}
	for _, q := range c.Questions {
		if qr := t.Question(q); qr.Answered > 0 {
			v.Questions = append(v.Questions, web.QuestionSummary{Code: q.Code, Prompt: q.Prompt, Headline: web.Headline(qr)})
		}
	}
	for _, n := range notes {
		v.Notes = append(v.Notes, web.EventNoteRow{About: noteAbout(n), Attendees: n.Attendees, Text: n.Text,
			EditHref: fmt.Sprintf("%s/notes/%d/edit", href, n.ID)})
	}
	for _, resp := range responses {
		row := web.EventResponseRow{Ref: strconv.FormatInt(resp.ID, 10), Who: resp.Group}
		if resp.Organisation != "" {
			row.Who += "; on behalf of " + resp.Organisation
		}
		if resp.Imported {
			row.Who += "; uploaded from a file"
		} else {
			row.Who += "; typed up"
		}
		for _, a := range resp.Answers {
			row.Answers = append(row.Answers, web.EventAnswer{Code: a.Code, Value: a.Value})
		}
		v.Responses = append(v.Responses, row)
	}
	if after > 0 {
		v.FirstHref = href
	}
	if more {
		v.NextHref = href + "?" + url.Values{"after": {strconv.FormatInt(responses[len(responses)-1].ID, 10)}}.Encode()
	}
	s.render(w, r, http.StatusOK, web.Event(v))
}

// noteAbout names what a note is attributed to, for people.
func noteAbout(n events.Note) string {
	switch {
	case n.Question != nil:
		return "question " + n.Question.Code
	case n.Theme != nil:
		return "the theme " + n.Theme.Title
	}
	return "the consultation" // the database requires a theme or a question
}
