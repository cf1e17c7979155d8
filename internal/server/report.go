package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/report"
	"heard/web"
)

// buildReport reads the consultation and builds its report as the
// person asking may see it.
func (s *Server) buildReport(r *http.Request) (*consultation.Consultation, *report.Report, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, err
	}
	p, err := s.policy(r, c)
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.reports().Build(r.Context(), c, p)
	if err != nil {
		return nil, nil, err
	}
	return c, rep, nil
}

func (s *Server) reports() *report.Service {
	return s.Reports
}

// site is this server's address for links in downloaded files.
func (s *Server) site(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && s.Options.InsecureCookies {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	c, rep, err := s.buildReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug + "/report"
	v := web.SummaryReportView{
		Page:   s.page(r, "Report: "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}),
		Report: rep, Base: base, CanEdit: analystOrAbove(r), PDF: s.printer().Available(),
	}
	switch r.URL.Query().Get("saved") {
	case "narrative":
		v.Saved = "Your narrative has been saved."
	case "frozen":
		v.Saved = "The report has been frozen."
	}
	if v.CanEdit {
		snaps, err := s.reports().Snapshots(r.Context(), c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, sn := range snaps {
			v.Snapshots = append(v.Snapshots, web.SnapshotItem{Href: base + "/frozen/" + strconv.FormatInt(sn.ID, 10), By: sn.By, Codeframe: sn.Codeframe, At: sn.At})
		}
	}
	s.render(w, r, http.StatusOK, web.SummaryReport(v))
}

func (s *Server) reportMarkdown(w http.ResponseWriter, r *http.Request) {
	c, rep, err := s.buildReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteMarkdown(&buf, s.site(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "text/markdown; charset=utf-8", c.Slug+"-report.md", buf.Bytes())
}

func (s *Server) reportDOCX(w http.ResponseWriter, r *http.Request) {
	c, rep, err := s.buildReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteDOCX(&buf, s.site(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", c.Slug+"-report.docx", buf.Bytes())
}

func (s *Server) reportPDF(w http.ResponseWriter, r *http.Request) {
	c, rep, err := s.buildReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	html, err := reportHTML(r, rep)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pdf, err := s.printer().PDF(r.Context(), html)
	if errors.Is(err, report.ErrNoChromium) {
		s.renderError(w, r, http.StatusServiceUnavailable, "PDF is not available", "This server has no Chromium to print the report. Download it as Word or Markdown, or print the report page from your browser.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "application/pdf", c.Slug+"-report.pdf", pdf)
}

// reportHTML is the report as a standalone document, with links made
// absolute so they work from a file.
func reportHTML(r *http.Request, rep *report.Report) (string, error) {
	var buf bytes.Buffer
	if err := web.ReportDocument(rep).Render(r.Context(), &buf); err != nil {
		return "", fmt.Errorf("render report document: %w", err)
	}
	return buf.String(), nil
}

func (s *Server) saveNarrative(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.reports().SetNarrative(r.Context(), c, r.PostFormValue("section"), r.PostFormValue("body"))
	switch {
	case errors.Is(err, report.ErrNoSection):
		s.renderError(w, r, http.StatusBadRequest, "Section not recognised", "The report has no such section. Go back to the report and try again.")
		return
	case errors.Is(err, report.ErrNarrativeTooLong):
		s.renderError(w, r, http.StatusBadRequest, "Narrative too long", fmt.Sprintf("A section's narrative can be at most %d characters.", report.MaxNarrative))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/consultations/"+c.Slug+"/report?saved=narrative", http.StatusSeeOther)
}

// freezeReport stores the report as an analyst sees it now (exact
// figures), so frozen copies are for analysts.
func (s *Server) freezeReport(w http.ResponseWriter, r *http.Request) {
	c, rep, err := s.buildReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cf, err := s.reports().CodeframeVersion(r.Context(), c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	by := userFrom(r.Context()).Email
	rep.Frozen = fmt.Sprintf("Frozen on %s by %s (codeframe: %s).", rep.Built.Format("2 January 2006 at 15:04"), by, cf)
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md, s.site(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	html, err := reportHTML(r, rep)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.reports().Freeze(r.Context(), c, by, cf, md.String(), html); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/consultations/"+c.Slug+"/report?saved=frozen", http.StatusSeeOther)
}

// frozenReport shows a frozen copy as it was stored; ".md" gets its
// Markdown.
func (s *Server) frozenReport(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "snapshot"), 10, 64)
	if err != nil {
		s.fail(w, r, report.ErrNoSnapshot)
		return
	}
	sn, err := s.reports().Snapshot(r.Context(), c, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(sn.HTML)) //nolint:errcheck // the client has gone
}

func download(w http.ResponseWriter, contentType, name string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.Write(body) //nolint:errcheck // the client has gone
}
