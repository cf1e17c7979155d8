// Package ingest is the one way responses get into the database: the
// demo, the webform, the importers and the benchmark all write through a
// Writer, which validates each response against its consultation, skips
// any whose source reference is already stored, and loads the rest with
// COPY.
package ingest

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/personal"
)

// Channels lists the channels a response can come through.
var Channels = []string{"webform", "email", "letter", "event"}

// Response is one submission with its answers.
type Response struct {
	// SourceRef makes the response unique within its channel: a
	// Message-ID, a batch and row reference, a webform submission key.
	SourceRef     string
	Channel       string
	GroupID       *int32 // nil: group not known
	OnBehalfOfOrg bool
	Organisation  string
	ReceivedAt    time.Time
	Answers       []Answer

	// Set by importers.
	BatchID          *int64
	SuggestedGroupID *int32 // a group suggested (e.g. by email domain), awaiting confirmation
	SuggestionReason string
	// EventID links a response taken at an engagement event to it; the
	// channel must then be "event". The database checks the event is the
	// consultation's own.
	EventID *int64
	// Source is the importer's own data about the response, handed back
	// to AfterBatch with the id the response was stored under.
	Source any
	// Item says where in its file the response came from ("row 7"), for
	// the report of duplicates.
	Item string
}

// Answer is a response's reply to one question: an option of a closed or
// demographic question, or the text of an open one.
type Answer struct {
	QuestionID int32
	OptionID   *int32
	Text       *string
}

// Result counts what a Writer did.
type Result struct {
	Inserted   int
	Duplicates []Duplicate
}

// Duplicate is a response that was not stored because its source ref
// was already stored, or came earlier in the same input.
type Duplicate struct {
	Ref, Item string
}

// MaxTextBytes bounds one text answer (a long letter's section fits many
// times over); the webform sets its own, lower, limit for typed answers.
const MaxTextBytes = 1 << 20

// AnalyzeAfter is how many responses make an import large enough to
// rebuild the statistics of the tables it filled before it commits.
// Autovacuum would do it eventually, but not after a crash, which loses
// the activity counts that trigger it: a large import re-run after a
// crash then found its plans made for a much smaller table.
const AnalyzeAfter = 10_000

// DefaultBatchSize is how many responses go into one COPY.
const DefaultBatchSize = 5000

// Writer buffers responses and writes them in batches inside the caller's
// transaction, so an importer can make a whole file one transaction.
type Writer struct {
	q         *db.Queries
	c         *consultation.Consultation
	BatchSize int
	// AfterBatch, if set, runs after each batch is written, in the same
	// transaction, with the responses written and their new ids: where
	// importers store provenance that refers to the response.
	AfterBatch func(ctx context.Context, q *db.Queries, ids []int64, written []Response) error
	// DeferDetection leaves personal-data detection to the backfill
	// (personal.Backfill, run hourly and by heard demo) instead of this
	// transaction. Only the bench sets it, to measure what detection
	// costs an import; until the backfill runs, the responses are stored
	// without spans.
	DeferDetection bool

	questions map[int32]*consultation.Question
	options   map[int32]map[int32]bool // question id -> allowed option ids
	groups    map[int32]bool
	buf       []Response
	few       int // batches up to this size skip COPY (few.go)
	// seen holds the channel and ref of each response in the current
	// batch; earlier batches are found in the database, in the same
	// transaction, so memory does not grow with the input.
	seen map[string]bool
	res  Result
}

// NewWriter returns a Writer for consultation c that writes through q.
func NewWriter(q *db.Queries, c *consultation.Consultation) *Writer {
	w := &Writer{
		q: q, c: c, BatchSize: DefaultBatchSize, few: fewResponses,
		questions: map[int32]*consultation.Question{},
		options:   map[int32]map[int32]bool{},
		groups:    map[int32]bool{},
		seen:      map[string]bool{},
	}
	for _, qu := range c.Questions {
		w.questions[qu.ID] = qu
		if qu.Scale != nil {
			m := map[int32]bool{}
			for _, o := range qu.Scale.Options {
				m[o.ID] = true
			}
			w.options[qu.ID] = m
		}
	}
	for _, g := range c.Groups {
		w.groups[g.ID] = true
	}
	return w
}

// Add validates r and queues it, writing a batch when the buffer is full.
func (w *Writer) Add(ctx context.Context, r Response) error {
	if err := w.Validate(&r); err != nil {
		return err
	}
	key := r.Channel + "\x00" + r.SourceRef
	if w.seen[key] {
		w.res.Duplicates = append(w.res.Duplicates, duplicate(r))
		return nil
	}
	w.seen[key] = true
	w.buf = append(w.buf, r)
	if len(w.buf) >= w.BatchSize {
		return w.Flush(ctx)
	}
	return nil
}

// Result reports what has been written or skipped so far.
func (w *Writer) Result() Result { return w.res }

// Validate reports what is wrong with r, as Add would, without queuing it.
func (w *Writer) Validate(r *Response) error {
	where := fmt.Sprintf("response %q", r.SourceRef)
	if strings.TrimSpace(r.SourceRef) == "" {
		return fmt.Errorf("ingest: a response has no source reference")
	}
	switch r.Channel {
	case "webform", "email", "letter", "event":
	default:
		return fmt.Errorf("ingest: %s: unknown channel %q (want one of %s)", where, r.Channel, strings.Join(Channels, ", "))
	}
	if r.SuggestedGroupID != nil && !w.groups[*r.SuggestedGroupID] {
		return fmt.Errorf("ingest: %s: suggested group %d is not one of %s's", where, *r.SuggestedGroupID, w.c.Slug)
	}
	if r.GroupID != nil && !w.groups[*r.GroupID] {
		return fmt.Errorf("ingest: %s: respondent group %d is not one of %s's", where, *r.GroupID, w.c.Slug)
	}
	if r.EventID != nil && r.Channel != "event" {
		return fmt.Errorf("ingest: %s: only responses through the event channel can be linked to an event", where)
	}
	if r.ReceivedAt.IsZero() {
		return fmt.Errorf("ingest: %s: received time is missing", where)
	}
	seenQ := map[int32]bool{}
	for _, a := range r.Answers {
		qu, ok := w.questions[a.QuestionID]
		if !ok {
			return fmt.Errorf("ingest: %s: question %d is not one of %s's", where, a.QuestionID, w.c.Slug)
		}
		if seenQ[a.QuestionID] {
			return fmt.Errorf("ingest: %s: question %s is answered twice", where, qu.Code)
		}
		seenQ[a.QuestionID] = true
		switch {
		case qu.Scale != nil && (a.OptionID == nil || a.Text != nil):
			return fmt.Errorf("ingest: %s: question %s takes one option of its scale", where, qu.Code)
		case qu.Scale != nil && !w.options[qu.ID][*a.OptionID]:
			return fmt.Errorf("ingest: %s: option %d is not on question %s's scale", where, *a.OptionID, qu.Code)
		case qu.Scale == nil && (a.Text == nil || a.OptionID != nil):
			return fmt.Errorf("ingest: %s: question %s takes text", where, qu.Code)
		case qu.Scale == nil && strings.ContainsRune(*a.Text, 0):
			return fmt.Errorf("ingest: %s: question %s: text contains a NUL byte", where, qu.Code)
		case qu.Scale == nil && !utf8.ValidString(*a.Text):
			return fmt.Errorf("ingest: %s: question %s: text is not valid UTF-8", where, qu.Code)
		case qu.Scale == nil && len(*a.Text) > MaxTextBytes:
			return fmt.Errorf("ingest: %s: question %s: text of %d bytes is over the limit of %d", where, qu.Code, len(*a.Text), MaxTextBytes)
		}
	}
	return nil
}

// Flush writes whatever is buffered.
func (w *Writer) Flush(ctx context.Context) error {
	if len(w.buf) == 0 {
		return nil
	}
	batch := w.buf
	w.buf = w.buf[:0]
	clear(w.seen)
	if len(batch) <= w.few {
		return w.flushFew(ctx, batch)
	}

	refs := make([]string, len(batch))
	channels := make([]string, len(batch))
	for i, r := range batch {
		refs[i], channels[i] = r.SourceRef, r.Channel
	}
	existing, err := w.q.ExistingSourceRefs(ctx, db.ExistingSourceRefsParams{ConsultationID: w.c.ID, Refs: refs, Channels: channels})
	if err != nil {
		return fmt.Errorf("ingest: look up existing responses: %w", err)
	}
	stored := make(map[string]bool, len(existing))
	for _, e := range existing {
		stored[string(e.Channel)+"\x00"+e.SourceRef] = true
	}
	fresh := batch[:0:0]
	for _, r := range batch {
		if stored[r.Channel+"\x00"+r.SourceRef] {
			w.res.Duplicates = append(w.res.Duplicates, duplicate(r))
			continue
		}
		fresh = append(fresh, r)
	}
	if len(fresh) == 0 {
		return nil
	}

	ids, err := w.q.ReserveResponseIDs(ctx, int32(len(fresh)))
	if err != nil {
		return fmt.Errorf("ingest: reserve ids: %w", err)
	}
	resp := make([]db.CopyResponsesParams, len(fresh))
	var answers []db.CopyAnswersParams
	for i, r := range fresh {
		ch := db.Channel(r.Channel)
		resp[i] = db.CopyResponsesParams{
			ConsultationID: w.c.ID, ID: ids[i], Channel: ch, RespondentGroupID: r.GroupID,
			OnBehalfOfOrg: r.OnBehalfOfOrg, Organisation: r.Organisation, ReceivedAt: r.ReceivedAt, SourceRef: r.SourceRef,
			BatchID: r.BatchID, SuggestedGroupID: r.SuggestedGroupID, SuggestionReason: r.SuggestionReason, EventID: r.EventID,
		}
		for _, a := range r.Answers {
			answers = append(answers, db.CopyAnswersParams{
				ConsultationID: w.c.ID, ResponseID: ids[i], QuestionID: a.QuestionID, OptionID: a.OptionID,
				Text: a.Text, Channel: ch, RespondentGroupID: r.GroupID,
			})
		}
	}
	if _, err := w.q.CopyResponses(ctx, resp); err != nil {
		return fmt.Errorf("ingest: copy %d responses: %w", len(resp), err)
	}
	if _, err := w.q.CopyAnswers(ctx, answers); err != nil {
		return fmt.Errorf("ingest: copy %d answers: %w", len(answers), err)
	}
	w.res.Inserted += len(fresh)
	return w.after(ctx, ids, fresh)
}

// after runs the importer's AfterBatch, which stores emails' and letters'
// full texts, then detects personal data in everything the batch stored,
// in the same transaction: no response is ever visible without its
// detected spans, so nothing unredacted can reach a public page.
func (w *Writer) after(ctx context.Context, ids []int64, fresh []Response) error {
	if w.AfterBatch != nil {
		if err := w.AfterBatch(ctx, w.q, ids, fresh); err != nil {
			return err
		}
	}
	if w.DeferDetection {
		return nil
	}
	var written []personal.Written
	for i, r := range fresh {
		for _, a := range r.Answers {
			if a.Text != nil {
				written = append(written, personal.Written{ResponseID: ids[i], QuestionID: a.QuestionID, Text: *a.Text})
			}
		}
	}
	return personal.ScanWritten(ctx, w.q, w.c.ID, ids, written)
}

// duplicate copies what a report needs: a ref cut from a large input
// (a CSV record) would otherwise keep the whole input in memory.
func duplicate(r Response) Duplicate {
	return Duplicate{Ref: strings.Clone(r.SourceRef), Item: strings.Clone(r.Item)}
}
