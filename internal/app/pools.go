package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/db"
)

// Pool defaults. pgxpool's own default is max(4, CPUs): on a small
// machine four slow result pages would queue every other request. The
// jobs pool holds River's listener and bookkeeping and the jobs of five
// queues that run at once (imports, auto-coding, campaigns, OCR,
// mailboxes), each of which may hold a transaction and ask for one more
// connection: with 4, two jobs each holding one and waiting for another
// beside the listener and an import's lock could wait on each other for
// ever, which no database deadlock check sees. 12 is the listener, two
// for each queue and one spare.
const (
	defaultMaxConns         = 10
	defaultJobsMaxConns     = 12
	defaultStatementTimeout = 30 * time.Second
)

// poolSettings are the database settings read from the environment.
type poolSettings struct {
	maxConns         int32         // HEARD_DB_MAX_CONNS: the main pool
	jobsMaxConns     int32         // HEARD_JOBS_MAX_CONNS: background jobs' own pool
	statementTimeout time.Duration // HEARD_STATEMENT_TIMEOUT: web requests only; 0 is none
}

func (e *env) poolSettings() (poolSettings, error) {
	s := poolSettings{maxConns: defaultMaxConns, jobsMaxConns: defaultJobsMaxConns, statementTimeout: defaultStatementTimeout}
	for _, v := range []struct {
		name string
		dst  *int32
		min  int32
	}{{"HEARD_DB_MAX_CONNS", &s.maxConns, 2}, {"HEARD_JOBS_MAX_CONNS", &s.jobsMaxConns, 2}} {
		raw := strings.TrimSpace(e.getenv(v.name))
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 32)
		if err != nil || int32(n) < v.min {
			return s, fmt.Errorf("%s must be a whole number of at least %d, got %q", v.name, v.min, raw)
		}
		*v.dst = int32(n)
	}
	if raw := strings.TrimSpace(e.getenv("HEARD_STATEMENT_TIMEOUT")); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 0 {
			return s, fmt.Errorf("HEARD_STATEMENT_TIMEOUT must be a duration such as 30s or 2m (0 for none), got %q", raw)
		}
		s.statementTimeout = d
	}
	return s, nil
}

// pools are the connection pools of `heard serve`. Web requests and
// background jobs (large imports) each have their own, so neither can
// take every connection from the other; the web's statements are cut
// off at the statement timeout, the jobs' are not.
type pools struct {
	web, jobs *pgxpool.Pool
}

func (p *pools) Close() {
	p.web.Close()
	p.jobs.Close()
}

// openServe migrates the database, then opens the web and jobs pools.
func (e *env) openServe(ctx context.Context) (*pools, error) {
	url, err := e.databaseURL()
	if err != nil {
		return nil, err
	}
	set, err := e.poolSettings()
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(url); err != nil {
		return nil, err
	}
	webCfg, err := poolConfig(url, set.maxConns)
	if err != nil {
		return nil, err
	}
	if set.statementTimeout > 0 {
		webCfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(set.statementTimeout.Milliseconds(), 10)
	}
	jobsCfg, err := poolConfig(url, set.jobsMaxConns)
	if err != nil {
		return nil, err
	}
	jobsCfg.ConnConfig.RuntimeParams["application_name"] = "heard jobs"
	web, err := pgxpool.NewWithConfig(ctx, webCfg)
	if err != nil {
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	jobs, err := pgxpool.NewWithConfig(ctx, jobsCfg)
	if err != nil {
		web.Close()
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	return &pools{web: web, jobs: jobs}, nil
}

// poolConfig parses url for a pool of at most maxConns connections.
func poolConfig(url string, maxConns int32) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	cfg.MaxConns = maxConns
	if cfg.MinConns > maxConns {
		cfg.MinConns = maxConns
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "heard"
	}
	return cfg, nil
}
