package server

import (
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"heard/web"
)

// Routes returns every route of the service, on one screen.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders)

	static, _ := fs.Sub(web.Static, "static")
	assets, _ := fs.Sub(web.Static, "static/assets")
	r.Handle("/static/*", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	r.Handle("/assets/*", http.StripPrefix("/assets/", cacheStatic(http.FileServerFS(assets))))
	r.Get("/healthz", s.health)

	r.Get("/", s.home)
	r.Route("/consultations/{slug}", func(r chi.Router) {
		r.Get("/", s.overview)
		r.Get("/questions/{code}", s.question)
		r.Get("/results.csv", s.resultsCSV)
	})

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "If you typed the web address, check it is correct.")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusMethodNotAllowed, "Method not allowed", "This page cannot be used that way.")
	})
	return r
}
