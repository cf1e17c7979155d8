// Command heard-bench prints Heard's load-rate and page-latency figures
// (make bench). It creates and drops its own database on the server that
// DATABASE_URL points at.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"

	"heard/internal/bench"
)

func main() {
	n := flag.Int("n", 1_000_000, "responses per consultation")
	requests := flag.Int("requests", 200, "requests per page for latency")
	keep := flag.Bool("keep", false, "keep the bench database")
	submissions := flag.Int("submissions", 20_000, "webform submissions to time (0: skip)")
	heard := flag.String("heard", "", "path of the heard binary, to measure `heard import` (empty: skip)")
	mboxN := flag.Int("mbox", 100_000, "messages in the mbox import")
	csvN := flag.Int("csv", 1_000_000, "rows in the CSV import")
	msgN := flag.Int("msg", 5_000, "Outlook .msg files in the .msg import (0: skip)")
	imapN := flag.Int("imap", 10_000, "messages fetched from a local Dovecot (0: skip)")
	ocrPages := flag.Int("ocr", 5, "pages read by Tesseract (0: skip)")
	autocodeN := flag.Int("autocode", 10_000, "coded answers auto-coding trains on (0: skip)")
	autocodeQuality := flag.Bool("autocode-quality", true, "time the cross-validation and learning curve after auto-coding's training (false: training and scoring only; they use no database)")
	onlyDashboards := flag.Bool("only-dashboards", false, "load the responses, then measure the dashboards only")
	sqlLoad := flag.Bool("sql-load", false, "with -only-dashboards: store the responses with server-side SQL (fast; no load-rate figures)")
	existing := flag.String("existing", "", "measure the coding actions, answer lists and dashboards on this kept bench database (URL) instead of loading one")
	existingLists := flag.Bool("lists", false, "with -existing: the coding actions and answer lists only")
	existingDashboards := flag.Bool("existing-dashboards", false, "with -existing: the dashboards only")
	existingCampaigns := flag.Bool("existing-campaigns", false, "with -existing: one new campaign response at a time (200) and 1,000 ordinary responses loaded, on a database kept from a -campaigns run")
	existingAutocode := flag.Bool("existing-autocode", false, "with -existing: auto-coding only (train on -autocode coded answers, score every Q1b answer)")
	listMatch := flag.String("list", "", "with -existing: only the answer lists whose name contains this (and no coding section)")
	listsOnly := flag.Bool("lists-only", false, "with -existing: time the answer lists alone, not their pages")
	explainLists := flag.Bool("explain-lists", false, "with -existing: print EXPLAIN (ANALYZE, BUFFERS) of every answer list's queries, time nothing")
	onlyAutocode := flag.Bool("only-autocode", false, "load the responses, then measure auto-coding only")
	campaignN := flag.Int("campaigns", -1, "responses in the campaign detection pass (-1: same as -n; 0: skip)")
	campaignDBN := flag.Int("campaigns-db", 20_000, "responses stored before timing incremental campaign detection")
	personalN := flag.Int("personal", 20_000, "letter-length texts imported with and without personal-data detection (0: skip)")
	onlyPersonal := flag.Bool("only-personal", false, "load the responses, then measure subject access and detection only")
	onlyLoad := flag.Bool("only-load", false, "stop after the two loads (raw COPY and ingest.Writer)")
	setupSQL := flag.String("sql", "", "SQL run after migrating, before loading (e.g. drop an index to measure its cost)")
	cpuProfile := flag.String("cpuprofile", "", "write a Go CPU profile of the whole run to this file")
	flag.Parse()
	if *campaignN < 0 {
		*campaignN = *n
	}
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		fmt.Fprintln(os.Stderr, "heard-bench: DATABASE_URL is not set (make bench sets it)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "heard-bench: %v\n", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "heard-bench: %v\n", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := bench.Config{
		DatabaseURL:        url,
		N:                  *n,
		Requests:           *requests,
		Keep:               *keep,
		Submissions:        *submissions,
		Heard:              *heard,
		MboxN:              *mboxN,
		CSVN:               *csvN,
		MsgN:               *msgN,
		IMAPN:              *imapN,
		OCRPages:           *ocrPages,
		AutocodeN:          *autocodeN,
		NoAutocodeQuality:  !*autocodeQuality,
		OnlyAutocode:       *onlyAutocode,
		OnlyDashboards:     *onlyDashboards,
		SQLLoad:            *sqlLoad,
		Existing:           *existing,
		ExistingLists:      *existingLists,
		ExistingAutocode:   *existingAutocode,
		ExistingDashboards: *existingDashboards,
		ExistingCampaigns:  *existingCampaigns,
		ExplainLists:       *explainLists,
		ListMatch:          *listMatch,
		ListsOnly:          *listsOnly,
		CampaignN:          *campaignN,
		CampaignDBN:        *campaignDBN,
		PersonalN:          *personalN,
		OnlyPersonal:       *onlyPersonal,
		OnlyLoad:           *onlyLoad,
		SetupSQL:           *setupSQL,
	}
	if err := bench.Run(ctx, cfg, os.Stdout, logger); err != nil {
		fmt.Fprintf(os.Stderr, "heard-bench: %v\n", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}
