// Package bench measures Heard at scale: bulk-load rate next to a raw
// COPY of the same rows (the ceiling), and page latency through the real
// HTTP server. `make bench` runs it; the figures are printed, never
// asserted, because timings belong to benchmarks, not tests.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/demo"
)

// Config says what to measure.
type Config struct {
	DatabaseURL string // a server where the bench may create a database
	N           int    // responses per consultation
	Requests    int    // requests per page for the latency figures
	Submissions int    // webform submissions to time (0 skips them)
	Keep        bool   // keep the bench database afterwards
	Heard       string // the heard binary, for the import measurements ("" skips them)
	MboxN       int    // messages in the mbox import
	CSVN        int    // rows in the CSV import
	// Email and post (#17): .msg files, an IMAP fetch, OCR pages (0 skips each).
	MsgN, IMAPN, OCRPages int
	// AutocodeN: coded answers auto-coding trains on (0 skips #13's figures).
	AutocodeN int
	// NoAutocodeQuality: time training and scoring only, not the
	// cross-validation and learning curve the job runs after training
	// (which use no database, so a smaller run measures them as well).
	NoAutocodeQuality bool
	// OnlyAutocode loads the responses and measures auto-coding only.
	OnlyAutocode bool
	// OnlyDashboards loads the responses (raw COPY and ingest.Writer, so
	// the load rates are printed) and measures the dashboards only.
	OnlyDashboards bool
	// SQLLoad (with OnlyDashboards) stores the responses with server-side
	// SQL instead of timing the two loads: for building a large database
	// on a busy machine. Existing measures the dashboards on a database
	// kept from an earlier run (-keep) instead of creating one.
	SQLLoad  bool
	Existing string
	// ExistingLists (with Existing) measures the coding actions and the
	// analysts' answer lists only, not the dashboards.
	ExistingLists bool
	// ExistingAutocode (with Existing) measures auto-coding only: train
	// on AutocodeN coded answers, score every Q1b answer of the kept
	// database, time the suggestion pages.
	ExistingAutocode bool
	// ExistingDashboards (with Existing) measures the dashboards only.
	ExistingDashboards bool
	// ExistingCampaigns (with Existing) re-times one new response at a
	// time and a load of ordinary responses on a kept campaigns database.
	ExistingCampaigns bool
	// ExplainLists (with Existing) prints the plans of the answer lists'
	// queries instead of timing anything.
	ExplainLists bool
	// ListMatch keeps only the answer lists whose name contains it.
	ListMatch string
	// ListsOnly times the lists alone, not their pages (whose figures
	// with a respondent, answer or date filter are counted response by
	// response: seconds each at a million, #12).
	ListsOnly bool
	// Campaigns (#15): responses in the in-memory detection pass and
	// stored before timing incremental detection (0 skips the section).
	CampaignN, CampaignDBN int
	// Personal data (#16): letter-length texts imported with and without
	// detection (0 skips that part); subject access is timed after the
	// load whenever the pages are.
	PersonalN int
	// OnlyPersonal loads the responses, then measures subject access and
	// detection only.
	OnlyPersonal bool
	// OnlyLoad stops after the two loads (raw COPY and ingest.Writer).
	OnlyLoad bool
	// SetupSQL runs after migrating, before loading: to measure what an
	// index or trigger costs, drop it here.
	SetupSQL string
}

// Run creates a scratch database, loads N responses twice (raw COPY into a
// database of its own, then through ingest.Writer), measures the pages and
// prints one table.
func Run(ctx context.Context, cfg Config, out io.Writer, logger *slog.Logger) error {
	if cfg.Existing != "" {
		return existing(ctx, cfg, out, logger)
	}
	dbURL, drop, err := scratchDatabase(ctx, cfg.DatabaseURL, cfg.Keep)
	if err != nil {
		return err
	}
	defer drop()
	fmt.Fprintf(out, "bench database: %s\n", dbURL)
	if err := db.Migrate(dbURL); err != nil {
		return err
	}
	if cfg.SetupSQL != "" {
		if err := runSQL(ctx, dbURL, cfg.SetupSQL); err != nil {
			return err
		}
	}
	poolCfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return fmt.Errorf("bench: DATABASE_URL: %w", err)
	}
	times := newStatementTimes()
	poolCfg.ConnConfig.Tracer = times
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return fmt.Errorf("bench: connect: %w", err)
	}
	defer pool.Close()

	benchC, err := loadDefinition(ctx, pool, "bench")
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "Heard bench: %s responses × %d answers per consultation\n\n", fmtInt(int64(cfg.N)), len(benchC.Questions))
	if cfg.OnlyAutocode {
		load, err := writerLoad(ctx, pool, benchC, cfg.N)
		if err != nil {
			return err
		}
		start := time.Now()
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
			return fmt.Errorf("bench: vacuum: %w", err)
		}
		fmt.Fprintf(out, "  ingest.Writer load     %8.1f s  %10s responses/s, then VACUUM ANALYZE %.1f s\n", load.Seconds(), rate(cfg.N, load), time.Since(start).Seconds())
		return autocodeSection(ctx, pool, benchC, cfg.AutocodeN, !cfg.NoAutocodeQuality, min(cfg.Requests, 100), out, logger)
	}
	if cfg.OnlyPersonal {
		if _, err := writerLoad(ctx, pool, benchC, cfg.N); err != nil {
			return err
		}
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
			return fmt.Errorf("bench: vacuum: %w", err)
		}
		if err := subjectAccessSection(ctx, pool, benchC, min(cfg.Requests, 20), out); err != nil {
			return err
		}
		if cfg.PersonalN > 0 {
			return detectionSection(ctx, pool, cfg.PersonalN, out)
		}
		return nil
	}
	if cfg.CampaignN > 0 {
		campC, err := loadDefinition(ctx, pool, "bench-campaigns")
		if err != nil {
			return err
		}
		if err := campaignSection(ctx, pool, campC, benchC, cfg.CampaignN, cfg.CampaignDBN, out); err != nil {
			return err
		}
	}
	if cfg.OnlyDashboards && cfg.SQLLoad {
		took, err := sqlLoad(ctx, pool, benchC, cfg.N)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  stored with server-side SQL (not a load-rate figure) %.1f s\n", took.Seconds())
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
			return fmt.Errorf("bench: vacuum: %w", err)
		}
		return printDashboards(ctx, pool, benchC, cfg, out, logger)
	}
	times.reset()
	raw, err := ceiling(ctx, cfg, times)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  raw COPY (ceiling)     %8.1f s  %10s responses/s  %11s answers/s\n", raw.Seconds(), rate(cfg.N, raw), rate(cfg.N*len(benchC.Questions), raw))
	times.print(out, raw)
	times.reset()
	load, err := writerLoad(ctx, pool, benchC, cfg.N)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  ingest.Writer load     %8.1f s  %10s responses/s  %11s answers/s   %.2f× raw COPY (target ≥ 0.60×, ≤ 40 s at 1M)\n",
		load.Seconds(), rate(cfg.N, load), rate(cfg.N*len(benchC.Questions), load), raw.Seconds()/load.Seconds())
	times.print(out, load)
	times.off.Store(true)
	if cfg.OnlyLoad {
		return nil
	}

	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("bench: vacuum: %w", err)
	}
	if cfg.OnlyDashboards {
		return printDashboards(ctx, pool, benchC, cfg, out, logger)
	}
	lat, err := pageLatencies(ctx, pool, benchC, cfg.Requests, logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n  page latency through the HTTP server, %d requests each (target p95 < 50 ms):\n", cfg.Requests)
	for _, l := range lat {
		fmt.Fprintf(out, "  %-44s p50 %6.1f ms   p95 %6.1f ms\n", l.name, ms(l.p50), ms(l.p95))
	}
	if err := codingSection(ctx, pool, benchC, cfg.Requests, out); err != nil {
		return err
	}
	if err := printReading(ctx, pool, benchC, cfg.Requests, "", true, out, logger); err != nil {
		return err
	}
	if err := printDashboards(ctx, pool, benchC, cfg, out, logger); err != nil {
		return err
	}
	if err := subjectAccessSection(ctx, pool, benchC, min(cfg.Requests, 20), out); err != nil {
		return err
	}
	if cfg.PersonalN > 0 {
		if err := detectionSection(ctx, pool, cfg.PersonalN, out); err != nil {
			return err
		}
	}
	if cfg.AutocodeN > 0 {
		if err := autocodeSection(ctx, pool, benchC, cfg.AutocodeN, !cfg.NoAutocodeQuality, min(cfg.Requests, 100), out, logger); err != nil {
			return err
		}
	}
	if cfg.Submissions > 0 {
		if err := webformSection(ctx, pool, cfg.Submissions, out, logger); err != nil {
			return err
		}
	}
	if cfg.MsgN > 0 || cfg.IMAPN > 0 || cfg.OCRPages > 0 {
		if err := mailSection(ctx, pool, cfg, out); err != nil {
			return err
		}
	}
	if cfg.Heard == "" {
		return nil
	}
	runs, err := importsBench(ctx, pool, dbURL, cfg.Heard, cfg.CSVN, cfg.MboxN)
	if err != nil {
		return err
	}
	rawRate := float64(cfg.N) / raw.Seconds()
	fmt.Fprintf(out, "\n  heard import, in its own process (targets: CSV ≥ 0.5× raw COPY of the same rows; peak memory < 300 MB):\n")
	for _, r := range runs {
		rate := float64(r.items) / r.took.Seconds()
		vs := ""
		if strings.HasSuffix(r.name, ".csv") {
			vs = fmt.Sprintf("   %.2f× raw COPY", rate/rawRate)
		}
		fmt.Fprintf(out, "  %-14s %9s items  %6.0f MB  %7.1f s  %8s items/s  peak RSS %5.0f MB%s\n",
			r.name, fmtInt(int64(r.items)), float64(r.bytes)/(1<<20), r.took.Seconds(), fmtInt(int64(rate)), r.peakRSSMB, vs)
	}
	return nil
}

// ceiling times the raw COPY of N responses into a second scratch
// database, migrated and set up like the bench's own and as empty as it
// was: loaded into the same database first, the ceiling wrote into empty
// tables and indexes while ingest.Writer, second, wrote beside a million
// rows already there (its COPY of answers used 2.3× the server CPU at
// 100,000), which made the ratio a measure of the order of the two loads.
func ceiling(ctx context.Context, cfg Config, times *statementTimes) (time.Duration, error) {
	dbURL, drop, err := scratchDatabase(ctx, cfg.DatabaseURL, false)
	if err != nil {
		return 0, err
	}
	defer drop()
	if err := db.Migrate(dbURL); err != nil {
		return 0, err
	}
	if cfg.SetupSQL != "" {
		if err := runSQL(ctx, dbURL, cfg.SetupSQL); err != nil {
			return 0, err
		}
	}
	poolCfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return 0, fmt.Errorf("bench: ceiling database: %w", err)
	}
	poolCfg.ConnConfig.Tracer = times
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return 0, fmt.Errorf("bench: connect to the ceiling database: %w", err)
	}
	defer pool.Close()
	c, err := loadDefinition(ctx, pool, "bench-ceiling")
	if err != nil {
		return 0, err
	}
	return rawCopy(ctx, pool, c, cfg.N)
}

// runSQL runs the bench's set-up statements on their own connection.
func runSQL(ctx context.Context, dbURL, sql string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("bench: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("bench: set-up SQL: %w", err)
	}
	return nil
}

func loadDefinition(ctx context.Context, pool *pgxpool.Pool, slug string) (*consultation.Consultation, error) {
	def, err := demo.Definition()
	if err != nil {
		return nil, err
	}
	def.Slug = slug
	def.Title = "Bench: " + def.Title
	// The 13 questions of the published consultation: the equality
	// questions added for the webform are not part of the measured load.
	var qs []consultation.QuestionDef
	for _, q := range def.Questions {
		if q.Kind != "demographic" {
			qs = append(qs, q)
		}
	}
	def.Questions = qs
	return (&consultation.Service{Pool: pool}).Load(ctx, def)
}

// scratchDatabase creates heard_bench_<time> next to the database in
// serverURL and returns its URL and a function that drops it.
func scratchDatabase(ctx context.Context, serverURL string, keep bool) (string, func(), error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: DATABASE_URL: %w", err)
	}
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: connect: %w", err)
	}
	name := fmt.Sprintf("heard_bench_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		return "", nil, fmt.Errorf("bench: create database: %w", err)
	}
	u.Path = "/" + name
	drop := func() {
		defer admin.Close(context.Background())
		if keep {
			return
		}
		if _, err := admin.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			fmt.Printf("bench: drop %s: %v\n", name, err)
		}
	}
	return u.String(), drop, nil
}

func rate(n int, d time.Duration) string {
	return fmtInt(int64(float64(n) / d.Seconds()))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fmtInt(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// printDashboards measures and prints the dashboards section.
func printDashboards(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, cfg Config, out io.Writer, logger *slog.Logger) error {
	dash, err := dashboardLatencies(ctx, pool, c, cfg.Requests, logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n  dashboards, breakdowns and the report (target p95 < 50 ms; report build < 2 s):\n")
	for _, l := range dash {
		fmt.Fprintf(out, "  %-44s p50 %6.1f ms   p95 %6.1f ms\n", l.name, ms(l.p50), ms(l.p95))
	}
	return nil
}

// existing measures a kept bench database: the coding actions, the
// analysts' answer lists and (unless cfg.ExistingLists) the dashboards,
// so list and dashboard figures can be retaken without reloading.
func existing(ctx context.Context, cfg Config, out io.Writer, logger *slog.Logger) error {
	pool, err := pgxpool.New(ctx, cfg.Existing)
	if err != nil {
		return fmt.Errorf("bench: connect: %w", err)
	}
	defer pool.Close()
	c, err := (&consultation.Service{Pool: pool}).Get(ctx, "bench")
	if err != nil {
		return fmt.Errorf("bench: the kept database has no bench consultation: %w", err)
	}
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE consultation_id = $1`, c.ID).Scan(&n); err != nil {
		return fmt.Errorf("bench: count: %w", err)
	}
	fmt.Fprintf(out, "Heard bench: a kept database, %s responses\n", fmtInt(n))
	if cfg.ExistingAutocode {
		return autocodeSection(ctx, pool, c, cfg.AutocodeN, !cfg.NoAutocodeQuality, min(cfg.Requests, 100), out, logger)
	}
	if cfg.ExistingDashboards {
		return printDashboards(ctx, pool, c, cfg, out, logger)
	}
	if cfg.ExistingCampaigns {
		return existingCampaigns(ctx, cfg.Existing, c, out)
	}
	if cfg.ExplainLists {
		return explainLists(ctx, cfg.Existing, c, cfg.ListMatch, out)
	}
	if cfg.ListMatch == "" {
		if err := codingSection(ctx, pool, c, cfg.Requests, out); err != nil {
			return err
		}
	}
	if err := printReading(ctx, pool, c, cfg.Requests, cfg.ListMatch, !cfg.ListsOnly, out, logger); err != nil {
		return err
	}
	if cfg.ExistingLists {
		return nil
	}
	return printDashboards(ctx, pool, c, cfg, out, logger)
}

// printReading measures and prints the analysts' answer lists.
func printReading(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int, match string, pages bool, out io.Writer, logger *slog.Logger) error {
	reading, err := readingLatencies(ctx, pool, c, n, match, pages, logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n  analysts' answer lists (Q1b), signed in, %d requests each (targets: p95 < 50 ms; search + 3 filters < 100 ms):\n", n)
	for _, l := range reading {
		fmt.Fprintf(out, "  %-52s p50 %6.1f ms   p95 %6.1f ms\n", l.name, ms(l.p50), ms(l.p95))
	}
	return nil
}
