package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
)

// queryRecorder keeps the SQL and arguments of the duplicate lookup as
// the Writer sends them, so the test explains the real statement.
type queryRecorder struct {
	mu   sync.Mutex
	sql  string
	args []any
}

func (r *queryRecorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, "-- name: ExistingSourceRefs") {
		r.mu.Lock()
		r.sql, r.args = d.SQL, d.Args
		r.mu.Unlock()
	}
	return ctx
}

func (r *queryRecorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// planNode is the part of EXPLAIN (FORMAT JSON) the test reads.
type planNode struct {
	Type     string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Index    string     `json:"Index Name"`
	Plans    []planNode `json:"Plans"`
}

func (n planNode) walk(fn func(planNode)) {
	fn(n)
	for _, c := range n.Plans {
		c.walk(fn)
	}
}

// explain returns how responses is read by sql with args: the scans of
// it, e.g. "Seq Scan" or "Index Scan using responses_..._key".
func explain(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) []string {
	t.Helper()
	var out []byte
	if err := pool.QueryRow(context.Background(), "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&out); err != nil {
		t.Fatalf("explain: %v", err)
	}
	var plans []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal(out, &plans); err != nil {
		t.Fatal(err)
	}
	var scans []string
	plans[0].Plan.walk(func(n planNode) {
		if n.Relation == "responses" {
			scans = append(scans, strings.TrimSpace(n.Type+" using "+n.Index))
		}
	})
	return scans
}

// After a crash PostgreSQL's statistics can be missing or stale (taken
// when the table was small, never refreshed because the activity counts
// that trigger autovacuum were lost). The duplicate lookup of each batch
// must still probe the unique index, not read every response.
func TestDuplicateLookupUsesTheUniqueIndexWithoutStatistics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rec := &queryRecorder{}
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := demo.Load(ctx, pool); err != nil {
		t.Fatal(err)
	}
	def.Slug, def.Title = "second", "A second consultation"
	c, err := (&consultation.Service{Pool: pool}).Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	// Statistics from before this consultation had any responses, and no
	// autovacuum to refresh them (as after a crash, which loses the
	// counts that trigger it); then many rows arrive.
	for _, sql := range []string{
		`ALTER TABLE responses SET (autovacuum_enabled = false)`,
		`ANALYZE responses`,
		`INSERT INTO responses (consultation_id, channel, received_at, source_ref, organisation)
		 SELECT $1, 'letter', now(), 'OLD-' || g, repeat('x', 200) FROM generate_series(1, 60000) g`,
	} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = []any{c.ID}
		}
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}

	// A batch of 2,000 letters, half of them already stored.
	err = db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for i := range 2000 {
			ref := fmt.Sprintf("NEW-%d", i)
			if i%2 == 0 {
				ref = fmt.Sprintf("OLD-%d", i*7+1)
			}
			if err := w.Add(ctx, ingest.Response{SourceRef: ref, Channel: "letter", ReceivedAt: time.Now()}); err != nil {
				return err
			}
		}
		if err := w.Flush(ctx); err != nil {
			return err
		}
		if n, d := w.Result().Inserted, len(w.Result().Duplicates); n != 1000 || d != 1000 {
			return fmt.Errorf("inserted %d and skipped %d, want 1000 and 1000", n, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.sql == "" {
		t.Fatal("the Writer never looked up existing references")
	}
	scans := explain(t, pool, rec.sql, rec.args...)
	if len(scans) == 0 {
		t.Fatalf("the lookup does not read responses at all?")
	}
	for _, s := range scans {
		if s != "Index Scan using responses_source_ref_channel_consultation_id_key" && s != "Index Only Scan using responses_source_ref_channel_consultation_id_key" {
			t.Errorf("the duplicate lookup reads responses by %q, want only probes of the unique index (all: %v)", s, scans)
		}
	}

	// The lookup it replaced, for the record: with these statistics it
	// reads every response of the consultation (by responses_consultation_idx).
	refs := rec.args[1]
	old := explain(t, pool, `SELECT channel, source_ref FROM responses WHERE consultation_id = $1 AND source_ref = ANY($2::text[])`, c.ID, refs)
	t.Logf("with the same statistics, source_ref = ANY(...) reads responses by %v; the lookup now by %v", old, scans)
}
