package events_test

import (
	"context"
	"errors"
	"testing"

	"heard/internal/events"
)

// Group notes are kept, attributed and summarised, and never counted as
// responses or answers.
func TestGroupNotesAreNeverResponses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	carers := e.event(focusGroup("Carers' focus group", "12"))
	webinar := e.event(focusGroup("Providers' webinar", "30"))
	other := e.event(focusGroup("Unrelated", "9"))
	add := func(ev *events.Event, about, attendees, text string) int64 {
		t.Helper()
		id, err := e.svc.AddNote(ctx, e.by, e.c, ev, events.NoteInput{About: about, Attendees: attendees, Text: text})
		if err != nil {
			t.Fatalf("add note %q: %v", text, err)
		}
		return id
	}
	add(carers, "theme:people-and-communities", "12", "Carers want to be asked, not told.")
	// A second note from the same group: its people are not counted again.
	add(carers, "question:Q1b", "8", "Most tables said mostly, with worries about follow-up.")
	add(webinar, "question:Q1a", "29", "Providers broadly supportive.")
	add(other, "theme:smarter-regulation", "9", "About another theme entirely.")

	if o := e.overview(); o.Total != 0 {
		t.Errorf("notes counted as %d responses", o.Total)
	}
	var answers int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM answers`).Scan(&answers); err != nil || answers != 0 {
		t.Errorf("notes stored as %d answers (%v)", answers, err)
	}

	sum, err := e.svc.About(ctx, e.c, e.c.Question("Q1b"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Events != 2 || sum.Attendees != 12+29 || len(sum.Notes) != 3 {
		t.Errorf("about Q1b: %d events, %d attendees, %d notes; want 2, 41, 3", sum.Events, sum.Attendees, len(sum.Notes))
	}
	if n := sum.Notes[0]; n.EventName != "Carers' focus group" || n.Theme == nil || n.Theme.Slug != "people-and-communities" {
		t.Errorf("first note: %+v", n)
	}
	if sum, _ := e.svc.About(ctx, e.c, e.c.Question("Q7")); sum.Events != 0 || len(sum.Notes) != 0 {
		t.Errorf("about Q7: %+v", sum)
	}

	notes, err := e.svc.Notes(ctx, e.c, carers)
	if err != nil || len(notes) != 2 || notes[1].Question.Code != "Q1b" || notes[1].About() != "question:Q1b" {
		t.Fatalf("carers' notes: %+v, %v", notes, err)
	}
	in := events.NoteInput{About: "question:Q1a", Attendees: "6", Text: "Corrected: about Q1a."}
	if err := e.svc.UpdateNote(ctx, e.by, e.c, carers, notes[1].ID, in); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.svc.Note(ctx, e.c, carers, notes[1].ID); n.Question.Code != "Q1a" || n.Attendees != 6 || n.Text != "Corrected: about Q1a." {
		t.Errorf("after edit: %+v", n)
	}
	// A note belongs to its event: another event's address finds nothing.
	if err := e.svc.UpdateNote(ctx, e.by, e.c, webinar, notes[1].ID, in); !errors.Is(err, events.ErrNotFound) {
		t.Errorf("edit through another event: %v", err)
	}
	if err := e.svc.DeleteNote(ctx, e.by, e.c, carers, notes[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Note(ctx, e.c, carers, notes[0].ID); !errors.Is(err, events.ErrNotFound) {
		t.Errorf("deleted note: %v", err)
	}
	for action, want := range map[string]int{events.ActionNoteAdded: 4, events.ActionNoteChanged: 1, events.ActionNoteDeleted: 1} {
		if n := e.audited(action); n != want {
			t.Errorf("%s audited %d times, want %d", action, n, want)
		}
	}
}

func TestNoteFormIsChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ev := e.event(focusGroup("Small group", "5"))
	for _, tc := range []struct {
		in          events.NoteInput
		field, want string
	}{
		{events.NoteInput{Attendees: "5", Text: "x"}, "about", "Select the theme or question the note is about"},
		{events.NoteInput{About: "theme:nope", Attendees: "5", Text: "x"}, "about", "Select the theme or question the note is about"},
		{events.NoteInput{About: "question:Q9", Attendees: "5", Text: "x"}, "about", "Select the theme or question the note is about"},
		{events.NoteInput{About: "question:Q1b", Attendees: "6", Text: "x"}, "note-attendees", "Number of people must be between 0 and the 5 who attended the event"},
		{events.NoteInput{About: "question:Q1b", Attendees: "", Text: "x"}, "note-attendees", "Enter how many people took part in this discussion"},
		{events.NoteInput{About: "question:Q1b", Attendees: "5", Text: "  "}, "note-text", "Enter what the group said"},
	} {
		_, err := e.svc.AddNote(context.Background(), e.by, e.c, ev, tc.in)
		if got := problems(err)[tc.field]; got != tc.want {
			t.Errorf("%+v: problem with %s = %q, want %q", tc.in, tc.field, got, tc.want)
		}
	}
}
