// Package server is Heard's HTTP layer: one route table, thin handlers
// that parse a request, call a service and render a templ component.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/autocode"
	"heard/internal/batchimport"
	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/events"
	"heard/internal/jobs"
	"heard/internal/mailbox"
	"heard/internal/personal"
	"heard/internal/report"
	"heard/internal/results"
	"heard/internal/webform"
)

// Options are the deployment settings the HTTP layer needs.
type Options struct {
	// InsecureCookies allows the session cookie over plain http, for
	// `make run` on localhost. Never set it in production.
	InsecureCookies bool
	// TrustedProxies is how many reverse proxies in front of Heard append
	// to X-Forwarded-For; 0 means the client is the TCP peer.
	TrustedProxies int
	// SessionCleanup is how often expired sessions are deleted; 0 never.
	SessionCleanup time.Duration
	// SecretKey encrypts mailbox passwords (HEARD_SECRET_KEY); without it
	// no mailbox can be connected (#17).
	SecretKey mailbox.Key
}

// A session ends sessionIdle after its last request. Its "seen" time, the
// idle clock, is written at most once every sessionTouch, so a busy user
// costs one session write a minute rather than one per page.
const (
	sessionIdle  = 60 * time.Minute
	sessionTouch = time.Minute
)

// Server holds what the handlers need.
type Server struct {
	Logger        *slog.Logger
	Pool          *pgxpool.Pool
	Options       Options
	Consultations *consultation.Service
	Results       *results.Service
	Accounts      *accounts.Service
	Audit         *audit.Service
	Coding        *coding.Service
	Autocode      *autocode.Service
	Imports       *batchimport.Service
	Events        *events.Service
	Webform       *webform.Service
	Personal      *personal.Service
	Campaigns     *campaign.Service
	Mailboxes     *mailbox.Service
	Reports       *report.Service
	Sessions      *scs.SessionManager
	// Printer prints reports to PDF with Chromium, started on first use.
	Printer *report.Printer
	// Jobs enqueues background work; nil runs it in the request instead.
	Jobs  *jobs.Client
	store *pgxstore.PostgresStore
	// healthPool answers /healthz on a connection of its own.
	healthPool *pgxpool.Pool

	// access records the role each route needs; Routes fills it and the
	// route-tree test reads it.
	access map[string]Access
}

// New wires a Server over pool.
func New(logger *slog.Logger, pool *pgxpool.Pool, opts Options) *Server {
	s := &Server{
		Logger:        logger,
		Pool:          pool,
		Options:       opts,
		Consultations: &consultation.Service{Pool: pool},
		Results:       &results.Service{Pool: pool},
		Accounts:      accounts.NewService(pool),
		Audit:         &audit.Service{Pool: pool},
		Coding:        &coding.Service{Pool: pool},
		Autocode:      autocode.NewService(pool),
		Events:        &events.Service{Pool: pool},
		Webform:       webform.NewService(pool, logger),
		Personal:      &personal.Service{Pool: pool},
		store:         pgxstore.NewWithCleanupInterval(pool, opts.SessionCleanup),
		healthPool:    newHealthPool(pool),
		Printer:       &report.Printer{},
	}
	// Pages count in SQL while a consultation's copy in memory is being
	// read (results/memwarm.go), rather than wait for it.
	s.Results.SQLUntilWarm, s.Results.Logger = true, logger
	// Large confirmed uploads go to the job queue when there is one
	// (s.Jobs is set after New, so enqueueImport reads it when called).
	s.Imports = &batchimport.Service{Pool: pool, Enqueue: s.enqueueImport}
	s.Campaigns = &campaign.Service{Pool: pool}
	s.Mailboxes = &mailbox.Service{Pool: pool, Key: opts.SecretKey}
	s.Reports = &report.Service{Pool: pool, Results: s.Results}
	sm := scs.New()
	sm.Store = s.store
	// No scs IdleTimeout: it rewrites the session's row on every request.
	// The idle limit is kept by loadUser instead (sessionIdle).
	sm.Lifetime = 12 * time.Hour
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Secure = !opts.InsecureCookies
	sm.Cookie.Persist = false // a session ends with the browser, as well as on timeout
	// __Host- binds the cookie to this host and path "/", but browsers
	// only accept it with Secure.
	sm.Cookie.Name = "__Host-heard_session"
	if opts.InsecureCookies {
		sm.Cookie.Name = "heard_session"
	}
	sm.ErrorFunc = s.sessionError
	s.Sessions = sm
	return s
}

// Close stops the session cleanup goroutine and closes the health
// check's connection.
func (s *Server) Close() {
	s.store.StopCleanup()
	s.Printer.Close()
	if s.healthPool != s.Pool {
		s.healthPool.Close()
	}
}

// sessionError answers a failure to load or save the session. When the
// request is already over (the client went away, or its body stopped
// arriving and it is being sent 408), saving fails only because the
// request's context is cancelled: that is not a fault of ours, and the
// response already chosen stands.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		s.Logger.Info("session not saved: request cancelled", "path", r.URL.Path)
		return
	}
	s.serverError(w, r, err)
}
