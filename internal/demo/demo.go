// Package demo loads the CQC 2021 strategy consultation and 790
// synthetic responses that reproduce every figure CQC published in its
// summary of responses (shared/domain.md). The generator is
// deterministic: the same responses, in the same order, every run.
package demo

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// DefinitionJSON is the CQC 2021 consultation definition.
//
//go:embed cqc-2021.json
var DefinitionJSON []byte

// Definition returns the parsed CQC 2021 definition.
func Definition() (*consultation.Definition, error) {
	return consultation.ParseDefinition(DefinitionJSON)
}

// Load creates (or brings up to date) the CQC 2021 consultation and
// writes its demo responses. Responses already stored are skipped, so
// running it twice changes nothing.
func Load(ctx context.Context, pool *pgxpool.Pool) (*consultation.Consultation, ingest.Result, error) {
	def, err := Definition()
	if err != nil {
		return nil, ingest.Result{}, fmt.Errorf("demo: %w", err)
	}
	svc := &consultation.Service{Pool: pool}
	c, err := svc.Load(ctx, def)
	if err != nil {
		return nil, ingest.Result{}, fmt.Errorf("demo: load definition: %w", err)
	}
	responses, err := Responses(c)
	if err != nil {
		return nil, ingest.Result{}, err
	}
	var res ingest.Result
	err = db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := q.UpgradeDemoWebformRefs(ctx, c.ID); err != nil {
			return err
		}
		w := ingest.NewWriter(q, c)
		for _, r := range responses {
			if err := w.Add(ctx, r); err != nil {
				return err
			}
		}
		if err := w.Flush(ctx); err != nil {
			return err
		}
		res = w.Result()
		// Some respondents agreed to publication: their answers may be
		// quoted (the coding pages check this before a quote flag).
		return q.InsertDemoConsents(ctx, c.ID)
	})
	if err != nil {
		return nil, ingest.Result{}, fmt.Errorf("demo: write responses: %w", err)
	}
	return c, res, nil
}
