package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
)

func setup(t *testing.T) (*consultation.Consultation, func(func(w *ingest.Writer) error) error) {
	t.Helper()
	pool := dbtest.NewPool(t)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&consultation.Service{Pool: pool}).Load(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	write := func(fn func(w *ingest.Writer) error) error {
		return db.WithTx(context.Background(), pool, func(_ pgx.Tx, q *db.Queries) error {
			w := ingest.NewWriter(q, c)
			w.BatchSize = 2 // exercise several batches
			if err := fn(w); err != nil {
				return err
			}
			return w.Flush(context.Background())
		})
	}
	return c, write
}

func TestWriterRejectsInvalidResponses(t *testing.T) {
	t.Parallel()
	c, write := setup(t)
	q1a, q1b := c.Question("Q1a"), c.Question("Q1b")
	fully := q1a.Scale.Options[0].ID
	text := "Good."
	nul := "bad\x00byte"
	now := time.Now()
	bad := int32(999999)
	event := int64(1)
	for _, tc := range []struct {
		name string
		r    ingest.Response
		want string
	}{
		{"no ref", ingest.Response{Channel: "email", ReceivedAt: now}, "no source reference"},
		{"channel", ingest.Response{SourceRef: "a", Channel: "fax", ReceivedAt: now}, `unknown channel "fax"`},
		{"group", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, GroupID: &bad}, "respondent group 999999"},
		{"time", ingest.Response{SourceRef: "a", Channel: "email"}, "received time is missing"},
		{"question", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, Answers: []ingest.Answer{{QuestionID: bad, Text: &text}}}, "question 999999"},
		{"text for closed", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, Answers: []ingest.Answer{{QuestionID: q1a.ID, Text: &text}}}, "Q1a takes one option"},
		{"option for open", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, Answers: []ingest.Answer{{QuestionID: q1b.ID, OptionID: &fully}}}, "Q1b takes text"},
		{"foreign option", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, Answers: []ingest.Answer{{QuestionID: q1a.ID, OptionID: &bad}}}, "not on question Q1a's scale"},
		{"twice", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, Answers: []ingest.Answer{{QuestionID: q1b.ID, Text: &text}, {QuestionID: q1b.ID, Text: &text}}}, "Q1b is answered twice"},
		{"nul", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, Answers: []ingest.Answer{{QuestionID: q1b.ID, Text: &nul}}}, "NUL byte"},
		{"event link on email", ingest.Response{SourceRef: "a", Channel: "email", ReceivedAt: now, EventID: &event}, "only responses through the event channel"},
	} {
		err := write(func(w *ingest.Writer) error { return w.Add(context.Background(), tc.r) })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestWriterNeverStoresTwice(t *testing.T) {
	t.Parallel()
	c, write := setup(t)
	text := "Letter text."
	mk := func(ref, ch string) ingest.Response {
		return ingest.Response{SourceRef: ref, Channel: ch, ReceivedAt: time.Now(),
			Answers: []ingest.Answer{{QuestionID: c.Question("Q7").ID, Text: &text}}}
	}
	var res ingest.Result
	err := write(func(w *ingest.Writer) error {
		for _, r := range []ingest.Response{mk("m1", "email"), mk("m2", "email"), mk("m1", "email"), mk("m1", "letter"), mk("m3", "email")} {
			if err := w.Add(context.Background(), r); err != nil {
				return err
			}
		}
		if err := w.Flush(context.Background()); err != nil {
			return err
		}
		res = w.Result()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 4 || refs(res.Duplicates) != "m1" {
		t.Errorf("first write: %+v; want 4 inserted (m1 email and letter are different channels), m1 repeated", res)
	}
	err = write(func(w *ingest.Writer) error {
		for _, r := range []ingest.Response{mk("m1", "email"), mk("m4", "email")} {
			if err := w.Add(context.Background(), r); err != nil {
				return err
			}
		}
		if err := w.Flush(context.Background()); err != nil {
			return err
		}
		res = w.Result()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 1 || refs(res.Duplicates) != "m1" {
		t.Errorf("second write: %+v; want m4 inserted and m1 skipped as already stored", res)
	}
}

func refs(ds []ingest.Duplicate) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.Ref)
	}
	return strings.Join(s, ",")
}
