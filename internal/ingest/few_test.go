package ingest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
)

// Small batches skip COPY: both paths must store exactly the same rows,
// skip the same duplicates and hand AfterBatch the same ids.
func TestFewAndCopyStoreTheSame(t *testing.T) {
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
	q1a, q1b, age := c.Question("Q1a"), c.Question("Q1b"), c.Question("age-band")
	text, at := "Line one\nline two", time.Date(2021, 2, 1, 12, 0, 0, 0, time.UTC)
	mk := func(path string, i int) ingest.Response {
		r := ingest.Response{SourceRef: fmt.Sprintf("%s-%d", path, i), Channel: []string{"webform", "email", "event"}[i%3], ReceivedAt: at}
		if i != 1 {
			r.GroupID, r.SuggestedGroupID, r.SuggestionReason = &c.Groups[i].ID, &c.Groups[3].ID, "domain"
			r.OnBehalfOfOrg, r.Organisation = true, "Org "+fmt.Sprint(i)
		}
		r.Answers = []ingest.Answer{{QuestionID: q1a.ID, OptionID: &q1a.Scale.Options[i].ID}, {QuestionID: q1b.ID, Text: &text}}
		if i == 2 {
			r.Answers = append(r.Answers, ingest.Answer{QuestionID: age.ID, OptionID: &age.Scale.Options[0].ID})
		}
		return r
	}
	write := func(path string, few int) (ingest.Result, []int64) {
		var res ingest.Result
		var ids []int64
		err := db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
			w := ingest.NewWriter(q, c)
			ingest.SetFew(w, few)
			w.AfterBatch = func(_ context.Context, _ *db.Queries, got []int64, _ []ingest.Response) error {
				ids = append(ids, got...)
				return nil
			}
			for i := range 3 {
				if err := w.Add(ctx, mk(path, i)); err != nil {
					return err
				}
			}
			err := w.Flush(ctx)
			res = w.Result()
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return res, ids
	}
	for _, path := range []string{"few", "copy"} {
		few := map[string]int{"few": ingest.FewResponses, "copy": 0}[path]
		if res, ids := write(path, few); res.Inserted != 3 || len(ids) != 3 {
			t.Errorf("%s: inserted %d, AfterBatch saw %d ids", path, res.Inserted, len(ids))
		}
		// Again: every one is a duplicate, nothing is written.
		if res, ids := write(path, few); res.Inserted != 0 || len(res.Duplicates) != 3 || len(ids) != 0 {
			t.Errorf("%s again: inserted %d, %d duplicates, %d ids", path, res.Inserted, len(res.Duplicates), len(ids))
		}
	}
	stored := func(path string) []string {
		rows, err := pool.Query(ctx, `
			SELECT (to_jsonb(r) - 'id' - 'created_at' - 'source_ref')::text || ' ' ||
			       coalesce((SELECT jsonb_agg(to_jsonb(a) - 'response_id' ORDER BY a.question_id)::text FROM answers a WHERE a.response_id = r.id), '')
			FROM responses r WHERE source_ref LIKE $1 || '-%' ORDER BY source_ref`, path)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if d := cmp.Diff(stored("copy"), stored("few")); d != "" || len(stored("few")) != 3 {
		t.Errorf("rows stored by COPY (-) and one statement per response (+) differ:\n%s", d)
	}
}
