package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
)

// sqlLoad stores the same n responses as synth, generated inside
// PostgreSQL (INSERT … SELECT over generate_series) in chunks, with every
// trigger firing as usual. It builds a large database to measure pages
// on far faster than a load through the client on a busy machine; it is
// not a load-rate figure.
func sqlLoad(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int) (time.Duration, error) {
	start := time.Now()
	var groups []int32
	for _, g := range c.Groups {
		groups = append(groups, g.ID)
	}
	const chunk = 50_000
	var first int64
	if err := pool.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('responses', 'id'))`).Scan(&first); err != nil {
		return 0, fmt.Errorf("bench: sql load: %w", err)
	}
	if _, err := pool.Exec(ctx, `SELECT setval(pg_get_serial_sequence('responses', 'id'), $1)`, first+int64(n)); err != nil {
		return 0, fmt.Errorf("bench: sql load: %w", err)
	}
	// Questions as parallel arrays: position k, id, options (empty for
	// open questions) flattened with offsets.
	var qids, offs, lens []int32
	var opts []int32
	for _, q := range c.Questions {
		qids = append(qids, q.ID)
		offs = append(offs, int32(len(opts)))
		if q.Scale == nil {
			lens = append(lens, 0)
			continue
		}
		lens = append(lens, int32(len(q.Scale.Options)))
		for _, o := range q.Scale.Options {
			opts = append(opts, o.ID)
		}
	}
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n) - 1
		if _, err := pool.Exec(ctx, `
			INSERT INTO responses (consultation_id, id, channel, respondent_group_id, on_behalf_of_org, organisation, received_at, source_ref)
			SELECT $1, $2 + i, ($3::text[])[1 + i % cardinality($3::text[])]::channel, ($4::integer[])[1 + i % cardinality($4::integer[])],
			       i % 10 = 3, CASE WHEN i % 10 = 3 THEN 'Organisation ' || i % 5000 ELSE '' END,
			       timestamptz '2021-01-07 00:00:00+00' + i * interval '1 second', 'bench-' || lpad(i::text, 7, '0')
			FROM generate_series($5::integer, $6::integer) i`,
			c.ID, first, channels, groups, lo, hi); err != nil {
			return 0, fmt.Errorf("bench: sql load responses: %w", err)
		}
		if _, err := pool.Exec(ctx, `
			INSERT INTO answers (consultation_id, response_id, question_id, option_id, text, channel, respondent_group_id)
			SELECT $1, $2 + i, q.id,
			       CASE WHEN q.len > 0 THEN ($5::integer[])[1 + q.off + (i * 7 + (q.k - 1) * 3) % q.len] END,
			       CASE WHEN q.len = 0 THEN ($6::text[])[1 + (i + q.k - 1) % cardinality($6::text[])] END,
			       ($7::text[])[1 + i % cardinality($7::text[])]::channel, ($8::integer[])[1 + i % cardinality($8::integer[])]
			FROM generate_series($9::integer, $10::integer) i
			CROSS JOIN unnest($3::integer[], $4::integer[], $11::integer[]) WITH ORDINALITY AS q(id, off, len, k)`,
			c.ID, first, qids, offs, opts, texts, channels, groups, lo, hi, lens); err != nil {
			return 0, fmt.Errorf("bench: sql load answers: %w", err)
		}
	}
	return time.Since(start), nil
}
