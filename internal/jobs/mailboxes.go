package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/mailbox"
)

// Watched mailboxes (#17): a periodic job fetches every connected
// mailbox. Failures are kept on the mailbox (shown on the imports page)
// rather than retried: the next run tries again anyway.

// FetchMailboxesArgs asks for every connected mailbox to be fetched.
type FetchMailboxesArgs struct{}

// Kind names the job in River's table.
func (FetchMailboxesArgs) Kind() string { return "fetch_mailboxes" }

// InsertOpts: its own queue, one fetch at a time.
func (FetchMailboxesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueMailbox, MaxAttempts: 1}
}

const queueMailbox = "mailbox"

// MailboxInterval is how often connected mailboxes are fetched.
const MailboxInterval = time.Minute

type fetchMailboxesWorker struct {
	river.WorkerDefaults[FetchMailboxesArgs]
	pool   *pgxpool.Pool
	key    mailbox.Key
	logger *slog.Logger
}

func (w *fetchMailboxesWorker) Timeout(*river.Job[FetchMailboxesArgs]) time.Duration {
	return 30 * time.Minute
}

func (w *fetchMailboxesWorker) Work(ctx context.Context, _ *river.Job[FetchMailboxesArgs]) error {
	svc := &mailbox.Service{Pool: w.pool, Key: w.key}
	boxes, err := svc.List(ctx)
	if err != nil {
		return err
	}
	for _, b := range boxes {
		c, err := (&consultation.Service{Pool: w.pool}).Get(ctx, b.Slug)
		if err != nil {
			return err
		}
		rep, err := svc.Fetch(ctx, c, accounts.Actor{ClientIP: "mailbox"})
		switch {
		case errors.Is(err, mailbox.ErrBusy):
		case err != nil:
			// Kept on the mailbox by Fetch; logged for the operator.
			w.logger.Warn("mailbox fetch failed", "consultation", b.Slug, "err", err)
		case rep.Fetched > 0:
			w.logger.Info("mailbox fetched", "consultation", b.Slug, "fetched", rep.Fetched, "imported", rep.Imported,
				"duplicates", rep.Duplicates, "refused", rep.Refused)
		}
	}
	return nil
}
