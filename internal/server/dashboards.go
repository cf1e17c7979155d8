package server

import "github.com/go-chi/chi/v5"

// dashboardRoutes are the theme dashboards, the report and their
// exports (README: Dashboards, breakdowns and the report).
func (s *Server) dashboardRoutes(r chi.Router) {
	s.handle(r, "GET", "/consultations/{slug}/themes/{theme}", PublishedOrViewer, s.theme)
}
