package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// OpenSlug is the demo's open copy of the CQC consultation: the same
// questions, no responses, open whenever the demo was last loaded, so
// that a newcomer can try the form.
const OpenSlug = "try-cqc-strategy"

// OpenDefinition is the open copy's definition on day today: opened a
// month before, closing a year after, so each run of the demo keeps it
// open.
func OpenDefinition(today time.Time) (*consultation.Definition, error) {
	d, err := Definition()
	if err != nil {
		return nil, err
	}
	d.Slug = OpenSlug
	d.Title = "Try the form: CQC strategy 2021 (demo copy, open)"
	d.Description = "An open copy of the CQC 2021 strategy consultation, for trying the response form. Responses sent here are kept apart from the CQC 2021 figures."
	d.Status = consultation.Open
	d.OpensOn = today.AddDate(0, -1, 0).Format(time.DateOnly)
	d.ClosesOn = today.AddDate(1, 0, 0).Format(time.DateOnly)
	return d, nil
}

// showcase adds what makes the demo show every part of Heard: the open
// copy, the text of the emails and letters, and the engagement events.
// None of it changes a figure of the CQC 2021 consultation.
func showcase(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, responses []ingest.Response) error {
	d, err := OpenDefinition(time.Now())
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if _, err := (&consultation.Service{Pool: pool}).Load(ctx, d); err != nil {
		return fmt.Errorf("demo: load the open copy: %w", err)
	}
	err = db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		return storeLetters(ctx, q, c, Letters(c, responses))
	})
	if err != nil {
		return fmt.Errorf("demo: letters: %w", err)
	}
	return storeEvents(ctx, pool, c, responses)
}
