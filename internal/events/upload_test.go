package events_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"heard/internal/batchimport"
	"heard/internal/events"
)

const eventCSV = `reference,received_on,channel,respondent_group,organisation,Q1a,Q1b
1,,,public,,Fully,Said at table one.
2,,event,providers,Riverside Care,Mostly,
3,,,,,,Said at table three.
`

// A file in the standard template becomes the event's responses; rows
// numbered 1, 2, 3 at two events are different responses.
func TestUploadLinksRowsToTheEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "upload")
	if err := os.WriteFile(path, []byte(eventCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	first := e.event(focusGroup("First", "20"))
	second := e.event(focusGroup("Second", "10"))

	rep, err := e.svc.Upload(ctx, e.by, e.c, first, path, "forms.csv", false)
	if err != nil || rep.Status != "imported" || rep.Imported != 3 {
		t.Fatalf("upload: %+v, %v", rep, err)
	}
	rep, err = e.svc.Upload(ctx, e.by, e.c, first, path, "forms.csv", false)
	if err != nil || rep.Imported != 0 || len(rep.Duplicates) != 3 {
		t.Errorf("same file again: %+v, %v; want 3 duplicates", rep, err)
	}
	rep, err = e.svc.Upload(ctx, e.by, e.c, second, path, "forms.csv", false)
	if err != nil || rep.Imported != 3 {
		t.Errorf("same references at another event: %+v, %v", rep, err)
	}
	for _, ev := range []*events.Event{first, second} {
		got, _ := e.svc.Get(ctx, e.c, ev.ID)
		if got.Responses != 3 {
			t.Errorf("%s has %d responses, want 3", ev.Name, got.Responses)
		}
		list, _, _ := e.svc.Responses(ctx, e.c, ev.ID, 0, 10)
		if len(list) != 3 || !list[0].Imported || !list[0].ReceivedAt.Equal(ev.HeldOn) {
			t.Errorf("%s's responses: %+v", ev.Name, list)
		}
	}
	if o := e.overview(); o.Total != 6 || byChannel(o, "event") != 6 {
		t.Errorf("overview: %+v", o)
	}
	var audited int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'import_imported' AND (detail->>'event_id')::bigint = $1`, first.ID).Scan(&audited) //nolint:errcheck
	if audited != 2 {
		t.Errorf("%d audited imports for the first event, want 2", audited)
	}
}

func TestUploadRefusesOtherChannelsAndFormats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(focusGroup("Event", "20"))
	path := filepath.Join(t.TempDir(), "upload")
	bad := "reference,channel,Q7\n1,letter,\"A letter, not a form from the event.\"\n2,,From the event.\n"
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := e.svc.Upload(ctx, e.by, e.c, ev, path, "mixed.csv", false)
	if err != nil || rep.Status != "rejected" || rep.Imported != 0 || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Reason, "taken at the event") {
		t.Errorf("a letter in an event's file: %+v, %v", rep, err)
	}
	rep, err = e.svc.Upload(ctx, e.by, e.c, ev, path, "mixed.csv", true)
	if err != nil || rep.Status != "partial" || rep.Imported != 1 {
		t.Errorf("skipping the letter: %+v, %v", rep, err)
	}
	if _, err := e.svc.Upload(ctx, e.by, e.c, ev, path, "mail.mbox", false); !errors.Is(err, batchimport.ErrFormat) {
		t.Errorf("an mbox for an event: %v", err)
	}
}
