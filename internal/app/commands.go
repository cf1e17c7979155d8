package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/demo"
	"heard/internal/jobs"
	"heard/internal/mailbox"
	"heard/internal/personal"
	"heard/internal/server"
)

func (e *env) serve(ctx context.Context, args []string) error {
	fs := newFlags("serve", e)
	addr := fs.String("addr", ":8080", "`host:port` to listen on")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fs.Args())
	}
	p, err := e.openServe(ctx)
	if err != nil {
		return err
	}
	defer p.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	opts, err := e.serverOptions()
	if err != nil {
		return err
	}
	web := server.New(e.logger, p.web, opts)
	defer web.Close()
	// An import cut short when this or another server died is marked
	// interrupted, for an admin to retry, before new work starts.
	if _, err := (&batchimport.Service{Pool: p.web}).Recover(ctx, e.logger); err != nil {
		return err
	}
	// Background jobs (large imports) run in this process, beside the
	// pages, on their own pool. Any number of `heard serve` processes may
	// share one database: River hands each job to exactly one of them.
	background, err := jobs.NewClientWith(p.jobs, e.logger, true, jobs.Options{SecretKey: opts.SecretKey})
	if err != nil {
		return err
	}
	// Its own context: a signal should let a running import finish (Stop below), not kill it.
	if err := background.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start background jobs: %w", err)
	}
	grace := 30 * time.Second
	if v := e.getenv("HEARD_IMPORT_GRACE"); v != "" {
		if grace, err = time.ParseDuration(v); err != nil || grace < 0 {
			return fmt.Errorf("HEARD_IMPORT_GRACE=%q: want a duration such as 30s", v)
		}
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		if err := background.Stop(stopCtx); err != nil {
			// Past the grace period: cancel the import, which marks its
			// upload interrupted (its transaction rolls back) for a retry.
			e.logger.Error("stop background jobs", "err", err)
			cancelCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := background.StopAndCancel(cancelCtx); err != nil {
				e.logger.Error("cancel background jobs", "err", err)
			}
		}
	}()
	web.Jobs = background
	// Read the counts no summary keeps into memory now, in the
	// background, rather than on the first filtered page (seconds at a
	// million responses); pages meanwhile count in SQL.
	go func() {
		start := time.Now()
		if err := web.Results.Warm(ctx, e.logger); err != nil {
			e.logger.Error("reading counts into memory", "err", err)
			return
		}
		e.logger.Info("counts read into memory", "took", time.Since(start).Round(time.Millisecond))
	}()
	srv := &http.Server{
		Handler:           web.Routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	fmt.Fprintf(e.stdout, "Heard is serving on %s\n", displayURL(ln.Addr(), *addr))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// displayURL is the address a person can open: localhost for a server
// listening on every interface.
func displayURL(a net.Addr, asked string) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + asked
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() || strings.HasPrefix(asked, ":") {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (e *env) migrate(args []string) error {
	fs := newFlags("migrate", e)
	down := fs.Int("down", 0, "revert the last `N` migrations instead of applying them")
	if err := parse(fs, args); err != nil {
		return err
	}
	url, err := e.databaseURL()
	if err != nil {
		return err
	}
	if *down > 0 {
		if err := db.MigrateDown(url, *down); err != nil {
			return err
		}
	} else if err := db.Migrate(url); err != nil {
		return err
	}
	v, err := db.MigrationVersion(url)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database at migration version %d\n", v)
	return nil
}

func (e *env) load(ctx context.Context, args []string) error {
	fs := newFlags("load", e)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: load takes one definition file, e.g. heard load consultation.json", errUsage)
	}
	name := fs.Arg(0)
	b, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	def, err := consultation.ParseDefinition(b)
	if err != nil {
		return fmt.Errorf("load %s: %w", name, err)
	}
	pool, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	c, err := (&consultation.Service{Pool: pool}).Load(ctx, def)
	var de *consultation.DefinitionError
	if errors.As(err, &de) {
		return fmt.Errorf("load %s: %w", name, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded consultation %s (%q): %d themes, %d questions, %d respondent groups\n",
		c.Slug, c.Title, len(c.Themes), len(c.Questions), len(c.Groups))
	return nil
}

func (e *env) serverOptions() (server.Options, error) {
	opts := server.Options{SessionCleanup: 30 * time.Minute, InsecureCookies: e.getenv("HEARD_INSECURE_COOKIES") == "1"}
	if v := e.getenv("HEARD_TRUSTED_PROXIES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return opts, fmt.Errorf("HEARD_TRUSTED_PROXIES must be a whole number, got %q", v)
		}
		opts.TrustedProxies = n
	}
	if v := e.getenv(mailbox.KeyEnv); v != "" {
		key, err := mailbox.ParseKey(v)
		if err != nil {
			return opts, err
		}
		opts.SecretKey = key
	}
	if opts.InsecureCookies {
		e.logger.Warn("HEARD_INSECURE_COOKIES=1: session cookies are sent over plain http; use this only on localhost")
	}
	return opts, nil
}

func (e *env) demo(ctx context.Context, args []string) error {
	fs := newFlags("demo", e)
	admin := fs.Bool("admin", false, "also create (or reset) the demo admin "+demoAdmin+" and print its password")
	keep := fs.String("password-file", "", "with -admin: keep the demo admin's password in this file and reuse it while it still works")
	fresh := fs.Bool("new-password", false, "with -password-file: give the demo admin a new password anyway")
	if err := parse(fs, args); err != nil {
		return err
	}
	pool, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	c, res, err := demo.Load(ctx, pool)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo consultation %s: %d responses added, %d already present\n", c.Slug, res.Inserted, len(res.Duplicates))
	// Responses stored before personal-data detection existed are read now.
	if n, err := personal.Backfill(ctx, pool); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(e.stdout, "personal data: read %d responses stored before detection\n", n)
	}
	cod, err := demo.Code(ctx, pool, c)
	if err != nil {
		return err
	}
	if cod.Codes > 0 {
		fmt.Fprintf(e.stdout, "demo coding: %d codes, %d answers coded, %d quotes flagged, double-coding sample %d\n", cod.Codes, cod.Coded, cod.Quotes, cod.SampleID)
	}
	fmt.Fprintf(e.stdout, "demo consultation %s: open, to try the form at /consultations/%s/respond\n", demo.OpenSlug, demo.OpenSlug)
	if *admin {
		return e.demoAdmin(ctx, pool, *keep, *fresh)
	}
	return nil
}
