// Package server is Heard's HTTP layer: one route table, thin handlers
// that parse a request, call a service and render a templ component.
package server

import (
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/results"
)

// Server holds what the handlers need.
type Server struct {
	Logger        *slog.Logger
	Pool          *pgxpool.Pool
	Consultations *consultation.Service
	Results       *results.Service
}

// New wires a Server over pool.
func New(logger *slog.Logger, pool *pgxpool.Pool) *Server {
	return &Server{
		Logger:        logger,
		Pool:          pool,
		Consultations: &consultation.Service{Pool: pool},
		Results:       &results.Service{Pool: pool},
	}
}
