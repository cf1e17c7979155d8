package webform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/db"
	"heard/internal/ingest"
)

// Receipt is what a respondent is told after sending.
type Receipt struct {
	Reference string
	SentAt    time.Time
	// Again is true when the draft had been sent before: a double click,
	// a refresh or a retry. Nothing new was stored.
	Again bool
	// Discarded is true when the honeypot was filled in: the respondent
	// (a bot) is shown the usual confirmation, but no response exists.
	Discarded bool
	// ConsultationID is the consultation the response was sent to.
	ConsultationID int64
}

// Submit sends the draft that token opens for the consultation with
// slug as a response, in one transaction: the draft is claimed (marked
// sent, locking it), checked, and written through ingest with the
// draft's reference as its source_ref; any failure rolls the claim back.
// A second Submit of the same draft waits for the first and returns the
// same reference without storing anything. honeypot is whether the
// submit itself carried a filled-in honeypot field.
//
// The form's structure comes from the cache: the claimed row carries the
// consultation's status, dates and structure_version, so a cached form
// is only used while it is current, and nothing else is read first.
func (s *Service) Submit(ctx context.Context, slug, token string, honeypot bool) (Receipt, error) {
	f := s.Cached(slug)
	if f == nil {
		var err error
		if f, err = s.Form(ctx, slug); err != nil {
			return Receipt{}, err
		}
	}
	var rc Receipt
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		row, err := q.ClaimDraft(ctx, db.ClaimDraftParams{
			ConsentKey: key(FieldConsent), Honeypot: honeypot, Days: DraftDays,
			ConsultationID: f.C.ID, TokenHash: hashToken(token),
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return sentBefore(ctx, q, f, token, &rc)
		}
		if err != nil {
			return fmt.Errorf("webform: claim draft: %w", err)
		}
		rc.Reference, rc.SentAt, rc.Discarded = row.Reference, *row.SubmittedAt, row.Honeypot
		// The consultation's status and dates as of this transaction.
		form := *f
		form.Status, form.OpensOn, form.ClosesOn = string(row.Status), row.OpensOn, row.ClosesOn
		if row.StructureVersion != f.version {
			fresh, err := s.reload(ctx, slug, row.StructureVersion)
			if err != nil {
				return err
			}
			form.C, form.Pages, form.version = fresh.C, fresh.Pages, fresh.version
		}
		now := s.now()
		if form.Availability(now) != Open {
			return ErrClosed
		}
		d := &Draft{ID: row.ID, Reference: row.Reference}
		if err := json.Unmarshal(row.Answers, &d.Answers); err != nil {
			return fmt.Errorf("webform: draft %d answers: %w", row.ID, err)
		}
		if errs := form.Check(d); len(errs) > 0 {
			return &ValidationError{Errors: errs, Draft: d}
		}
		if rc.Discarded {
			return nil // a bot's: acknowledged, not stored
		}
		return write(ctx, q, &form, d, now)
	})
	if err != nil {
		return Receipt{}, err
	}
	rc.ConsultationID = f.C.ID
	return rc, nil
}

// sentBefore fills rc for a draft that was already sent, or says there
// is no draft.
func sentBefore(ctx context.Context, q *db.Queries, f *Form, token string, rc *Receipt) error {
	r, err := q.GetDraft(ctx, db.GetDraftParams{ConsultationID: f.C.ID, TokenHash: hashToken(token)})
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && r.SubmittedAt == nil) {
		return ErrNoDraft
	}
	if err != nil {
		return fmt.Errorf("webform: read draft: %w", err)
	}
	rc.Reference, rc.SentAt, rc.Again, rc.Discarded = r.Reference, *r.SubmittedAt, true, r.Honeypot
	return nil
}

// write stores the response through the one writer of responses.
func write(ctx context.Context, q *db.Queries, f *Form, d *Draft, at time.Time) error {
	w := ingest.NewWriter(q, f.C)
	if err := w.Add(ctx, f.response(d, at.UTC())); err != nil {
		return fmt.Errorf("webform: %w", err)
	}
	// ingest skips a source_ref that is already stored. With the draft
	// locked, only a response stored under this reference by other means
	// could be: then that one stands.
	if err := w.Flush(ctx); err != nil {
		return fmt.Errorf("webform: %w", err)
	}
	return nil
}

// PublicationConsent returns "yes" or "no" for the webform response with
// reference, or "" when it was not asked or is unknown.
func (s *Service) PublicationConsent(ctx context.Context, f *Form, reference string) (string, error) {
	c, err := db.New(s.Pool).PublicationConsent(ctx, db.PublicationConsentParams{ConsultationID: f.C.ID, Reference: reference})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("webform: publication consent of %s: %w", reference, err)
	}
	return c, nil
}
