package campaign_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/campaign"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
)

// seed loads the demo consultation and stores the generated responses as
// webform responses whose first open answer is the generated text and whose
// organisation is the sender; every response answers Q1a with its first
// option so counts can be compared with and without campaigns.
func seed(t *testing.T, docs []campaign.GeneratedDoc) (*pgxpool.Pool, *consultation.Consultation) {
	t.Helper()
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
	var open *consultation.Question
	for _, q := range c.Questions {
		if q.Kind == "open" {
			open = q
			break
		}
	}
	closed := c.Question("Q1a")
	err = db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for i, d := range docs {
			text := d.Text
			opt := closed.Scale.Options[i%2].ID
			r := ingest.Response{
				SourceRef: fmt.Sprintf("gen-%d", i), Channel: "webform", Organisation: d.Sender,
				ReceivedAt: time.Date(2021, 3, 1, 0, 0, i, 0, time.UTC),
				Answers:    []ingest.Answer{{QuestionID: open.ID, Text: &text}, {QuestionID: closed.ID, OptionID: &opt}},
			}
			if err := w.Add(ctx, r); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return pool, c
}

func TestDetectPendingFindsCampaignsAndRepeats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	docs := campaign.Generate(600, 3, 0.3, 5)
	pool, c := seed(t, docs)
	svc := &campaign.Service{Pool: pool}
	st, err := svc.DetectPending(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Signed != len(docs) {
		t.Errorf("signed %d of %d responses", st.Signed, len(docs))
	}
	list, err := db.New(pool).ListCampaigns(ctx, db.ListCampaignsParams{ConsultationID: c.ID, MinMembers: 5})
	if err != nil {
		t.Fatal(err)
	}
	truth := map[int]int{}
	wantRepeats := 0
	for _, d := range docs {
		if d.Truth > 0 {
			truth[d.Truth]++
		}
		if d.Repeat >= 0 {
			wantRepeats++
		}
	}
	if len(list) != 3 {
		t.Fatalf("%d campaigns found, want 3: %+v", len(list), list)
	}
	var found, want int64
	for _, l := range list {
		found += l.Members
	}
	for _, n := range truth {
		want += int64(n)
	}
	if float64(found) < 0.95*float64(want) || found > want {
		t.Errorf("campaign members %d, want about %d", found, want)
	}
	if st.Repeats < wantRepeats*9/10 {
		t.Errorf("repeats flagged %d, want about %d", st.Repeats, wantRepeats)
	}

	// Running again changes nothing: every response is signed once.
	again, err := svc.DetectPending(ctx, c.ID)
	if err != nil || again.Signed != 0 {
		t.Fatalf("second run signed %d (err %v), want 0", again.Signed, err)
	}
}

// Thousands of pending responses (an import, a first run) go through the
// whole-consultation pass in memory; what it stores is as good as the
// clustering it runs, and later responses join its campaigns one by one.
func TestBulkDetectionStoresCampaignsAndRepeats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	docs := campaign.Generate(campaign.BulkMin+1000, 4, 0.3, 6)
	pool, c := seed(t, docs)
	svc := &campaign.Service{Pool: pool}
	st, err := svc.DetectPending(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Signed != len(docs) {
		t.Errorf("signed %d of %d", st.Signed, len(docs))
	}
	truth := make([]int, len(docs))
	wantRepeats := 0
	for i, d := range docs {
		truth[i] = campaign.TruthLabel(d, i, truth)
		if d.Repeat >= 0 {
			wantRepeats++
		}
	}
	labels := make([]int, len(docs))
	for i := range labels {
		labels[i] = -(i + 1)
	}
	rows, err := pool.Query(ctx, `SELECT substr(r.source_ref, 5)::int, m.campaign_id FROM campaign_members m
		JOIN responses r ON r.id = m.response_id WHERE m.consultation_id = $1 AND NOT m.removed`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var i int
		var id int64
		if err := rows.Scan(&i, &id); err != nil {
			t.Fatal(err)
		}
		labels[i] = int(id)
	}
	rows.Close()
	p, r := campaign.PairScoresOf(truth, labels)
	if p < 0.95 || r < 0.95 {
		t.Errorf("stored campaigns: precision %.4f recall %.4f, want both ≥ 0.95", p, r)
	}
	list, _, err := svc.List(ctx, c.ID)
	if err != nil || len(list) != 4 {
		t.Errorf("campaigns listed: %v %d, want 4", err, len(list))
	}
	if st.Repeats < wantRepeats*9/10 || st.Repeats > wantRepeats {
		t.Errorf("repeats flagged %d, want about %d", st.Repeats, wantRepeats)
	}
	if again, err := svc.DetectPending(ctx, c.ID); err != nil || again.Signed != 0 {
		t.Fatalf("second run signed %d (err %v), want 0", again.Signed, err)
	}
}
