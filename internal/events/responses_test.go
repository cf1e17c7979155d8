package events_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/demo"
	"heard/internal/events"
	"heard/internal/ingest"
)

// Responses typed up at an event count as responses through the event
// channel; the event's attendees never do.
func TestTypedResponsesCountButAttendeesDoNot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(focusGroup("Carers' focus group", "12"))
	for _, label := range []string{"Fully", "Mostly", "Not at all"} {
		s, err := e.svc.SaveResponse(ctx, e.by, e.c, ev, entry(e, label))
		if err != nil || s.Duplicate || s.ResponseID == 0 {
			t.Fatalf("save %s: %+v, %v", label, s, err)
		}
	}
	o := e.overview()
	if o.Total != 3 || byChannel(o, "event") != 3 {
		t.Errorf("overview: total %d, event channel %d; want 3 and 3 (12 attendees are not respondents)", o.Total, byChannel(o, "event"))
	}
	ev, _ = e.svc.Get(ctx, e.c, ev.ID)
	if ev.Responses != 3 || ev.Attendees != 12 {
		t.Errorf("event figures: %d responses, %d attendees", ev.Responses, ev.Attendees)
	}
	tb, err := e.svc.Counts(ctx, e.c, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	q1a := tb.Question(e.c.Question("Q1a"))
	if q1a.Answered != 3 || q1a.Combinations[0].N != 2 || q1a.Combinations[0].Percent != 67 {
		t.Errorf("event's own Q1a: %+v", q1a)
	}
	list, more, err := e.svc.Responses(ctx, e.c, ev.ID, 0, 2)
	if err != nil || len(list) != 2 || !more {
		t.Fatalf("first page: %d responses, more %v, %v", len(list), more, err)
	}
	if a := list[0].Answers; len(a) != 2 || a[0].Code != "Q1a" || a[0].Value != "Fully" || a[1].Code != "Q1b" || list[0].Group != "People who use services / public / voluntary and charity groups" {
		t.Errorf("first response: %+v", list[0])
	}
	if rest, more, _ := e.svc.Responses(ctx, e.c, ev.ID, list[1].ID, 2); len(rest) != 1 || more {
		t.Errorf("second page: %d, more %v", len(rest), more)
	}
	var linked, atEvent int
	err = e.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE event_id = $1), count(*) FILTER (WHERE channel = 'event' AND received_at = '2021-02-12') FROM responses`, ev.ID).Scan(&linked, &atEvent)
	if err != nil || linked != 3 || atEvent != 3 {
		t.Errorf("linked %d, channel event on the event's day %d (%v)", linked, atEvent, err)
	}
	if n := e.audited(events.ActionResponseAdded); n != 3 {
		t.Errorf("%d responses audited, want 3", n)
	}
}

// Saving the same screen twice, one after the other or at the same
// moment, stores one response.
func TestSavingAScreenTwiceStoresOneResponse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(focusGroup("Drop-in", "40"))
	en := entry(e, "Fully")
	first, err := e.svc.SaveResponse(ctx, e.by, e.c, ev, en)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.SaveResponse(ctx, e.by, e.c, ev, en)
	if err != nil || !again.Duplicate || again.ResponseID != first.ResponseID {
		t.Errorf("second save = %+v, %v; want a duplicate of %d", again, err, first.ResponseID)
	}

	race := entry(e, "Mostly")
	var wg sync.WaitGroup
	saved := make([]events.Saved, 8)
	errs := make([]error, 8)
	for i := range saved {
		wg.Go(func() { saved[i], errs[i] = e.svc.SaveResponse(ctx, e.by, e.c, ev, race) })
	}
	wg.Wait()
	fresh := 0
	for i := range saved {
		if errs[i] != nil {
			t.Fatalf("concurrent save: %v", errs[i])
		}
		if !saved[i].Duplicate {
			fresh++
		}
		if saved[i].ResponseID != saved[0].ResponseID {
			t.Errorf("concurrent saves point at different responses: %d and %d", saved[i].ResponseID, saved[0].ResponseID)
		}
	}
	if fresh != 1 {
		t.Errorf("%d of 8 concurrent saves of one screen stored a response, want 1", fresh)
	}

	// Make the race certain: another transaction has stored the screen
	// but not yet committed when this save begins.
	late := entry(e, "Fully")
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var otherID int64
	err = tx.QueryRow(ctx, `INSERT INTO responses (consultation_id, channel, received_at, source_ref, event_id)
		VALUES ($1, 'event', now(), 'event-' || $2::bigint || '-screen-' || $3, $2) RETURNING id`, e.c.ID, ev.ID, late.Key).Scan(&otherID)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan events.Saved)
	go func() {
		s, err := e.svc.SaveResponse(ctx, e.by, e.c, ev, late)
		if err != nil {
			t.Errorf("save racing an uncommitted save: %v", err)
		}
		done <- s
	}()
	waitForLockWait(t, e.pool) // the save now waits on the unique index
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if s := <-done; !s.Duplicate || s.ResponseID != otherID {
		t.Errorf("save that lost the race = %+v, want a duplicate of %d", s, otherID)
	}

	if o := e.overview(); o.Total != 3 {
		t.Errorf("%d responses stored, want 3", o.Total)
	}
	if n := e.audited(events.ActionResponseAdded); n != 2 {
		t.Errorf("%d responses audited, want 2 (the third was stored by hand)", n)
	}
}

func TestEntryScreenIsChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ev := e.event(focusGroup("Interviews", "3"))
	long := strings.Repeat("a", consultation.MaxAnswerChars+1)
	for _, tc := range []struct {
		name  string
		entry events.Entry
		field string
		want  string
	}{
		{"nothing", events.Entry{Key: events.NewKey()}, "answer-Q1a", "Enter at least one answer"},
		{"bad option", events.Entry{Key: events.NewKey(), Answers: map[string]string{"Q1a": "hugely"}}, "answer-Q1a", "Select one of the answers to Q1a"},
		{"long", events.Entry{Key: events.NewKey(), Answers: map[string]string{"Q7": long}}, "answer-Q7", "must be 20000 characters or fewer"},
		{"group", events.Entry{Key: events.NewKey(), Group: "martians", Answers: map[string]string{"Q7": "x"}}, "group", "Select a respondent group"},
		{"key", events.Entry{Key: "../../x", Answers: map[string]string{"Q7": "x"}}, "key", "This form has expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.SaveResponse(context.Background(), e.by, e.c, ev, tc.entry)
			if got := problems(err)[tc.field]; !strings.Contains(got, tc.want) {
				t.Errorf("problem with %s = %q (err %v), want %q", tc.field, got, err, tc.want)
			}
		})
	}
	if o := e.overview(); o.Total != 0 {
		t.Errorf("%d invalid responses stored", o.Total)
	}
}

// The database keeps a response on an event of its own consultation,
// and an event link on the event channel, whoever writes it.
func TestResponsesLinkOnlyToTheirOwnConsultationsEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(focusGroup("Ours", "4"))
	def, _ := demo.Definition()
	def.Slug, def.Title = "other-2021", "Another consultation"
	other, err := (&consultation.Service{Pool: e.pool}).Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	write := func(c *consultation.Consultation, r ingest.Response) error {
		return db.WithTx(ctx, e.pool, func(_ pgx.Tx, q *db.Queries) error {
			w := ingest.NewWriter(q, c)
			if err := w.Add(ctx, r); err != nil {
				return err
			}
			return w.Flush(ctx)
		})
	}
	r := ingest.Response{SourceRef: "x1", Channel: "event", EventID: &ev.ID, ReceivedAt: time.Now()}
	if err := write(other, r); err == nil || !strings.Contains(err.Error(), "responses_event_fk") {
		t.Errorf("a response linked to another consultation's event: %v", err)
	}
	if err := write(e.c, r); err != nil {
		t.Errorf("a response linked to its own consultation's event: %v", err)
	}
	_, err = e.pool.Exec(ctx, `UPDATE responses SET channel = 'letter' WHERE event_id = $1`, ev.ID)
	if err == nil || !strings.Contains(err.Error(), "responses_event_channel") {
		t.Errorf("moving an event's response to the letter channel: %v", err)
	}
}

// waitForLockWait returns once a session of the test's database waits for
// a lock, so a race is staged by what the server does, not by a sleep.
func waitForLockWait(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	give := time.Now().Add(time.Minute)
	if d, ok := t.Deadline(); ok && d.Add(-10*time.Second).Before(give) {
		give = d.Add(-10 * time.Second)
	}
	for {
		var waiting bool
		err := pool.QueryRow(context.Background(), `SELECT EXISTS (
			SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE NOT l.granted AND a.datname = current_database())`).Scan(&waiting)
		if err != nil {
			t.Fatalf("read pg_locks: %v", err)
		}
		if waiting {
			return
		}
		if time.Now().After(give) {
			t.Fatal("no session ever waited for a lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
