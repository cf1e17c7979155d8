package events

import (
	"context"
	"fmt"
	"time"

	"heard/internal/consultation"
	"heard/internal/db"
)

// EventNote is a note listed beside a question's answers, with the
// event it came from.
type EventNote struct {
	Note
	EventName string
	HeldOn    time.Time
	Format    string
}

// Summary is what group notes say about one question: how many events
// and attendees they come from, and the notes themselves.
type Summary struct {
	Events int
	// Attendees adds up, per event, the largest group among its notes
	// here (never more than came to the event), so someone whose group
	// left two notes on a theme is not counted twice. Attendees are
	// people who took part in a discussion, not respondents.
	Attendees int
	// ByEvent is each event's share of Attendees, for small-number
	// protection.
	ByEvent []int
	Notes   []EventNote
}

// About returns the notes on question q, on the question it explains or
// that explain it, and on its theme.
func (s *Service) About(ctx context.Context, c *consultation.Consultation, q *consultation.Question) (Summary, error) {
	questionIDs := []int32{q.ID}
	if q.Explains != nil {
		questionIDs = append(questionIDs, q.Explains.ID)
	}
	for _, o := range c.Questions {
		if o.Explains == q {
			questionIDs = append(questionIDs, o.ID)
		}
	}
	themeIDs := []int32{}
	if q.Theme != nil {
		themeIDs = append(themeIDs, q.Theme.ID)
	}
	rows, err := db.New(s.Pool).NotesAbout(ctx, db.NotesAboutParams{ConsultationID: c.ID, QuestionIds: questionIDs, ThemeIds: themeIDs})
	if err != nil {
		return Summary{}, fmt.Errorf("events: notes about %s: %w", q.Code, err)
	}
	var sum Summary
	largest := map[int64]int{}
	for _, r := range rows {
		n := EventNote{
			Note:      noteOf(c, r.ID, r.EventID, r.ThemeID, r.QuestionID, r.Attendees, r.Text),
			EventName: r.EventName, HeldOn: r.HeldOn, Format: r.Format,
		}
		sum.Notes = append(sum.Notes, n)
		if _, seen := largest[r.EventID]; !seen {
			sum.Events++
		}
		largest[r.EventID] = max(largest[r.EventID], min(n.Attendees, int(r.EventAttendees)))
	}
	for _, n := range largest {
		sum.Attendees += n
		sum.ByEvent = append(sum.ByEvent, n)
	}
	return sum, nil
}
