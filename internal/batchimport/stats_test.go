package batchimport_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"heard/internal/batchimport"
	"heard/internal/ingest"
)

// A large import leaves the planner statistics of what it filled up to
// date, without waiting for autovacuum (which a crash can silence).
func TestLargeImportRebuildsStatistics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	reltuples := func(table string) float64 {
		t.Helper()
		var n float64
		if err := e.pool.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = $1::regclass`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Statistics taken while the tables were empty, and no autovacuum.
	for _, sql := range []string{
		`ALTER TABLE responses SET (autovacuum_enabled = false)`,
		`ALTER TABLE answers SET (autovacuum_enabled = false)`,
		`ANALYZE responses, answers`,
	} {
		if _, err := e.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	var csv strings.Builder
	csv.WriteString("reference,channel,Q1a,Q7\n")
	for i := range ingest.AnalyzeAfter {
		fmt.Fprintf(&csv, "ST-%d,letter,Fully,Letter %d.\n", i, i)
	}
	rep := e.importFile("large.csv", []byte(csv.String()), batchimport.Options{})
	if rep.Imported != ingest.AnalyzeAfter {
		t.Fatalf("imported %d, want %d: %s", rep.Imported, ingest.AnalyzeAfter, problems(rep))
	}
	if n := reltuples("responses"); n < ingest.AnalyzeAfter*0.9 {
		t.Errorf("after importing %d responses the planner believes responses holds %.0f rows", ingest.AnalyzeAfter, n)
	}
	if n := reltuples("answers"); n < 2*ingest.AnalyzeAfter*0.9 {
		t.Errorf("after importing %d answers the planner believes answers holds %.0f rows", 2*ingest.AnalyzeAfter, n)
	}
}
