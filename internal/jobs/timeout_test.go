package jobs

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
)

// An import that takes longer than the job client's default timeout
// (River's is a minute; here it is cut to 100 ms so that the test is
// quick) still finishes: it is not cancelled and left "interrupted" as
// if the server had stopped.
func TestImportOutlastsTheDefaultJobTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&consultation.Service{Pool: pool}).Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	const rows = 20000
	var csv strings.Builder
	csv.WriteString("reference,channel,Q1a,Q1b\n")
	for i := range rows {
		fmt.Fprintf(&csv, "L-%d,letter,Mostly,\"Letter %d: we support the strategy, with reservations about staffing.\"\n", i, i)
	}
	imports := &batchimport.Service{Pool: pool}
	id, err := imports.CreateUpload(ctx, "letters.csv", []byte(csv.String()), batchimport.Options{Consultation: c, By: accounts.Actor{ClientIP: "test"}})
	if err != nil {
		t.Fatal(err)
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &importWorker{consultations: &consultation.Service{Pool: pool}, imports: imports})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Workers:    workers,
		Queues:     map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}},
		JobTimeout: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.WithTx(ctx, pool, func(tx pgx.Tx, q *db.Queries) error {
		if err := batchimport.Confirm(ctx, q, id); err != nil {
			return err
		}
		_, err := client.InsertTx(ctx, tx, ImportArgs{Consultation: c.Slug, UploadID: id}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Stop(context.Background()) }) //nolint:errcheck // test teardown

	start := time.Now()
	var status string
	for time.Since(start) < 5*time.Minute {
		if err := pool.QueryRow(ctx, `SELECT status FROM import_uploads WHERE id = $1`, id).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status == "done" || status == "failed" || status == "interrupted" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status != "done" {
		t.Fatalf("the import is %q after %s, want done", status, time.Since(start).Round(time.Millisecond))
	}
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Fatalf("the import took %s, not longer than the timeout it must outlast", took)
	}
	var stored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&stored); err != nil || stored != rows {
		t.Fatalf("%d responses stored, want %d (%v)", stored, rows, err)
	}
}
