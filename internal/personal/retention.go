package personal

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/audit"
	"heard/internal/db"
)

// RetentionPlan says what the retention job will delete from a
// consultation, and when.
type RetentionPlan struct {
	Set                                         bool      // a retention period is stated
	Due                                         time.Time // the closing date plus the period
	Done                                        *time.Time
	Responses, RawFiles, Scans, Uploads, Drafts int64
}

// RetentionPlan reads what will be deleted and when.
func (s *Service) RetentionPlan(ctx context.Context, consultationID int64) (RetentionPlan, error) {
	q := db.New(s.Pool)
	b, err := q.ConsultationLawfulBasis(ctx, consultationID)
	if err != nil {
		return RetentionPlan{}, fmt.Errorf("personal: retention of consultation %d: %w", consultationID, err)
	}
	p := RetentionPlan{Done: b.RetentionDoneAt}
	if b.RetentionMonths != nil {
		p.Set, p.Due = true, b.ClosesOn.AddDate(0, int(*b.RetentionMonths), 0)
	}
	n, err := q.RetentionCounts(ctx, consultationID)
	if err != nil {
		return RetentionPlan{}, fmt.Errorf("personal: retention counts of consultation %d: %w", consultationID, err)
	}
	p.Responses, p.RawFiles, p.Scans, p.Uploads, p.Drafts = n.Responses, n.RawFiles, n.Scans, n.Uploads, n.Drafts
	return p, nil
}

// RunRetention applies every retention period that has ended by today:
// each response's texts and raw files become tombstones, scans, spans
// and uploaded files still held are deleted, drafts are purged; the
// closed answers stay, so the anonymous counts are unchanged. It
// returns how many consultations it applied.
func RunRetention(ctx context.Context, pool *pgxpool.Pool, today time.Time) (int, error) {
	due, err := db.New(pool).RetentionDue(ctx, today)
	if err != nil {
		return 0, fmt.Errorf("personal: consultations due for retention: %w", err)
	}
	for _, id := range due {
		err := db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
			steps := []struct {
				what string
				fn   func(context.Context, int64) error
			}{
				{"mark responses erased", q.RetainMarkErased},
				{"texts", q.RetainTombstoneSources},
				{"answers", q.RetainTombstoneAnswers},
				{"scans", q.RetainDeleteScans},
				{"spans", q.RetainDeleteSpans},
				{"drafts", q.RetainPurgeDrafts},
				{"uploads", q.RetainDeleteUploads},
				{"done", q.RetentionDone},
			}
			for _, st := range steps {
				if err := st.fn(ctx, id); err != nil {
					return fmt.Errorf("personal: retention of consultation %d: %s: %w", id, st.what, err)
				}
			}
			return audit.Record(ctx, q, audit.Entry{Actor: "retention job", Action: "retention_applied", ConsultationID: &id, RecordType: "consultation"})
		})
		if err != nil {
			return 0, err
		}
	}
	return len(due), nil
}
