// Package jobs runs Heard's background work on River, a job queue kept in
// PostgreSQL (its tables are created by db.Migrate): jobs are enqueued in
// the same transaction as the data they act on, so none is lost or run on
// data that was rolled back.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"heard/internal/batchimport"
	"heard/internal/consultation"
)

// ImportArgs asks for an uploaded file to be imported.
type ImportArgs struct {
	Consultation string `json:"consultation"`
	UploadID     int64  `json:"upload_id"`
}

// Kind names the job in River's table.
func (ImportArgs) Kind() string { return "import_upload" }

// InsertOpts: an import is not retried by itself — a file that failed
// once will fail again; the admin sees the failure and uploads anew.
func (ImportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

type importWorker struct {
	river.WorkerDefaults[ImportArgs]
	consultations *consultation.Service
	imports       *batchimport.Service
}

// ImportTimeout bounds one import. River's default (a minute) would
// cancel any import of a large file, or of a small one on a busy
// machine, and leave it "interrupted" as if the server had stopped; an
// import is one transaction over a file of bounded size, and shutdown has
// its own grace period (HEARD_IMPORT_GRACE).
const ImportTimeout = 4 * time.Hour

func (w *importWorker) Timeout(*river.Job[ImportArgs]) time.Duration { return ImportTimeout }

func (w *importWorker) Work(ctx context.Context, job *river.Job[ImportArgs]) error {
	c, err := w.consultations.Get(ctx, job.Args.Consultation)
	if err != nil {
		return err
	}
	_, err = w.imports.RunUpload(ctx, c, job.Args.UploadID)
	if errors.Is(err, batchimport.ErrAlreadyStarted) {
		return nil
	}
	return err
}

// Client is River's client, typed for pgx.
type Client = river.Client[pgx.Tx]

// NewClient returns a client that can insert jobs and, when work is true,
// also works them (call Start).
func NewClient(pool *pgxpool.Pool, logger *slog.Logger, work bool) (*Client, error) {
	return NewClientWith(pool, logger, work, Options{})
}

// NewClientWith is NewClient with the options of the mail jobs (#17).
func NewClientWith(pool *pgxpool.Pool, logger *slog.Logger, work bool, o Options) (*Client, error) {
	cfg := &river.Config{Logger: logger}
	if work {
		workers := river.NewWorkers()
		river.AddWorker(workers, &importWorker{consultations: &consultation.Service{Pool: pool}, imports: &batchimport.Service{Pool: pool}})
		cfg.Workers = workers
		// One import at a time: each takes a core and a transaction.
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}}
		addMailJobs(workers, cfg, pool, o)  // scanned letters and mailboxes (#17)
		addAutocodeJobs(workers, cfg, pool) // auto-coding models (#13)
		addCampaignJobs(workers, cfg, pool) // campaigns and repeats (#15)
		addRetentionJob(workers, cfg, pool) // personal data retention (#16)
	}
	c, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: client: %w", err)
	}
	return c, nil
}
