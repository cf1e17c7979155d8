package batchimport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// An import of a large upload runs in one transaction. If the server dies
// or stops mid-import, the transaction rolls back: nothing is stored, and
// the upload must not stay "running" for ever. The import holds a session
// advisory lock on its upload while it runs; PostgreSQL frees the lock
// when the session ends, however the process ended. Recover finds running
// uploads whose lock is free and marks them interrupted, keeping the file
// so that an admin can retry the import (or discard it).

// lockNamespace is the first key of the uploads' advisory locks ("HEAR").
const lockNamespace = 0x48454152

// InterruptedReason is what an interrupted upload's page says happened.
const InterruptedReason = "The server stopped while this file was being imported. Its transaction was rolled back, so nothing from the file was stored"

// ErrNotInterrupted: only an interrupted upload can be retried.
var ErrNotInterrupted = errors.New("only an interrupted import can be retried")

// lockUpload holds the upload's lock on a connection of its own until
// the returned function is called. The import writes its upload's status
// and progress through that connection's queries: while its transaction
// holds a second connection, asking the pool for a third (which the jobs'
// small pool may not have free) could wait for ever.
func (s *Service) lockUpload(ctx context.Context, id int64) (*db.Queries, func(), error) {
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("batchimport: lock upload %d: %w", id, err)
	}
	q := db.New(conn)
	if err := q.LockUpload(ctx, db.LockUploadParams{Namespace: lockNamespace, ID: int32(id)}); err != nil {
		conn.Release()
		return nil, nil, fmt.Errorf("batchimport: lock upload %d: %w", id, err)
	}
	return q, func() {
		// Releasing a connection with a failed unlock closes it, which frees the lock too.
		if err := q.UnlockUpload(context.WithoutCancel(ctx), db.UnlockUploadParams{Namespace: lockNamespace, ID: int32(id)}); err != nil {
			conn.Conn().Close(context.WithoutCancel(ctx)) //nolint:errcheck // closing is the fallback
		}
		conn.Release()
	}, nil
}

// Recover marks every running upload that no live import holds as
// interrupted, and returns their ids.
func (s *Service) Recover(ctx context.Context, logger *slog.Logger) ([]int64, error) {
	ids, err := db.New(s.Pool).RunningUploads(ctx)
	if err != nil {
		return nil, fmt.Errorf("batchimport: running uploads: %w", err)
	}
	var out []int64
	for _, id := range ids {
		err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
			free, err := q.TryUploadLock(ctx, db.TryUploadLockParams{Namespace: lockNamespace, ID: int32(id)})
			if err != nil || !free {
				return err
			}
			if _, err := q.InterruptUpload(ctx, db.InterruptUploadParams{ID: id, Error: InterruptedReason}); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			out = append(out, id)
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("batchimport: recover upload %d: %w", id, err)
		}
	}
	if len(out) > 0 && logger != nil {
		logger.Warn("interrupted imports found", "uploads", out)
	}
	return out, nil
}

// Retry queues an interrupted upload again, inside tx, so that the
// caller can enqueue its job in the same transaction.
func Retry(ctx context.Context, q *db.Queries, c *consultation.Consultation, id int64) error {
	_, err := q.RetryUpload(ctx, db.RetryUploadParams{ID: id, ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotInterrupted
	}
	return err
}

// OpenUploads lists c's uploads that are being imported or were
// interrupted, so they stay in sight on the Imports page.
func (s *Service) OpenUploads(ctx context.Context, c *consultation.Consultation) ([]db.OpenUploadsRow, error) {
	rows, err := db.New(s.Pool).OpenUploads(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("batchimport: open uploads: %w", err)
	}
	return rows, nil
}
