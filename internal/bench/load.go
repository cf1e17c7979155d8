package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

var texts = []string{
	"I mostly support this. Putting people's experiences at the centre of regulation is the right thing to do. However, staff views matter too.",
	"We welcome the focus on data, but are concerned about a potential reduction in time spent on site.",
	"The strategy needs more detail about how this will work for small providers and how progress will be measured.",
	"Lack of mention of safeguarding is a concern for our members.",
	"Inspection visits must stay: an inspection on site sees what data cannot.",
	"Our organization believes inspections should involve the people who use services.",
}

var channels = []string{"webform", "webform", "webform", "webform", "webform", "webform", "email", "letter", "event", "webform"}

// synth makes response i of a synthetic consultation: deterministic, one
// answer to every question.
func synth(c *consultation.Consultation, i int) ingest.Response {
	g := c.Groups[i%len(c.Groups)].ID
	r := ingest.Response{
		SourceRef:  fmt.Sprintf("bench-%07d", i),
		Channel:    channels[i%len(channels)],
		GroupID:    &g,
		ReceivedAt: time.Date(2021, 1, 7, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
		// One in ten on behalf of an organisation, for the reading lists.
		OnBehalfOfOrg: i%10 == 3,
		Answers:       make([]ingest.Answer, len(c.Questions)),
	}
	if r.OnBehalfOfOrg {
		r.Organisation = fmt.Sprintf("Organisation %d", i%5000)
	}
	for k, q := range c.Questions {
		r.Answers[k].QuestionID = q.ID
		if q.Scale != nil {
			r.Answers[k].OptionID = &q.Scale.Options[(i*7+k*3)%len(q.Scale.Options)].ID
		} else {
			r.Answers[k].Text = &texts[(i+k)%len(texts)]
		}
	}
	return r
}

// writerLoad loads n responses through ingest.Writer in one transaction,
// as an importer loads one file.
func writerLoad(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int) (time.Duration, error) {
	start := time.Now()
	err := db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for i := range n {
			if err := w.Add(ctx, synth(c, i)); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		return 0, fmt.Errorf("bench: writer load: %w", err)
	}
	return time.Since(start), nil
}

// rawCopy is the ceiling: the same rows COPYed straight into the same
// tables, with no validation or duplicate check.
func rawCopy(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int) (time.Duration, error) {
	start := time.Now()
	err := db.WithTx(ctx, pool, func(tx pgx.Tx, q *db.Queries) error {
		var first int64
		if err := tx.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('responses', 'id'))`).Scan(&first); err != nil {
			return err
		}
		// Move the sequence past the ids this load takes for itself.
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('responses', 'id'), $1)`, first+int64(n)); err != nil {
			return err
		}
		const batch = ingest.DefaultBatchSize
		for lo := 0; lo < n; lo += batch {
			hi := min(lo+batch, n)
			rs := make([]ingest.Response, 0, hi-lo)
			for i := lo; i < hi; i++ {
				rs = append(rs, synth(c, i))
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"responses"},
				[]string{"consultation_id", "id", "channel", "respondent_group_id", "on_behalf_of_org", "organisation", "received_at", "source_ref"},
				pgx.CopyFromSlice(len(rs), func(k int) ([]any, error) {
					r := rs[k]
					return []any{c.ID, first + int64(lo+k), r.Channel, r.GroupID, r.OnBehalfOfOrg, r.Organisation, r.ReceivedAt, r.SourceRef}, nil
				})); err != nil {
				return err
			}
			var rows [][]any
			for k, r := range rs {
				for _, a := range r.Answers {
					rows = append(rows, []any{c.ID, first + int64(lo+k), a.QuestionID, a.OptionID, a.Text, r.Channel, r.GroupID})
				}
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"answers"},
				[]string{"consultation_id", "response_id", "question_id", "option_id", "text", "channel", "respondent_group_id"},
				pgx.CopyFromRows(rows)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bench: raw copy: %w", err)
	}
	return time.Since(start), nil
}
