package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"heard/internal/campaign"
	"heard/internal/db"
)

// Campaigns (#15): a periodic job signs new responses from every route
// (webform, uploads, mailboxes) and places them in campaigns, so detection
// follows responses in as they arrive without slowing a submission.

// DetectCampaignsArgs asks for new responses to be matched.
type DetectCampaignsArgs struct{}

// Kind names the job in River's table.
func (DetectCampaignsArgs) Kind() string { return "detect_campaigns" }

// InsertOpts: one detector at a time in its own queue; an interrupted run
// is resumed by the next (signing is idempotent).
func (DetectCampaignsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueCampaigns, MaxAttempts: 1}
}

const (
	queueCampaigns = "campaigns"
	// campaignInterval is how often new responses are looked for.
	campaignInterval = 10 * time.Second
)

type detectCampaignsWorker struct {
	river.WorkerDefaults[DetectCampaignsArgs]
	pool *pgxpool.Pool
}

func (w *detectCampaignsWorker) Timeout(*river.Job[DetectCampaignsArgs]) time.Duration {
	return time.Hour // a first run over a million responses
}

func (w *detectCampaignsWorker) Work(ctx context.Context, _ *river.Job[DetectCampaignsArgs]) error {
	ids, err := db.New(w.pool).ConsultationsAwaitingDetection(ctx)
	if err != nil {
		return fmt.Errorf("jobs: consultations awaiting campaign detection: %w", err)
	}
	svc := &campaign.Service{Pool: w.pool}
	for _, id := range ids {
		if _, err := svc.DetectNew(ctx, id); err != nil {
			return fmt.Errorf("jobs: detect campaigns in consultation %d: %w", id, err)
		}
	}
	return nil
}

// addCampaignJobs registers the campaign detector and its periodic job.
func addCampaignJobs(workers *river.Workers, cfg *river.Config, pool *pgxpool.Pool) {
	river.AddWorker(workers, &detectCampaignsWorker{pool: pool})
	cfg.Queues[queueCampaigns] = river.QueueConfig{MaxWorkers: 1}
	cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(
		river.PeriodicInterval(campaignInterval),
		func() (river.JobArgs, *river.InsertOpts) { return DetectCampaignsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	))
}
