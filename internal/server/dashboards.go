package server

import (
	"github.com/go-chi/chi/v5"

	"heard/internal/report"
)

func (s *Server) printer() *report.Printer { return s.Printer }

// dashboardRoutes are the theme dashboards, the report and their
// exports (README: Dashboards, breakdowns and the report).
func (s *Server) dashboardRoutes(r chi.Router) {
	s.handle(r, "GET", "/consultations/{slug}/themes/{theme}", PublishedOrViewer, s.theme)
	s.handle(r, "GET", "/consultations/{slug}/results.xlsx", PublishedOrViewer, s.resultsXLSX)
	s.handle(r, "GET", "/consultations/{slug}/questions/{code}/compare", PublishedOrViewer, s.compare)
	s.handle(r, "GET", "/consultations/{slug}/questions/{code}/breakdowns/{breakdown}.csv", PublishedOrViewer, s.breakdownCSV)
	s.handle(r, "GET", "/consultations/{slug}/questions/{code}/breakdowns/{breakdown}.xlsx", PublishedOrViewer, s.breakdownXLSX)
	s.handle(r, "GET", "/consultations/{slug}/report", PublishedOrViewer, s.reportPage)
	s.handle(r, "GET", "/consultations/{slug}/report.md", PublishedOrViewer, s.reportMarkdown)
	s.handle(r, "GET", "/consultations/{slug}/report.docx", PublishedOrViewer, s.reportDOCX)
	s.handle(r, "GET", "/consultations/{slug}/report.pdf", PublishedOrViewer, s.reportPDF)
	s.handle(r, "POST", "/consultations/{slug}/report/narrative", AnalystOnly, s.saveNarrative)
	s.handle(r, "POST", "/consultations/{slug}/report/freeze", AnalystOnly, s.freezeReport)
	s.handle(r, "GET", "/consultations/{slug}/report/frozen/{snapshot}", AnalystOnly, s.frozenReport)
}
