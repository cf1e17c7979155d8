package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// WithTx runs fn in a transaction, committing when it returns nil and
// rolling back otherwise. Exported service methods own their transaction;
// helpers take the *Queries they are given.
func WithTx(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx, q *Queries) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit
	if err := fn(tx, New(tx)); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// WalkIndexes makes the rest of tx's queries walk an index and probe the
// other tables row by row, stopping at their LIMIT: hash and merge joins,
// parallel workers and JIT are off. For reads of a page under a LIMIT
// where the planner, expecting most rows to qualify, would read a whole
// side first (every answer, every signature stored so far).
func WalkIndexes(ctx context.Context, tx pgx.Tx) error {
	for _, set := range []string{
		"SET LOCAL enable_hashjoin = off",
		"SET LOCAL enable_mergejoin = off",
		"SET LOCAL max_parallel_workers_per_gather = 0",
		"SET LOCAL jit = off",
	} {
		if _, err := tx.Exec(ctx, set); err != nil {
			return fmt.Errorf("db: %s: %w", set, err)
		}
	}
	return nil
}
