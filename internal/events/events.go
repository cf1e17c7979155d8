// Package events records engagement events — focus groups, webinars,
// interviews, drop-in sessions — and what came out of them: responses
// typed up from paper forms or interviews (channel "event", linked to the
// event, written through ingest like every other response), CSV/XLSX
// files of such responses, and facilitators' notes of what a group said.
//
// Notes are group records, never responses: they live in their own table,
// and nothing in the results package reads it. Attendees are reported
// beside the responses and never added to them, so nobody is counted as a
// respondent unless they gave a response.
package events

import (
	"errors"
	"strings"
	"time"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/fielderr"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Errors the HTTP layer turns into pages.
var (
	ErrNotFound     = errors.New("events: not found")
	ErrHasResponses = errors.New("events: the event has responses")
)

// Audit actions of this package.
const (
	ActionEventCreated  = "event_created"
	ActionEventChanged  = "event_changed"
	ActionEventDeleted  = "event_deleted"
	ActionResponseAdded = "event_response_added"
	ActionNoteAdded     = "event_note_added"
	ActionNoteChanged   = "event_note_changed"
	ActionNoteDeleted   = "event_note_deleted"
)

// Format is a kind of event.
type Format struct {
	Slug, Label string
}

// Formats are the kinds of event, in the order forms offer them.
var Formats = []Format{
	{"focus-group", "Focus group"},
	{"webinar", "Webinar"},
	{"interview", "Interview"},
	{"drop-in", "Drop-in session"},
	{"other", "Other"},
}

// FormatLabel names a format for people.
func FormatLabel(slug string) string {
	for _, f := range Formats {
		if f.Slug == slug {
			return f.Label
		}
	}
	return slug
}

// Event is one engagement event with its own figures.
type Event struct {
	ID          int64
	Name        string
	HeldOn      time.Time
	Format      string
	Online      bool
	Place       string
	Attendees   int
	Facilitator string
	// Reached are free tags for whom the event reached, e.g. "unpaid
	// carers"; Groups are the consultation's respondent groups it reached.
	Reached []string
	Groups  []*consultation.Group
	// Responses is how many responses are linked to the event; Notes how
	// many group notes it has.
	Responses, Notes int64
}

// Where says where the event was held, for people.
func (e *Event) Where() string {
	if e.Online {
		return "Online"
	}
	return e.Place
}

// FieldError is one problem with one form field; Field is the input's id.
type FieldError struct {
	Field, Message string
}

// ValidationError lists every problem with an input at once.
type ValidationError struct {
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Field + ": " + p.Message
	}
	return "events: " + strings.Join(msgs, "; ")
}

// FieldProblems names the fields at fault (fielderr.Error).
func (e *ValidationError) FieldProblems() []fielderr.Problem {
	out := make([]fielderr.Problem, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = fielderr.Problem{Field: p.Field, Message: p.Message}
	}
	return out
}

// problems collects field errors while checking an input.
type problems []FieldError

func (p *problems) add(field, msg string) { *p = append(*p, FieldError{Field: field, Message: msg}) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// Service records events, their responses and their notes.
type Service struct {
	Pool *pgxpool.Pool
}

// entry starts an audit entry for something a signed-in user (or the
// command line) did.
func entry(a accounts.Actor, c *consultation.Consultation, action, recordType string, id int64) audit.Entry {
	e := a.Entry(action)
	e.ConsultationID, e.RecordType, e.RecordID = &c.ID, recordType, itoa(id)
	return e
}
