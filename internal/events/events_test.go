package events_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"heard/internal/events"
)

func TestEventFormIsCheckedWhole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name string
		edit func(*events.Input)
		want map[string]string
	}{
		{"empty", func(in *events.Input) { *in = events.Input{} }, map[string]string{
			"name": "Enter the name of the event", "held-on-day": "Enter the date the event was held",
			"format": "Select what kind of event it was", "where": "Select whether the event was online or in person",
			"attendees": "Enter how many people attended",
		}},
		{"impossible date", func(in *events.Input) { in.Day, in.Month = "30", "2" }, map[string]string{"held-on-day": "Date the event was held must be a real date, like 27 3 2021"}},
		{"in person needs a place", func(in *events.Input) { in.Place = " " }, map[string]string{"place": "Enter where the event was held"}},
		{"attendees", func(in *events.Input) { in.Attendees = "twelve" }, map[string]string{"attendees": "Number of attendees must be a whole number, like 12"}},
		{"negative attendees", func(in *events.Input) { in.Attendees = "-1" }, map[string]string{"attendees": "Number of attendees must be between 0 and 100,000"}},
		{"unknown group", func(in *events.Input) { in.Groups = []string{"martians"} }, map[string]string{"groups": "Select respondent groups from the list"}},
		{"unknown format", func(in *events.Input) { in.Format = "rave" }, map[string]string{"format": "Select what kind of event it was"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := focusGroup("Carers' focus group", "12")
			tc.edit(&in)
			_, err := e.svc.Create(context.Background(), e.by, e.c, in)
			if diff := cmp.Diff(tc.want, problems(err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	if n := e.audited(events.ActionEventCreated); n != 0 {
		t.Errorf("%d events created by invalid forms", n)
	}
}

func TestEventIsRecordedEditedAndAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(focusGroup("Carers' focus group", "12"))
	if ev.Name != "Carers' focus group" || ev.Attendees != 12 || ev.Where() != "Leeds Carers Centre" || ev.HeldOn.Format("2006-01-02") != "2021-02-12" {
		t.Errorf("stored event = %+v", ev)
	}
	if diff := cmp.Diff([]string{"unpaid carers"}, ev.Reached); diff != "" {
		t.Errorf("reached (-want +got):\n%s", diff)
	}
	if len(ev.Groups) != 1 || ev.Groups[0].Slug != "public" {
		t.Errorf("groups = %v", ev.Groups)
	}

	in := events.InputOf(ev)
	in.Name, in.Where, in.Attendees, in.Groups = "Carers' webinar", "online", "30", []string{"providers", "other"}
	in.Format = "webinar"
	if err := e.svc.Update(ctx, e.by, e.c, ev.ID, in); err != nil {
		t.Fatal(err)
	}
	ev, _ = e.svc.Get(ctx, e.c, ev.ID)
	if ev.Name != "Carers' webinar" || !ev.Online || ev.Place != "" || ev.Attendees != 30 || len(ev.Groups) != 2 || ev.Format != "webinar" {
		t.Errorf("after edit: %+v", ev)
	}
	if err := e.svc.Update(ctx, e.by, e.c, ev.ID+100, in); !errors.Is(err, events.ErrNotFound) {
		t.Errorf("update of a missing event: %v", err)
	}
	if e.audited(events.ActionEventCreated) != 1 || e.audited(events.ActionEventChanged) != 1 {
		t.Error("creating and editing the event were not both audited")
	}
	list, err := e.svc.List(ctx, e.c)
	if err != nil || len(list) != 1 || list[0].ID != ev.ID {
		t.Errorf("list = %v, %v", list, err)
	}
}

func TestOnlyEmptyEventsCanBeDeleted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	empty := e.event(focusGroup("Cancelled", "0"))
	used := e.event(focusGroup("Held", "5"))
	if _, err := e.svc.AddNote(ctx, e.by, e.c, empty, events.NoteInput{About: "theme:smarter-regulation", Attendees: "0", Text: "Nobody came."}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SaveResponse(ctx, e.by, e.c, used, entry(e, "Mostly")); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Delete(ctx, e.by, e.c, used.ID); !errors.Is(err, events.ErrHasResponses) {
		t.Errorf("delete an event with responses: %v", err)
	}
	if err := e.svc.Delete(ctx, e.by, e.c, empty.ID); err != nil {
		t.Fatalf("delete an empty event: %v", err)
	}
	if _, err := e.svc.Get(ctx, e.c, empty.ID); !errors.Is(err, events.ErrNotFound) {
		t.Errorf("deleted event still there: %v", err)
	}
	if err := e.svc.Delete(ctx, e.by, e.c, empty.ID); !errors.Is(err, events.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	if e.audited(events.ActionEventDeleted) != 1 {
		t.Error("deletion not audited")
	}
}

// entry is a response screen answering Q1a with option label and Q1b.
func entry(e *env, label string) events.Entry {
	en := events.Entry{Key: events.NewKey(), Group: "public", Answers: map[string]string{"Q1b": "Said at the table: " + label}}
	for _, o := range e.c.Question("Q1a").Scale.Options {
		if strings.EqualFold(o.Label, label) {
			en.Answers["Q1a"] = o.Slug
		}
	}
	return en
}
