package results_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// A page that needs the copy in memory while it is still being read
// (at a million responses the first read took 40 s) is counted in SQL
// rather than made to wait; Warm (run by `heard serve` at start) reads
// the copy, which then gives the same figures as counting the responses
// one by one, also after responses change.
func TestPagesDoNotWaitForTheCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool, SQLUntilWarm: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	v, _ := url.ParseQuery("answer=Q1a:fully&answer=Q1a:mostly&answer=Q6a:not-at-all&answer=Q6a:partially")
	f, err := results.ParseFilter(c, v)
	if err != nil {
		t.Fatal(err)
	}
	same := func(step string) {
		t.Helper()
		got, err := svc.Counts(ctx, c, f)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		want, err := results.OneByOne(svc).Counts(ctx, c, f)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if len(want.Responses) == 0 {
			t.Fatalf("%s: the filter matches nothing", step)
		}
		if diff := cmp.Diff(want.Answers, got.Answers); diff != "" {
			t.Errorf("%s: answer counts differ (-one by one +counted):\n%s", step, diff)
		}
		if diff := cmp.Diff(want.Responses, got.Responses); diff != "" {
			t.Errorf("%s: response counts differ (-one by one +counted):\n%s", step, diff)
		}
	}

	// The copy is being read (the reader holds its lock): the page must
	// not wait for it.
	release := results.HoldCopyRead(svc, c.ID)
	done := make(chan struct{})
	go func() {
		defer close(done)
		same("while the copy is being read")
		// A list with a filter the summaries do not keep reads the copy
		// too: while it is being read, the list comes from SQL.
		lf, err := results.ParseFilter(c, url.Values{"respondent": {"organisation"}})
		if err != nil {
			t.Error(err)
			return
		}
		q := c.Question("Q1b")
		got, err := svc.ListAnswers(ctx, c, q, lf, "", 1)
		if err != nil {
			t.Errorf("list while the copy is being read: %v", err)
			return
		}
		want, err := results.SQLFacts(svc).ListAnswers(ctx, c, q, lf, "", 1)
		if err != nil {
			t.Error(err)
			return
		}
		if got.Total != want.Total || len(got.Answers) != len(want.Answers) || got.Total == 0 {
			t.Errorf("list while the copy is being read: %d answers of %d, want %d of %d", len(got.Answers), got.Total, len(want.Answers), want.Total)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the page waited for the copy to be read")
	}
	release()

	if err := svc.Warm(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	vers, err := db.New(pool).FactVersions(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, warm := results.CopyBlocks(svc, c.ID); n != len(vers) || !warm {
		t.Fatalf("after Warm: %d blocks in memory (whole: %v), want all %d", n, warm, len(vers))
	}
	same("from the copy read at start")
	// Changes reach the copy through fact_versions as for any other.
	for _, sql := range []string{
		`UPDATE responses SET respondent_group_id = (SELECT min(id) FROM respondent_groups WHERE consultation_id = $1) WHERE consultation_id = $1 AND id % 5 = 0`,
		`UPDATE responses SET on_behalf_of_org = NOT on_behalf_of_org WHERE consultation_id = $1 AND id % 7 = 0`,
		`DELETE FROM responses WHERE consultation_id = $1 AND id % 11 = 0`,
	} {
		if _, err := pool.Exec(ctx, sql, c.ID); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		same("after " + sql)
	}
}
