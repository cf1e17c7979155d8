package campaign

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// Repeat is a response that probably repeats an earlier one from the same
// sender (by email and by post, or as a body and again as an attachment).
type Repeat struct {
	ResponseID, RepeatOf   int64
	Ref, Channel           string
	RepeatOfRef, OfChannel string
	Similarity             float64
	Status                 string // suggested, merged or kept_apart
}

// Repeats lists the consultation's probable repeats, undecided first.
func (s *Service) Repeats(ctx context.Context, consultationID int64) ([]Repeat, error) {
	rows, err := db.New(s.Pool).ListRepeats(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("campaign: list repeats: %w", err)
	}
	out := make([]Repeat, len(rows))
	for i, r := range rows {
		out[i] = Repeat{ResponseID: r.ResponseID, RepeatOf: r.RepeatOf, Ref: r.SourceRef, Channel: string(r.Channel),
			RepeatOfRef: r.RepeatOfRef, OfChannel: string(r.RepeatOfChannel), Similarity: float64(r.Similarity), Status: string(r.Status)}
	}
	return out, nil
}

// DecideRepeat merges a repeat into the response it repeats (it stays
// stored, linked to the one kept, and leaves every count: the summary
// tables' triggers take it and its answers and codes out), keeps the two
// apart (both count), or unmerges it (status "suggested": it counts again
// and awaits a decision). Nothing is ever deleted.
func (s *Service) DecideRepeat(ctx context.Context, by audit.Entry, consultationID, responseID int64, status string) error {
	action := map[string]string{"merged": ActionRepeatMerged, "kept_apart": ActionRepeatApart, "suggested": ActionRepeatUndone}[status]
	if action == "" {
		return &FieldError{Field: "status", Message: "Choose merge or keep apart"}
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		_, err := q.SetRepeatStatus(ctx, db.SetRepeatStatusParams{ConsultationID: consultationID, ResponseID: responseID, Status: db.RepeatStatus(status)})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("campaign: decide repeat %d: %w", responseID, err)
		}
		e := by
		e.Action, e.ConsultationID, e.RecordType, e.RecordID = action, &consultationID, "response", fmt.Sprint(responseID)
		return audit.Record(ctx, q, e)
	})
}
