package server

import (
	"context"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// healthTimeout bounds the database check: a load balancer asks often
// and wants an answer, not a hung request.
const healthTimeout = 2 * time.Second

// newHealthPool opens a one-connection pool beside the main one, so that
// /healthz never queues behind page queries that hold every connection
// of the main pool. It connects lazily.
func newHealthPool(pool *pgxpool.Pool) *pgxpool.Pool {
	cfg := pool.Config()
	cfg.MaxConns, cfg.MinConns = 1, 0
	cfg.ConnConfig.RuntimeParams["application_name"] = "heard health"
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		// Only a bad config fails here, and it came from a working pool.
		return pool
	}
	return p
}

// health tells a load balancer whether this process can serve: 200 when
// the database answers within healthTimeout, 503 when it does not. The
// body says which, for a person reading it.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.healthPool.Ping(ctx); err != nil {
		s.Logger.Warn("health: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("unavailable\ndatabase: unreachable\n")) //nolint:errcheck
		return
	}
	w.Write([]byte("ok\ndatabase: reachable\n")) //nolint:errcheck
}
