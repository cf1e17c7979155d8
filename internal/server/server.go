// Package server is Heard's HTTP layer: one route table, thin handlers
// that parse a request, call a service and render a templ component.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/jobs"
	"heard/internal/results"
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
}

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
	Sessions      *scs.SessionManager
	// Jobs enqueues background work; nil runs it in the request instead.
	Jobs  *jobs.Client
	store *pgxstore.PostgresStore

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
		store:         pgxstore.NewWithCleanupInterval(pool, opts.SessionCleanup),
	}
	sm := scs.New()
	sm.Store = s.store
	sm.IdleTimeout = 60 * time.Minute
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
	sm.ErrorFunc = s.serverError
	s.Sessions = sm
	return s
}

// Close stops the session cleanup goroutine.
func (s *Server) Close() { s.store.StopCleanup() }
