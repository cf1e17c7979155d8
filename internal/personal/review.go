package personal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/audit"
	"heard/internal/db"
	"heard/internal/fielderr"
)

// Service is the analysts' and admins' side of personal data: review of
// detected spans, subject access and erasure.
type Service struct {
	Pool *pgxpool.Pool
}

// Statuses a span can have. Only dismissed spans are left in redacted text.
const (
	StatusDetected  = "detected"
	StatusConfirmed = "confirmed"
	StatusDismissed = "dismissed"
)

// Stored is a span as stored, with the analyst's decision.
type Stored struct {
	ID int64
	Span
	Origin, Status, Reason string
}

// Text is one of a response's texts (QuestionID 0: an email's or letter's
// full text) with its spans.
type Text struct {
	QuestionID int32
	Text       string
	Spans      []Stored
}

// Redacted is the text as the public and viewers get it.
func (t Text) Redacted() string {
	var spans []Span
	for _, s := range t.Spans {
		if s.Status != StatusDismissed {
			spans = append(spans, s.Span)
		}
	}
	return Redact(t.Text, spans)
}

// ErrNotFound: no such span on this response.
var ErrNotFound = errors.New("personal: no such redaction")

// InvalidError is a form mistake, with the message to show beside the field.
type InvalidError struct{ Field, Message string }

func (e *InvalidError) Error() string { return e.Message }

// FieldProblems names the field at fault (fielderr.Error).
func (e *InvalidError) FieldProblems() []fielderr.Problem { return fielderr.One(e.Field, e.Message) }

// Actor is who makes a change, for the audit log.
type Actor struct {
	UserID   int64
	Email    string
	ClientIP string
}

// Texts returns a response's texts with their spans.
func (s *Service) Texts(ctx context.Context, responseID int64) ([]Text, error) {
	q := db.New(s.Pool)
	rows, err := q.ResponseTexts(ctx, responseID)
	if err != nil {
		return nil, fmt.Errorf("personal: texts of response %d: %w", responseID, err)
	}
	spans, err := q.ResponseSpans(ctx, responseID)
	if err != nil {
		return nil, fmt.Errorf("personal: spans of response %d: %w", responseID, err)
	}
	var out []Text
	for _, r := range rows {
		t := Text{QuestionID: r.QuestionID, Text: r.Text}
		for _, sp := range spans {
			if sp.QuestionID == r.QuestionID {
				t.Spans = append(t.Spans, Stored{ID: sp.ID, Span: Span{int(sp.StartOffset), int(sp.EndOffset), Kind(sp.Kind), sp.Confidence},
					Origin: sp.Origin, Status: sp.Status, Reason: sp.Reason})
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// Decide confirms or dismisses a span. The audit entry records the kind
// and place, never the words, so the log holds no personal data.
func (s *Service) Decide(ctx context.Context, a Actor, consultationID, responseID, spanID int64, status, reason string) error {
	if status != StatusConfirmed && status != StatusDismissed {
		return &InvalidError{"decision", "Choose whether to keep the redaction or dismiss it"}
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &InvalidError{"reason", "Enter a reason for the decision"}
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		row, err := q.DecideSpan(ctx, db.DecideSpanParams{ID: spanID, ResponseID: responseID, Status: status, Reason: reason, DecidedBy: &a.UserID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("personal: decide span %d: %w", spanID, err)
		}
		return audit.Record(ctx, q, audit.Entry{
			UserID: &a.UserID, Actor: a.Email, Action: "redaction_" + status, ConsultationID: &consultationID,
			RecordType: "response", RecordID: strconv.FormatInt(responseID, 10), ClientIP: a.ClientIP,
			Detail: map[string]any{"span": row.ID, "kind": row.Kind, "question": row.QuestionID, "start": row.StartOffset, "end": row.EndOffset, "reason": reason},
		})
	})
}

// Add redacts every occurrence of words in one of a response's texts.
func (s *Service) Add(ctx context.Context, a Actor, consultationID, responseID int64, questionID int32, words string, kind Kind, reason string) (int, error) {
	words = strings.TrimSpace(words)
	reason = strings.TrimSpace(reason)
	switch {
	case words == "":
		return 0, &InvalidError{"words", "Enter the words to remove, exactly as they appear"}
	case !kind.Valid():
		return 0, &InvalidError{"kind", "Choose what kind of personal data it is"}
	case reason == "":
		return 0, &InvalidError{"reason", "Enter a reason for the redaction"}
	}
	texts, err := s.Texts(ctx, responseID)
	if err != nil {
		return 0, err
	}
	var text *Text
	for i := range texts {
		if texts[i].QuestionID == questionID {
			text = &texts[i]
		}
	}
	if text == nil {
		return 0, ErrNotFound
	}
	var starts []int
	for off := 0; ; {
		i := strings.Index(text.Text[off:], words)
		if i < 0 {
			break
		}
		starts = append(starts, off+i)
		off += i + len(words)
	}
	if len(starts) == 0 {
		return 0, &InvalidError{"words", "Those words are not in this text: copy them exactly, with the same capitals"}
	}
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		for _, st := range starts {
			id, err := q.AddSpan(ctx, db.AddSpanParams{
				ConsultationID: consultationID, ResponseID: responseID, QuestionID: questionID,
				StartOffset: int32(st), EndOffset: int32(st + len(words)), Kind: string(kind), Reason: reason, DecidedBy: &a.UserID,
				MatchKey: MatchKey(kind, words),
			})
			if err != nil {
				return fmt.Errorf("personal: add redaction to response %d: %w", responseID, err)
			}
			err = audit.Record(ctx, q, audit.Entry{
				UserID: &a.UserID, Actor: a.Email, Action: "redaction_added", ConsultationID: &consultationID,
				RecordType: "response", RecordID: strconv.FormatInt(responseID, 10), ClientIP: a.ClientIP,
				Detail: map[string]any{"span": id, "kind": string(kind), "question": questionID, "start": st, "end": st + len(words), "reason": reason},
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return len(starts), err
}

// Redactions holds the spans that redact a set of responses.
type Redactions map[textKey][]Span

type textKey struct {
	response int64
	question int32
}

// LoadRedactions reads the spans that redact responses ids: every span
// not dismissed.
func LoadRedactions(ctx context.Context, q *db.Queries, ids []int64) (Redactions, error) {
	rows, err := q.RedactingSpans(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("personal: redactions of %d responses: %w", len(ids), err)
	}
	r := Redactions{}
	for _, sp := range rows {
		k := textKey{sp.ResponseID, sp.QuestionID}
		r[k] = append(r[k], Span{int(sp.StartOffset), int(sp.EndOffset), Kind(sp.Kind), 1})
	}
	return r, nil
}

// Text redacts the text of response's answer to question (0: its full
// text).
func (r Redactions) Text(response int64, question int32, text string) string {
	return Redact(text, r[textKey{response, question}])
}

// Part redacts part of a response's text (question 0: its full text):
// the part that starts at byte offset start of the whole text, such as
// a letter's segment.
func (r Redactions) Part(response int64, question int32, part string, start int) string {
	spans := r[textKey{response, question}]
	if len(spans) == 0 {
		return part
	}
	shifted := make([]Span, len(spans))
	for i, sp := range spans {
		shifted[i] = Span{sp.Start - start, sp.End - start, sp.Kind, sp.Confidence}
	}
	return Redact(part, shifted)
}
