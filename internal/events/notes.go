package events

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
)

// Note is a facilitator's record of what a group said at an event,
// attributed to one theme or one question. It is never a response.
type Note struct {
	ID       int64
	EventID  int64
	Theme    *consultation.Theme    // set when the note is about a theme
	Question *consultation.Question // set when it is about a question
	// Attendees is how many people took part in the discussion noted.
	Attendees int
	Text      string
}

// About names what a note is attributed to, e.g. "theme:smarter-regulation"
// or "question:Q1b": the value of the form's choice.
func (n *Note) About() string {
	if n.Question != nil {
		return "question:" + n.Question.Code
	}
	if n.Theme != nil {
		return "theme:" + n.Theme.Slug
	}
	return ""
}

// NoteInput is a note as typed into its form.
type NoteInput struct {
	About     string // "theme:SLUG" or "question:CODE"
	Attendees string
	Text      string
}

// checkNote validates in for event ev of c.
func checkNote(c *consultation.Consultation, ev *Event, in NoteInput) (db.CreateEventNoteParams, error) {
	p := db.CreateEventNoteParams{ConsultationID: c.ID, EventID: ev.ID}
	var pr problems
	kind, ref, _ := strings.Cut(in.About, ":")
	switch {
	case kind == "theme" && themeBySlug(c, ref) != nil:
		p.ThemeID = &themeBySlug(c, ref).ID
	case kind == "question" && c.Question(ref) != nil:
		p.QuestionID = &c.Question(ref).ID
	default:
		pr.add("about", "Select the theme or question the note is about")
	}
	n, err := strconv.Atoi(strings.TrimSpace(in.Attendees))
	switch {
	case strings.TrimSpace(in.Attendees) == "":
		pr.add("note-attendees", "Enter how many people took part in this discussion")
	case err != nil:
		pr.add("note-attendees", "Number of people must be a whole number, like 8")
	case n < 0 || n > ev.Attendees:
		pr.add("note-attendees", fmt.Sprintf("Number of people must be between 0 and the %d who attended the event", ev.Attendees))
	}
	p.Attendees = int32(n)
	p.Text = strings.ReplaceAll(strings.TrimSpace(in.Text), "\r\n", "\n")
	switch l := utf8.RuneCountInString(p.Text); {
	case l == 0:
		pr.add("note-text", "Enter what the group said")
	case l > consultation.MaxAnswerChars:
		pr.add("note-text", fmt.Sprintf("Note must be %d characters or fewer (it is %d)", consultation.MaxAnswerChars, l))
	}
	return p, pr.err()
}

func themeBySlug(c *consultation.Consultation, slug string) *consultation.Theme {
	for _, t := range c.Themes {
		if t.Slug == slug {
			return t
		}
	}
	return nil
}

// AddNote records a group note for event ev and returns its id.
func (s *Service) AddNote(ctx context.Context, a accounts.Actor, c *consultation.Consultation, ev *Event, in NoteInput) (int64, error) {
	p, err := checkNote(c, ev, in)
	if err != nil {
		return 0, err
	}
	if a.User != nil {
		p.CreatedBy = &a.User.ID
	}
	var id int64
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if id, err = q.CreateEventNote(ctx, p); err != nil {
			return fmt.Errorf("events: add note to %d: %w", ev.ID, err)
		}
		return audit.Record(ctx, q, noteEntry(a, c, ActionNoteAdded, id, ev, in.About, p.Attendees))
	})
	return id, err
}

// UpdateNote changes note id of event ev.
func (s *Service) UpdateNote(ctx context.Context, a accounts.Actor, c *consultation.Consultation, ev *Event, id int64, in NoteInput) error {
	p, err := checkNote(c, ev, in)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		n, err := q.UpdateEventNote(ctx, db.UpdateEventNoteParams{EventID: ev.ID, ID: id, ThemeID: p.ThemeID, QuestionID: p.QuestionID, Attendees: p.Attendees, Text: p.Text})
		if err != nil {
			return fmt.Errorf("events: update note %d: %w", id, err)
		}
		if n == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, q, noteEntry(a, c, ActionNoteChanged, id, ev, in.About, p.Attendees))
	})
}

// DeleteNote removes note id of event ev.
func (s *Service) DeleteNote(ctx context.Context, a accounts.Actor, c *consultation.Consultation, ev *Event, id int64) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		n, err := q.DeleteEventNote(ctx, db.DeleteEventNoteParams{EventID: ev.ID, ID: id})
		if err != nil {
			return fmt.Errorf("events: delete note %d: %w", id, err)
		}
		if n == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, q, noteEntry(a, c, ActionNoteDeleted, id, ev, "", 0))
	})
}

func noteEntry(a accounts.Actor, c *consultation.Consultation, action string, id int64, ev *Event, about string, attendees int32) audit.Entry {
	e := entry(a, c, action, "event_note", id)
	e.Detail = map[string]any{"event_id": ev.ID, "event": ev.Name}
	if about != "" {
		e.Detail["about"], e.Detail["attendees"] = about, attendees
	}
	return e
}

// Notes returns event ev's notes in the order they were written.
func (s *Service) Notes(ctx context.Context, c *consultation.Consultation, ev *Event) ([]Note, error) {
	rows, err := db.New(s.Pool).EventNotes(ctx, ev.ID)
	if err != nil {
		return nil, fmt.Errorf("events: notes of %d: %w", ev.ID, err)
	}
	out := make([]Note, len(rows))
	for i, r := range rows {
		out[i] = noteOf(c, r.ID, r.EventID, r.ThemeID, r.QuestionID, r.Attendees, r.Text)
	}
	return out, nil
}

// Note returns note id of event ev.
func (s *Service) Note(ctx context.Context, c *consultation.Consultation, ev *Event, id int64) (Note, error) {
	r, err := db.New(s.Pool).GetEventNote(ctx, db.GetEventNoteParams{EventID: ev.ID, ID: id})
	if errors.Is(err, pgx.ErrNoRows) {
		return Note{}, ErrNotFound
	}
	if err != nil {
		return Note{}, fmt.Errorf("events: note %d: %w", id, err)
	}
	return noteOf(c, r.ID, r.EventID, r.ThemeID, r.QuestionID, r.Attendees, r.Text), nil
}

func noteOf(c *consultation.Consultation, id, eventID int64, themeID, questionID *int32, attendees int32, text string) Note {
	n := Note{ID: id, EventID: eventID, Attendees: int(attendees), Text: text}
	for _, t := range c.Themes {
		if themeID != nil && t.ID == *themeID {
			n.Theme = t
		}
	}
	for _, q := range c.Questions {
		if questionID != nil && q.ID == *questionID {
			n.Question = q
		}
	}
	return n
}
