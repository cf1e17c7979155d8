package consultation

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

// Publishing: whether a consultation's results are public, and the
// small-number thresholds that protect what the public and viewers see.
// The queries are in db/queries/consultation.sql.

// ErrThreshold is a small-number threshold outside MinThreshold–MaxThreshold.
var ErrThreshold = errors.New("consultation: threshold not valid")

// Bounds of a small-number threshold.
const (
	MinThreshold = 1
	MaxThreshold = 1000
)

// ResultsPublished reports whether anyone may read the results of the
// consultation with slug.
func (s *Service) ResultsPublished(ctx context.Context, slug string) (bool, error) {
	ok, err := db.New(s.Pool).ResultsPublished(ctx, slug)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("consultation: results published %s: %w", slug, err)
	}
	return ok, nil
}

// SetResultsPublished opens or closes a consultation's results to the public.
func (s *Service) SetResultsPublished(ctx context.Context, q *db.Queries, id int64, published bool) error {
	if err := q.SetResultsPublished(ctx, db.SetResultsPublishedParams{ID: id, Published: published}); err != nil {
		return fmt.Errorf("consultation: publish results: %w", err)
	}
	return nil
}

// PublishResults publishes c's results, or takes them down again, and
// records who did it in the audit log, in one transaction.
func (s *Service) PublishResults(ctx context.Context, by accounts.Actor, c *Consultation, publish bool) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := s.SetResultsPublished(ctx, q, c.ID, publish); err != nil {
			return err
		}
		action := audit.ResultsHide
		if publish {
			action = audit.ResultsPublish
		}
		e := by.Entry(action)
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "consultation", c.Slug
		return audit.Record(ctx, q, e)
	})
}

// Thresholds returns c's small-number thresholds: for the public and
// for viewers.
func (s *Service) Thresholds(ctx context.Context, c *Consultation) (public, viewer int64, err error) {
	row, err := db.New(s.Pool).SuppressionThresholds(ctx, c.ID)
	if err != nil {
		return 0, 0, fmt.Errorf("consultation: thresholds of %s: %w", c.Slug, err)
	}
	return int64(row.SuppressPublic), int64(row.SuppressViewer), nil
}

// SetThresholds changes c's small-number thresholds. Each must be a whole
// number from MinThreshold to MaxThreshold (ErrThreshold otherwise).
func (s *Service) SetThresholds(ctx context.Context, c *Consultation, public, viewer int) error {
	for _, n := range []int{public, viewer} {
		if n < MinThreshold || n > MaxThreshold {
			return ErrThreshold
		}
	}
	err := db.New(s.Pool).SetSuppressionThresholds(ctx, db.SetSuppressionThresholdsParams{ID: c.ID, SuppressPublic: int32(public), SuppressViewer: int32(viewer)})
	if err != nil {
		return fmt.Errorf("consultation: set thresholds of %s: %w", c.Slug, err)
	}
	return nil
}
