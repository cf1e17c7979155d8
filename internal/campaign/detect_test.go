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
