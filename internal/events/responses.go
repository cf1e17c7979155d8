package events

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// Entry is one response as typed on the entry screen.
type Entry struct {
	// Key is the screen's own key (NewKey): saving the same screen twice
	// — a double click, a resubmitted form — stores one response.
	Key string
	// Group is a respondent group's slug; empty when not known.
	Group        string
	Organisation string
	// Answers maps a question code to an option slug (closed and
	// demographic questions) or to text (open questions). Empty values
	// are unanswered. Problems with an answer name the field
	// "answer-" + its code.
	Answers map[string]string
}

// Saved says what SaveResponse stored.
type Saved struct {
	ResponseID int64
	// Duplicate: this screen had already been saved, as ResponseID.
	Duplicate bool
}

var keyPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// NewKey returns a fresh key for an entry screen.
func NewKey() string {
	b := make([]byte, 16)
	rand.Read(b) //nolint:errcheck // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// SaveResponse stores one typed-up response taken at event ev, linked to
// it, with channel "event", and audits it in the same transaction.
func (s *Service) SaveResponse(ctx context.Context, a accounts.Actor, c *consultation.Consultation, ev *Event, e Entry) (Saved, error) {
	if !keyPattern.MatchString(e.Key) {
		// Only a tampered or truncated form gets here.
		return Saved{}, &ValidationError{Problems: []FieldError{{Field: "key", Message: "This form has expired: reload the page and type the response again"}}}
	}
	r, err := entryResponse(c, ev, e)
	if err != nil {
		return Saved{}, err
	}
	var saved Saved
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		w.AfterBatch = func(ctx context.Context, q *db.Queries, ids []int64, _ []ingest.Response) error {
			saved.ResponseID = ids[0]
			en := entry(a, c, ActionResponseAdded, "response", ids[0])
			en.Detail = map[string]any{"event_id": ev.ID, "event": ev.Name, "answers": len(r.Answers)}
			return audit.Record(ctx, q, en)
		}
		if err := w.Add(ctx, r); err != nil {
			return fmt.Errorf("events: save response: %w", err)
		}
		return w.Flush(ctx)
	})
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == pgerrcode.UniqueViolation:
		// The same screen saved at the same moment by another request:
		// that one won, and this is the duplicate.
	case err != nil:
		return Saved{}, err
	case saved.ResponseID != 0:
		return saved, nil
	}
	row, err := db.New(s.Pool).EventResponseBySourceRef(ctx, db.EventResponseBySourceRefParams{ConsultationID: c.ID, SourceRef: r.SourceRef})
	if err != nil {
		return Saved{}, fmt.Errorf("events: find the response already saved as %s: %w", r.SourceRef, err)
	}
	return Saved{ResponseID: row.ID, Duplicate: true}, nil
}

// entryResponse checks an entry and turns it into a response.
func entryResponse(c *consultation.Consultation, ev *Event, e Entry) (ingest.Response, error) {
	r := ingest.Response{
		SourceRef: fmt.Sprintf("event-%d-screen-%s", ev.ID, e.Key), Channel: "event", EventID: &ev.ID,
		ReceivedAt: ev.HeldOn, Organisation: strings.TrimSpace(e.Organisation),
	}
	r.OnBehalfOfOrg = r.Organisation != ""
	var p problems
	if e.Group != "" {
		if g := c.Group(e.Group); g != nil {
			r.GroupID = &g.ID
		} else {
			p.add("group", "Select a respondent group from the list")
		}
	}
	if utf8.RuneCountInString(r.Organisation) > maxName {
		p.add("organisation", "Organisation must be 200 characters or fewer")
	}
	for _, q := range c.Questions {
		v := strings.TrimSpace(e.Answers[q.Code])
		if v == "" {
			continue
		}
		if q.Scale == nil {
			v = strings.ReplaceAll(v, "\r\n", "\n")
			if n, over := consultation.AnswerTooLong(v); over {
				p.add("answer-"+q.Code, fmt.Sprintf("Answer to %s must be %d characters or fewer (it is %d)", q.Code, consultation.MaxAnswerChars, n))
				continue
			}
			r.Answers = append(r.Answers, ingest.Answer{QuestionID: q.ID, Text: &v})
			continue
		}
		opt := option(q, v)
		if opt == nil {
			p.add("answer-"+q.Code, "Select one of the answers to "+q.Code)
			continue
		}
		r.Answers = append(r.Answers, ingest.Answer{QuestionID: q.ID, OptionID: &opt.ID})
	}
	if len(r.Answers) == 0 && len(p) == 0 && len(c.Questions) > 0 {
		p.add("answer-"+c.Questions[0].Code, "Enter at least one answer: a response with no answers is not saved")
	}
	return r, p.err()
}

func option(q *consultation.Question, slug string) *consultation.Option {
	for _, o := range q.Scale.Options {
		if o.Slug == slug {
			return o
		}
	}
	return nil
}
