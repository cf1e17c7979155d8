package server

import (
	"net/http"
	"slices"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/events"
	"heard/internal/results"
	"heard/web"
)

// showsEvents reports whether a filter lets event material in: group
// notes and event lists belong with the event channel.
func showsEvents(f results.Filter) bool {
	return len(f.Channels) == 0 || slices.Contains(f.Channels, "event")
}

// eventsSummary is the overview's section on events. Its response total
// by channel comes from the results, like every other figure there; the
// events' own attendees and responses come from the events package.
func (s *Server) eventsSummary(r *http.Request, c *consultation.Consultation, t *results.Table, o results.Overview) (web.EventsSummary, error) {
	v := web.EventsSummary{Shown: showsEvents(t.Filter)}
	if !v.Shown {
		return v, nil
	}
	list, err := s.events().List(r.Context(), c)
	if err != nil {
		return v, err
	}
	analyst := analystOrAbove(r)
	v.Rows, v.Attendees, v.Linked = eventRows(c, list, analyst)
	for _, ch := range o.ByChannel {
		if ch.Slug == "event" {
			v.ChannelResponses = ch.N
		}
	}
	if analyst {
		v.ListHref = eventsHref(c)
	}
	return v, nil
}

// eventNotes is what a question page shows of group notes: the summary
// for everyone who may see the page, the notes for analysts.
func (s *Server) eventNotes(r *http.Request, c *consultation.Consultation, q *consultation.Question, f results.Filter) (web.EventNotesView, error) {
	v := web.EventNotesView{Shown: showsEvents(f), GroupFiltered: len(f.GroupIDs) > 0, ShowNotes: analystOrAbove(r)}
	if !v.Shown {
		return v, nil
	}
	sum, err := s.events().About(r.Context(), c, q)
	if err != nil {
		return v, err
	}
	v.Events, v.Attendees = sum.Events, sum.Attendees
	if !v.ShowNotes {
		return v, nil
	}
	for _, n := range sum.Notes {
		v.Notes = append(v.Notes, web.QuestionNote{
			Event: n.EventName, EventHref: eventHref(c, n.EventID), Format: events.FormatLabel(n.Format),
			About: noteAbout(n.Note), HeldOn: n.HeldOn, Attendees: n.Attendees, Text: n.Text,
		})
	}
	return v, nil
}

func analystOrAbove(r *http.Request) bool {
	u := userFrom(r.Context())
	return u != nil && u.Role.AtLeast(accounts.Analyst)
}
