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
			v.ChannelResponses, v.ChannelResponsesWithheld = ch.N, ch.Withheld
		}
	}
	if t.Protected() {
		protectEventRows(t.Policy, &v)
	}
	if analyst {
		v.ListHref = eventsHref(c)
	}
	return v, nil
}

// eventNotes is what a question page shows of group notes: the summary
// for everyone who may see the page, the notes for analysts.
func (s *Server) eventNotes(r *http.Request, c *consultation.Consultation, q *consultation.Question, t *results.Table) (web.EventNotesView, error) {
	f := t.Filter
	v := web.EventNotesView{Shown: showsEvents(f), GroupFiltered: len(f.GroupIDs) > 0, ShowNotes: analystOrAbove(r)}
	if !v.Shown {
		return v, nil
	}
	sum, err := s.events().About(r.Context(), c, q)
	if err != nil {
		return v, err
	}
	v.Events, v.Attendees = sum.Events, sum.Attendees
	if t.Protected() {
		// The people in the discussions, per event, through the same
		// protection as every count a protected reader sees.
		m := make([][]int64, len(sum.ByEvent))
		for i, n := range sum.ByEvent {
			m[i] = []int64{int64(n)}
		}
		if w := results.NewGuard(t.Policy, m).Withhold(everyAtom(len(m)), int64(sum.Attendees)); w != "" {
			v.Attendees, v.AttendeesWithheld = 0, w
		}
	}
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

// protectEventRows withholds, for a protected reader, the events table's
// small figures: each event's attendees and responses are atoms of their
// own dimension (events), pooled and shown through results.Guard like
// every other count, and so are the totals and the linked responses.
func protectEventRows(p results.Policy, v *web.EventsSummary) {
	m := make([][]int64, len(v.Rows))
	for i, e := range v.Rows {
		m[i] = []int64{int64(e.Attendees), e.Responses}
	}
	g := results.NewGuard(p, m)
	for i := range v.Rows {
		one := make([]bool, len(m))
		one[i] = true
		if w := g.Withhold(one, m[i][0]); w != "" {
			v.Rows[i].Attendees, v.Rows[i].AttendeesWithheld = 0, w
		}
		if w := g.Withhold(one, m[i][1]); w != "" {
			v.Rows[i].Responses, v.Rows[i].ResponsesWithheld = 0, w
		}
	}
	every := everyAtom(len(m))
	if w := g.Withhold(every, int64(v.Attendees)); w != "" {
		v.Attendees, v.AttendeesWithheld = 0, w
	}
	if w := g.Withhold(every, v.Linked); w != "" {
		v.Linked, v.LinkedWithheld = 0, w
	}
}

// everyAtom is a set of n atoms, every one in it.
func everyAtom(n int) []bool { return slices.Repeat([]bool{true}, n) }
