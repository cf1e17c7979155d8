package jobs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"heard/internal/batchimport"
	"heard/internal/mailbox"
)

// Scanned letters (#17): a periodic job reads the scans waiting for OCR,
// one page at a time, in a queue of its own so slow OCR never holds up
// an import.

// ReadScansArgs asks for the waiting scans to be read.
type ReadScansArgs struct{}

// Kind names the job in River's table.
func (ReadScansArgs) Kind() string { return "read_scans" }

// InsertOpts: one reader at a time; a scan left half-read is resumed by
// the next run, so a failed run need not be retried.
func (ReadScansArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueOCR, MaxAttempts: 1}
}

const (
	queueOCR = "ocr"
	// scanInterval is how often waiting scans are looked for.
	scanInterval = 15 * time.Second
	// scanBudget bounds one run; the next run carries on.
	scanBudget = 10 * time.Minute
)

type readScansWorker struct {
	river.WorkerDefaults[ReadScansArgs]
	pool *pgxpool.Pool
}

func (w *readScansWorker) Timeout(*river.Job[ReadScansArgs]) time.Duration {
	return scanBudget + time.Minute
}

func (w *readScansWorker) Work(ctx context.Context, _ *river.Job[ReadScansArgs]) error {
	svc := &batchimport.Service{Pool: w.pool}
	deadline := time.Now().Add(scanBudget)
	for time.Now().Before(deadline) {
		out, err := svc.ReadNextScan(ctx, nil)
		if err != nil || out == nil {
			return err
		}
	}
	return nil
}

// addMailJobs registers the workers, queues and periodic jobs of #17.
func addMailJobs(workers *river.Workers, cfg *river.Config, pool *pgxpool.Pool, o Options) {
	river.AddWorker(workers, &readScansWorker{pool: pool})
	river.AddWorker(workers, &fetchMailboxesWorker{pool: pool, key: o.SecretKey, logger: cfg.Logger})
	cfg.Queues[queueOCR] = river.QueueConfig{MaxWorkers: 1}
	cfg.Queues[queueMailbox] = river.QueueConfig{MaxWorkers: 1}
	interval := o.MailboxInterval
	if interval <= 0 {
		interval = MailboxInterval
	}
	cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return FetchMailboxesArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	))
	cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(
		river.PeriodicInterval(scanInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ReadScansArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	))
}

// Options configure the background work of #17.
type Options struct {
	// SecretKey decrypts mailbox passwords (from HEARD_SECRET_KEY); without
	// it mailbox fetches fail with a message saying so.
	SecretKey mailbox.Key
	// MailboxInterval is how often mailboxes are fetched (MailboxInterval when zero).
	MailboxInterval time.Duration
}
