package jobs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"heard/internal/personal"
)

// ApplyRetentionArgs asks for every ended retention period to be applied.
type ApplyRetentionArgs struct{}

// Kind names the job in River's table.
func (ApplyRetentionArgs) Kind() string { return "apply_retention" }

// InsertOpts: the next hourly run retries whatever failed.
func (ApplyRetentionArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

// RetentionInterval is how often ended retention periods are looked for.
const RetentionInterval = time.Hour

type applyRetentionWorker struct {
	river.WorkerDefaults[ApplyRetentionArgs]
	pool *pgxpool.Pool
}

// Timeout: applying retention to a large consultation can take longer
// than River's default minute, and a run cut short would be cut short
// again every hour.
func (w *applyRetentionWorker) Timeout(*river.Job[ApplyRetentionArgs]) time.Duration {
	return 30 * time.Minute
}

// Work also reads any response stored before personal-data detection
// existed (after an upgrade), so such responses are redacted too.
func (w *applyRetentionWorker) Work(ctx context.Context, _ *river.Job[ApplyRetentionArgs]) error {
	if _, err := personal.Backfill(ctx, w.pool); err != nil {
		return err
	}
	_, err := personal.RunRetention(ctx, w.pool, time.Now())
	return err
}

// addRetentionJob registers the retention job (#16), run hourly.
func addRetentionJob(workers *river.Workers, cfg *river.Config, pool *pgxpool.Pool) {
	river.AddWorker(workers, &applyRetentionWorker{pool: pool})
	cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(
		river.PeriodicInterval(RetentionInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ApplyRetentionArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	))
}
