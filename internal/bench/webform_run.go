package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/demo"
	"heard/internal/webform"
)

// webformSection measures form submissions: n prepared drafts sent by
// Clients concurrent clients through the real HTTP server, beside a bare
// pgx loop inserting the same rows on as many goroutines (the ceiling),
// and n more sent by calling the service directly, to show what HTTP costs.
func webformSection(ctx context.Context, pool *pgxpool.Pool, n int, out io.Writer, logger *slog.Logger) error {
	formC, err := loadOpen(ctx, pool, "bench-webform")
	if err != nil {
		return err
	}
	ceilingC, err := loadOpen(ctx, pool, "bench-webform-ceiling")
	if err != nil {
		return err
	}
	svc := webform.NewService(pool, logger)
	f, err := svc.Form(ctx, formC.Slug)
	if err != nil {
		return err
	}
	start := time.Now()
	tokens, err := prepareDrafts(ctx, svc, f, 2*n)
	if err != nil {
		return err
	}
	prepared := time.Since(start)

	ceil, err := measure(n, func(i int) error { return insertBare(ctx, pool, ceilingC, i) })
	if err != nil {
		return fmt.Errorf("bench: bare inserts: %w", err)
	}
	// The same submit without HTTP: where the time goes.
	direct, err := measure(n, func(i int) error {
		_, err := svc.Submit(ctx, formC.Slug, tokens[n+i], false)
		return err
	})
	if err != nil {
		return fmt.Errorf("bench: submit: %w", err)
	}
	web, err := submitOverHTTP(formC.Slug, pool, tokens[:n], logger)
	if err != nil {
		return err
	}
	httpCeil, err := submitToCeiling(ctx, pool, ceilingC, n)
	if err != nil {
		return fmt.Errorf("bench: minimal handler: %w", err)
	}
	var stored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE consultation_id = $1 AND channel = 'webform'`, formC.ID).Scan(&stored); err != nil {
		return fmt.Errorf("bench: count webform responses: %w", err)
	}
	if stored != 2*n {
		return fmt.Errorf("bench: %d submissions stored %d responses", 2*n, stored)
	}
	var ceilingStored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE consultation_id = $1`, ceilingC.ID).Scan(&ceilingStored); err != nil {
		return fmt.Errorf("bench: count ceiling responses: %w", err)
	}
	if ceilingStored != 2*n {
		return fmt.Errorf("bench: the two ceilings stored %d responses, want %d", ceilingStored, 2*n)
	}

	fmt.Fprintf(out, "\n  webform submissions, %d concurrent clients, %s drafts of %d answers; each client POSTs the final submit of a\n", Clients, fmtInt(int64(n)), len(f.C.Questions))
	fmt.Fprintf(out, "  prepared draft (target ≥ 1,500/s, p99 < 100 ms, ≥ 0.70× the HTTP ceiling: a minimal net/http handler that\n")
	fmt.Fprintf(out, "  parses the same form and inserts the same rows, served and loaded the same way):\n")
	line := func(name, unit string, t throughput, note string) {
		fmt.Fprintf(out, "  %-24s %6.1f s  %8s %-13s  p50 %5.1f ms  p99 %5.1f ms  max %6.1f ms   %s\n",
			name, t.elapsed.Seconds(), fmtInt(int64(t.rate())), unit, ms(t.p50), ms(t.p99), ms(t.max), note)
	}
	line("through the HTTP server", "submissions/s", web, fmt.Sprintf("%.2f× HTTP ceiling, %.2f× bare pgx", web.rate()/httpCeil.rate(), web.rate()/ceil.rate()))
	line("minimal net/http handler", "submissions/s", httpCeil, "(HTTP ceiling)")
	line("Service.Submit, no HTTP", "submissions/s", direct, fmt.Sprintf("%.2f× bare pgx", direct.rate()/ceil.rate()))
	line("bare pgx inserts", "responses/s", ceil, "(ceiling without HTTP)")
	fmt.Fprintf(out, "  (%s drafts prepared through webform.Service.Save in %.1f s; %s responses stored, one per draft)\n",
		fmtInt(int64(2*n)), prepared.Seconds(), fmtInt(int64(stored)))
	return nil
}

// loadOpen loads the CQC definition as slug, open from yesterday for a month.
func loadOpen(ctx context.Context, pool *pgxpool.Pool, slug string) (*consultation.Consultation, error) {
	def, err := demo.Definition()
	if err != nil {
		return nil, err
	}
	today := time.Now()
	def.Slug, def.Title, def.Status = slug, "Bench: "+def.Title, "open"
	def.OpensOn, def.ClosesOn = today.AddDate(0, 0, -1).Format(time.DateOnly), today.AddDate(0, 0, 30).Format(time.DateOnly)
	return (&consultation.Service{Pool: pool}).Load(ctx, def)
}

// insertBare is the ceiling: respondent i's response and its answers,
// the rows a submission stores, in one transaction with plain INSERTs.
func insertBare(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, i int) error {
	return insertRows(ctx, pool, c, formValues(c, i), fmt.Sprintf("ceiling-%07d", i))
}

// insertRows stores the response that form values v describe, under
// source reference ref, with two plain INSERTs in one transaction.
func insertRows(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, v url.Values, ref string) error {
	grp := c.Group(v.Get(webform.FieldGroup))
	if grp == nil {
		return fmt.Errorf("bench: unknown group %q", v.Get(webform.FieldGroup))
	}
	g := grp.ID
	org := v.Get(webform.FieldOrganisation)
	var qs, opts []*int32
	var textsIn []*string
	for _, q := range c.Questions {
		qs = append(qs, &q.ID)
		s := v.Get(webform.FieldName(q))
		if q.Scale == nil {
			opts, textsIn = append(opts, nil), append(textsIn, &s)
			continue
		}
		for _, o := range q.Scale.Options {
			if o.Slug == s {
				opts, textsIn = append(opts, &o.ID), append(textsIn, nil)
			}
		}
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO responses (consultation_id, channel, respondent_group_id, on_behalf_of_org, organisation, received_at, source_ref)
		VALUES ($1, 'webform', $2, $3, $4, now(), $5) RETURNING id`,
		c.ID, g, org != "", org, ref).Scan(&id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO answers (consultation_id, response_id, question_id, option_id, text, channel, respondent_group_id)
		SELECT $1, $2, q, o, t, 'webform', $3 FROM unnest($4::integer[], $5::integer[], $6::text[]) AS u(q, o, t)`,
		c.ID, id, g, qs, opts, textsIn); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
