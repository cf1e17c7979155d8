package server_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/dbtest"
)

// factVersionReads counts the statements that read fact_versions' stamps
// (the FactVersions query), on every connection of a pool.
type factVersionReads struct{ n atomic.Int64 }

func (r *factVersionReads) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, "-- name: FactVersions ") {
		r.n.Add(1)
	}
	return ctx
}

func (r *factVersionReads) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// A question page with a filter no summary keeps counts its figures and
// lists its answers from the copy in memory: both from one read of the
// copy's stamps (about 250 rows of fact_versions at a million responses),
// not one each.
func TestQuestionPageReadsTheStampsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conf, err := pgxpool.ParseConfig(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	reads := &factVersionReads{}
	conf.ConnConfig.Tracer = reads
	pool, err := pgxpool.NewWithConfig(ctx, conf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := newEnvOn(t, pool)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	// The copy is read at start (heard serve), so the page counts from it.
	if err := e.app.Results.Warm(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}

	// Two answer filters: no summary keeps them together.
	page := "/consultations/cqc-2021/questions/Q1b?answer=Q1a:fully&answer=Q1a:mostly&answer=Q6a:not-at-all&answer=Q6a:partially"
	reads.n.Store(0)
	res, body := analyst.get(page)
	if res.StatusCode != 200 {
		t.Fatalf("%s = %d", page, res.StatusCode)
	}
	d := doc(t, body)
	if d.Find(`.heard-quote a[href*="/responses/"]`).Length() == 0 {
		t.Fatal("the page lists no answers: the filter matches nothing")
	}
	if n := reads.n.Load(); n != 1 {
		t.Errorf("the page read the stamps %d times, want once", n)
	}
}
