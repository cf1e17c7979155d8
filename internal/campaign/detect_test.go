package campaign_test

import (
	"context"
	"fmt"
	"strings"
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

	// Every matchable signature carries its first StoredBands band keys,
	// each XOR the consultation id (000032), and short ones none.
	sigs, err := pool.Query(ctx, `SELECT words, signature, bands FROM response_signatures WHERE consultation_id = $1`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for sigs.Next() {
		var words int
		var raw []byte
		var bands []int64
		if err := sigs.Scan(&words, &raw, &bands); err != nil {
			t.Fatal(err)
		}
		sig, _ := campaign.SignatureFromBytes(raw)
		want := campaign.BandKeys(&sig)
		if words < campaign.DefaultThresholds.MinWords {
			if bands != nil {
				t.Fatalf("a %d-word response has bands %v, want none", words, bands)
			}
			continue
		}
		if len(bands) != campaign.StoredBands {
			t.Fatalf("stored %d band keys, want %d", len(bands), campaign.StoredBands)
		}
		for b := range bands {
			if bands[b] != want[b]^c.ID {
				t.Fatalf("band %d stored %d, want %d", b, bands[b], want[b]^c.ID)
			}
		}
	}
	sigs.Close()

	// A later edited copy finds the pass's campaign through the stored
	// band keys (not by exact text: a word is changed).
	var first int
	for i, d := range docs {
		if d.Truth != 0 && d.Repeat < 0 && labels[i] > 0 {
			first = i
			break
		}
	}
	words := strings.Fields(docs[first].Text)
	words[len(words)/2] = "Zanzibar"
	addResponse(t, pool, c, "late-copy", strings.Join(words, " "))
	if _, err := svc.DetectNew(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	var joined int64
	err = pool.QueryRow(ctx, `SELECT m.campaign_id FROM campaign_members m JOIN responses r ON r.id = m.response_id
		WHERE r.consultation_id = $1 AND r.source_ref = 'late-copy'`, c.ID).Scan(&joined)
	if err != nil || joined != int64(labels[first]) {
		t.Errorf("late copy of gen-%d joined campaign %d (%v), want %d", first, joined, err, labels[first])
	}

	// Rows stored before StoredBands (all 16 keys) hold the same first
	// keys, so a new copy still finds them.
	_, err = pool.Exec(ctx, `UPDATE response_signatures SET bands = NULL WHERE consultation_id = $1`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var full [][]int64
	sigs, err = pool.Query(ctx, `SELECT g.response_id, g.signature FROM response_signatures g
		JOIN campaign_members m ON m.response_id = g.response_id WHERE m.campaign_id = $1`, labels[first])
	if err != nil {
		t.Fatal(err)
	}
	for sigs.Next() {
		var id int64
		var raw []byte
		if err := sigs.Scan(&id, &raw); err != nil {
			t.Fatal(err)
		}
		sig, _ := campaign.SignatureFromBytes(raw)
		keys := campaign.BandKeys(&sig)
		for b := range keys {
			keys[b] ^= c.ID
		}
		ids, full = append(ids, id), append(full, keys[:])
	}
	sigs.Close()
	for i, id := range ids {
		if _, err := pool.Exec(ctx, `UPDATE response_signatures SET bands = $2 WHERE response_id = $1`, id, full[i]); err != nil {
			t.Fatal(err)
		}
	}
	words[len(words)/3] = "Timbuktu"
	addResponse(t, pool, c, "late-copy-2", strings.Join(words, " "))
	if _, err := svc.DetectNew(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	err = pool.QueryRow(ctx, `SELECT m.campaign_id FROM campaign_members m JOIN responses r ON r.id = m.response_id
		WHERE r.consultation_id = $1 AND r.source_ref = 'late-copy-2'`, c.ID).Scan(&joined)
	if err != nil || joined != int64(labels[first]) {
		t.Errorf("copy matched against 16-key rows joined campaign %d (%v), want %d", joined, err, labels[first])
	}
}

// addResponse stores one more webform response with the text as its open
// answer.
func addResponse(t *testing.T, pool *pgxpool.Pool, c *consultation.Consultation, ref, text string) {
	t.Helper()
	var open *consultation.Question
	for _, q := range c.Questions {
		if q.Kind == "open" {
			open = q
			break
		}
	}
	err := db.WithTx(context.Background(), pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		if err := w.Add(context.Background(), ingest.Response{SourceRef: ref, Channel: "webform",
			ReceivedAt: time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC), Answers: []ingest.Answer{{QuestionID: open.ID, Text: &text}}}); err != nil {
			return err
		}
		return w.Flush(context.Background())
	})
	if err != nil {
		t.Fatal(err)
	}
}
