package jobs_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/jobs"
)

// With the demo's codings in place, the background job trains a model for
// every open question by itself (each has more than 25 coded answers)
// and fills in their suggestions.
func TestAutocodeTrainedInBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Code(ctx, pool, c); err != nil {
		t.Fatal(err)
	}
	client, err := jobs.NewClient(pool, slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	var models, suggestions int
	// Generous: training measures itself by cross-validation with a
	// threshold search inside each fold, self-trains (two models per
	// fold), and the test machine is shared (7 questions took 230 s at
	// load 6).
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline) && models < 7; time.Sleep(500 * time.Millisecond) {
		if err := pool.QueryRow(ctx, `SELECT count(DISTINCT question_id), (SELECT count(*) FROM autocode_suggestions) FROM autocode_models`).Scan(&models, &suggestions); err != nil {
			t.Fatal(err)
		}
	}
	if models != 7 || suggestions == 0 {
		t.Fatalf("after the background job: models for %d questions (want 7), %d suggestions", models, suggestions)
	}
}
