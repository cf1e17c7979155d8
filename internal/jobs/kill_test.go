package jobs_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/jobs"
)

// startServer runs `heard serve` on the test's database and waits until
// it serves.
func startServer(t *testing.T, bin, dbURL string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0")
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "HEARD_LOG_LEVEL=warn"), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() }) //nolint:errcheck // may be gone already
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.Contains(line, "serving on") {
		t.Fatalf("heard serve: %q, %v", line, err)
	}
	return cmd
}

// waitStatus polls the upload's status until it is want.
func waitStatus(t *testing.T, pool *pgxpool.Pool, id int64, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var status string
	for time.Now().Before(deadline) {
		if err := pool.QueryRow(context.Background(), `SELECT status FROM import_uploads WHERE id = $1`, id).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status == want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	// What the database was doing, for whoever reads a failure.
	var activity []string
	rows, err := pool.Query(context.Background(), `SELECT format('%s %s/%s %s: %s', state, wait_event_type, wait_event, now() - xact_start, left(query, 120))
		FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err == nil {
		for rows.Next() {
			var a string
			if rows.Scan(&a) == nil {
				activity = append(activity, a)
			}
		}
		rows.Close()
	}
	t.Fatalf("upload %d is %q after %s, want %q; the database's sessions:\n%s", id, status, timeout, want, strings.Join(activity, "\n"))
}

// A background import survives its server dying: killed mid-import, the
// upload is found interrupted (nothing stored) when a server starts
// again, and a retry imports it whole.
func TestImportSurvivesKilledServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the heard binary")
	}
	ctx := context.Background()
	dbURL := dbtest.URL(t)
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&consultation.Service{Pool: pool}).Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "heard")
	if out, err := exec.Command("go", "build", "-o", bin, "heard/cmd/heard").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// A CSV of letters over the background threshold.
	const rows = 60000
	var csv strings.Builder
	csv.WriteString("reference,channel,Q1a,Q1b\n")
	for i := range rows {
		fmt.Fprintf(&csv, "L-%d,letter,Mostly,\"Letter %d: we support the strategy, with reservations about staffing.\"\n", i, i)
	}
	if csv.Len() <= batchimport.BackgroundBytes {
		t.Fatalf("%d bytes is not over the background threshold", csv.Len())
	}
	svc := &batchimport.Service{Pool: pool}
	id, err := svc.CreateUpload(ctx, "letters.csv", []byte(csv.String()), batchimport.Options{Consultation: c, By: accounts.Actor{ClientIP: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := jobs.NewClient(pool, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	enqueue := func(step func(context.Context, *db.Queries) error) {
		t.Helper()
		err := db.WithTx(ctx, pool, func(tx pgx.Tx, q *db.Queries) error {
			if err := step(ctx, q); err != nil {
				return err
			}
			_, err := client.InsertTx(ctx, tx, jobs.ImportArgs{Consultation: c.Slug, UploadID: id}, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	enqueue(func(ctx context.Context, q *db.Queries) error { return batchimport.Confirm(ctx, q, id) })

	// Kill the server while it imports.
	srv := startServer(t, bin, dbURL)
	waitStatus(t, pool, id, "running", time.Minute)
	time.Sleep(200 * time.Millisecond) // well into the import's transaction
	if err := srv.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	srv.Wait() //nolint:errcheck // killed
	var stored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("%d responses stored by a killed import (%v)", stored, err)
	}

	// A new server finds the upload interrupted, with its file kept.
	srv = startServer(t, bin, dbURL)
	u, err := svc.GetUpload(ctx, c, id)
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != "interrupted" || !strings.Contains(u.Error, "nothing from the file was stored") {
		t.Fatalf("after restart the upload is %q: %q", u.Status, u.Error)
	}
	open, err := svc.OpenUploads(ctx, c)
	if err != nil || len(open) != 1 || open[0].ID != id {
		t.Errorf("open uploads = %+v (%v): the interrupted upload is not listed", open, err)
	}

	// A shutdown that outlasts its grace period leaves the same state.
	srv.Process.Kill() //nolint:errcheck // done with it
	srv.Wait()         //nolint:errcheck
	srv = startServer(t, bin, dbURL, "HEARD_IMPORT_GRACE=1ms")
	enqueue(func(ctx context.Context, q *db.Queries) error { return batchimport.Retry(ctx, q, c, id) })
	waitStatus(t, pool, id, "running", time.Minute)
	time.Sleep(200 * time.Millisecond)
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(); err != nil {
		t.Logf("heard serve after SIGTERM: %v", err)
	}
	if u, err := svc.GetUpload(ctx, c, id); err != nil || u.Status != "interrupted" {
		t.Fatalf("after a shutdown past its grace the upload is %q (%v)", u.Status, err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("%d responses stored by a cancelled import (%v)", stored, err)
	}

	// Retry: a server imports it whole.
	srv = startServer(t, bin, dbURL)
	enqueue(func(ctx context.Context, q *db.Queries) error { return batchimport.Retry(ctx, q, c, id) })
	waitStatus(t, pool, id, "done", 5*time.Minute) // a busy machine imports slowly
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses`).Scan(&stored); err != nil || stored != rows {
		t.Errorf("%d responses after the retry, want %d (%v)", stored, rows, err)
	}
}
