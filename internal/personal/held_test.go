package personal_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
	"heard/internal/personal"
)

// The Writer detects in the answers it holds instead of reading them back
// (a load-time saving); what it stores must be exactly what reading the
// stored texts finds (Rescan), open answers and letters' full texts alike,
// through COPY batches and one-statement batches.
func TestWriterFindsWhatARescanFinds(t *testing.T) {
	t.Parallel()
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
	q1b, q2b := c.Question("Q1b"), c.Question("Q2b")
	var ids []int64
	for _, n := range []int{20, 3} { // a COPY batch, then a few
		err := db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
			w := ingest.NewWriter(q, c)
			w.AfterBatch = func(ctx context.Context, q *db.Queries, batch []int64, written []ingest.Response) error {
				var src []db.CopySourcesParams
				for i, id := range batch {
					if written[i].Channel != "letter" {
						continue
					}
					src = append(src, db.CopySourcesParams{ConsultationID: c.ID, ResponseID: id, FullText: fmt.Sprintf("Dear CQC,\nPlease call 07911 123%03d.\nYours sincerely,\nAmira Okafor", i), TextHash: fmt.Sprint(id), Attachments: []byte("[]"), Warnings: []byte("[]")})
				}
				ids = append(ids, batch...)
				_, err := q.CopySources(ctx, src)
				return err
			}
			for i := range n {
				a := fmt.Sprintf("My name is Priya Shah, write to priya%d@example.org.", i)
				b := "Nothing personal here."
				ch := "webform"
				if i%2 == 0 {
					ch = "letter"
				}
				if err := w.Add(ctx, ingest.Response{SourceRef: fmt.Sprintf("held-%d-%d", n, i), Channel: ch, ReceivedAt: time.Now(),
					Answers: []ingest.Answer{{QuestionID: q1b.ID, Text: &a}, {QuestionID: q2b.ID, Text: &b}}}); err != nil {
					return err
				}
			}
			return w.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	spans := func() []string {
		rows, err := pool.Query(ctx, `SELECT format('%s/%s %s-%s %s', response_id, question_id, start_offset, end_offset, kind) FROM personal_spans ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	written := spans()
	var fullTexts, scanned int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(DISTINCT response_id) FROM personal_spans WHERE question_id = 0), (SELECT count(*) FROM personal_scanned)`).Scan(&fullTexts, &scanned); err != nil {
		t.Fatal(err)
	}
	if fullTexts != 12 || scanned != 23 {
		t.Errorf("letters with spans in their full text: %d, want 12; responses marked read: %d, want 23", fullTexts, scanned)
	}
	if err := personal.Rescan(ctx, db.New(pool), c.ID, ids); err != nil {
		t.Fatal(err)
	}
	if reread := spans(); !slices.Equal(written, reread) {
		t.Errorf("the Writer stored\n%v\nreading the stored texts finds\n%v", written, reread)
	}
	if len(written) != 23*2+12*2 {
		t.Errorf("%d spans, want a name and an email in each of 23 answers, a phone number and a name in each of 12 letters", len(written))
	}
}
