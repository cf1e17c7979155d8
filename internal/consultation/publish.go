package consultation

import (
	"context"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

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
