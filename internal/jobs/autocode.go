package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"heard/internal/autocode"
)

// Auto-coding runs in a queue of its own, one job at a time: training
// and scoring take a core, and must not hold up imports.
const queueAutocode = "autocode"

// AutocodeInterval is how often questions are checked for enough new
// codings to retrain (autocode.RetrainAfter).
const AutocodeInterval = time.Minute

// TrainArgs trains one question's model now (an analyst's "Retrain
// now"); QuestionID 0 trains every question that is due.
type TrainArgs struct {
	ConsultationID int64 `json:"consultation_id"`
	QuestionID     int32 `json:"question_id"`
}

// Kind names the job in River's table.
func (TrainArgs) Kind() string { return "autocode_train" }

// InsertOpts puts it in its queue; a failed training is not retried
// (the next periodic check will try again).
func (TrainArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueAutocode, MaxAttempts: 1}
}

type trainWorker struct {
	river.WorkerDefaults[TrainArgs]
	svc *autocode.Service
}

// Timeout: scoring a million answers takes about a minute.
func (w *trainWorker) Timeout(*river.Job[TrainArgs]) time.Duration { return 30 * time.Minute }

func (w *trainWorker) Work(ctx context.Context, job *river.Job[TrainArgs]) error {
	if job.Args.QuestionID == 0 {
		_, err := w.svc.TrainDue(ctx)
		return err
	}
	_, err := w.svc.Train(ctx, job.Args.ConsultationID, job.Args.QuestionID)
	var few *autocode.NotEnoughError
	if errors.As(err, &few) {
		return nil // nothing to learn from yet: not a failure
	}
	return err
}

func addAutocodeJobs(workers *river.Workers, cfg *river.Config, pool *pgxpool.Pool) {
	river.AddWorker(workers, &trainWorker{svc: autocode.NewService(pool)})
	cfg.Queues[queueAutocode] = river.QueueConfig{MaxWorkers: 1}
	cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(
		river.PeriodicInterval(AutocodeInterval),
		func() (river.JobArgs, *river.InsertOpts) { return TrainArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	))
}
