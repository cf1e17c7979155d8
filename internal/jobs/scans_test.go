package jobs_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/jobs"
	"heard/internal/ocr"
	"heard/internal/ocr/ocrtest"
)

// The background worker reads an imported scan without being asked.
func TestScansReadInBackground(t *testing.T) {
	t.Parallel()
	ocrtest.Require(t, ocr.Available())
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
	path := filepath.Join(t.TempDir(), "scan.png")
	os.WriteFile(path, ocrtest.PNG(ocrtest.Image("Q2b: Regulation should be smarter.")), 0o600)
	rep, err := (&batchimport.Service{Pool: pool}).ImportPath(ctx, path, "scan.png", batchimport.Options{Consultation: c})
	if err != nil || rep.Scans != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	client, err := jobs.NewClient(pool, slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	status := ""
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && status != "read"; time.Sleep(200 * time.Millisecond) {
		if err := pool.QueryRow(ctx, `SELECT status FROM letter_scans`).Scan(&status); err != nil {
			t.Fatal(err)
		}
	}
	if status != "read" {
		t.Fatalf("scan status %q after 60 s, want read", status)
	}
}
