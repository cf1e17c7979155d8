package batchimport_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/db"
)

// A background import needs no more than two connections — its upload's
// lock and its transaction — so it cannot wait for ever on a small pool
// (the jobs' pool has 4, shared with River) for a third to report its
// progress. Here the pool has exactly two.
func TestUploadImportsOnTwoConnections(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg, err := pgxpool.ParseConfig(e.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 2
	small, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(small.Close)
	svc := &batchimport.Service{Pool: small}

	const rows = 5000
	var csv strings.Builder
	csv.WriteString("reference,channel,Q1a,Q1b\n")
	for i := range rows {
		fmt.Fprintf(&csv, "L-%d,letter,Mostly,\"Letter %d: we support the strategy, with reservations about staffing.\"\n", i, i)
	}
	ctx := context.Background()
	id, err := svc.CreateUpload(ctx, "letters.csv", []byte(csv.String()), batchimport.Options{Consultation: e.c, By: accounts.Actor{ClientIP: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := batchimport.Confirm(ctx, db.New(small), id); err != nil {
		t.Fatal(err)
	}
	// Long enough for an import on a busy machine; a wait for a third
	// connection never ends, so it ends here.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	rep, err := svc.RunUpload(ctx, e.c, id)
	if err != nil {
		t.Fatalf("import on a pool of two: %v", err)
	}
	if rep.Imported != rows {
		t.Errorf("%d imported, want %d", rep.Imported, rows)
	}
	u, err := svc.GetUpload(context.Background(), e.c, id)
	if err != nil || u.Status != "done" || u.Processed == 0 {
		t.Errorf("upload after the import: %+v (%v), want done with its progress recorded", u, err)
	}
}
