package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/web"
)

// Scanned letters (#17): the page images of a letter's scan, the file as
// received, and the analyst's corrected text. Registered in letterRoutes.

// scanStatusLabels name a scan's status for people.
var scanStatusLabels = map[string]string{
	"queued": "Waiting to be read", "reading": "Being read", "needs_checking": "Needs checking",
	"read": "Read", "needs_typing": "Needs typing up", "checked": "Checked",
}

// scanPanel is the scan part of a letter page, or nil for a letter that
// was not scanned.
func (s *Server) scanPanel(ctx context.Context, c *consultation.Consultation, id int64, base string) (*web.ScanPanel, error) {
	sc, err := (&batchimport.Service{Pool: s.Pool}).Scan(ctx, c, id)
	if errors.Is(err, batchimport.ErrScanNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	src, err := db.New(s.Pool).GetResponseSource(ctx, db.GetResponseSourceParams{ID: id, ConsultationID: c.ID})
	if err != nil {
		return nil, fmt.Errorf("scan %d: %w", id, err)
	}
	v := &web.ScanPanel{
		File: sc.FileName, Status: sc.Status, StatusLabel: scanStatusLabels[sc.Status], Pages: int(sc.Pages), PagesDone: int(sc.PagesDone),
		Error: sc.Error, Text: src.FullText, TextAction: base + "/text", FileHref: base + "/scan",
		Editable: sc.Status != "queued" && sc.Status != "reading",
	}
	if sc.MeanConfidence != nil {
		v.Confidence = fmt.Sprintf("%.0f%%", *sc.MeanConfidence)
	}
	for _, p := range sc.PageStats {
		v.PageImages = append(v.PageImages, web.ScanPageRow{
			Href: fmt.Sprintf("%s/pages/%d", base, p.Page), Alt: fmt.Sprintf("Page %d of %d", p.Page, sc.Pages),
			Confidence: fmt.Sprintf("%.0f%%", p.Confidence),
		})
	}
	return v, nil
}

// scanPageImage serves one page image of a scan.
func (s *Server) scanPageImage(w http.ResponseWriter, r *http.Request) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := strconv.Atoi(chi.URLParam(r, "page"))
	if err != nil {
		s.fail(w, r, batchimport.ErrScanNotFound)
		return
	}
	img, typ, err := (&batchimport.Service{Pool: s.Pool}).ScanPage(r.Context(), c, id, page)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(img) //nolint:errcheck // the client went away
}

// scanFile serves the scan as it was received.
func (s *Server) scanFile(w http.ResponseWriter, r *http.Request) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := db.New(s.Pool).ScanFile(r.Context(), db.ScanFileParams{ResponseID: id, ConsultationID: c.ID})
	if err != nil {
		s.fail(w, r, batchimport.ErrScanNotFound)
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", strings.ReplaceAll(f.FileName, `"`, "")))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(f.Data) //nolint:errcheck
}

// correctScanText saves an analyst's corrected or typed-up text.
func (s *Server) correctScanText(w http.ResponseWriter, r *http.Request) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = (&batchimport.Service{Pool: s.Pool}).CorrectScanText(r.Context(), c, s.actor(r), id, r.PostFormValue("text"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/consultations/%s/letters/%d?done=%s", c.Slug, id, url.QueryEscape("Text saved: its parts, answers and counts follow")), http.StatusSeeOther)
}

// mailPanel is the imports page's list of scans to read or check.
func (s *Server) mailPanel(ctx context.Context, c *consultation.Consultation) (web.MailPanel, error) {
	var v web.MailPanel
	rows, err := (&batchimport.Service{Pool: s.Pool}).Scans(ctx, c)
	if err != nil {
		return v, err
	}
	if v.Mailbox, err = s.mailboxRow(ctx, c); err != nil {
		return v, err
	}
	v.MailboxHref = "/admin/consultations/" + c.Slug + "/mailbox"
	for _, sc := range rows {
		row := web.ScanRow{
			Href: fmt.Sprintf("/consultations/%s/letters/%d", c.Slug, sc.ResponseID), File: sc.FileName, Ref: sc.SourceRef,
			Status: sc.Status, StatusLabel: scanStatusLabels[sc.Status], Progress: fmt.Sprintf("%d of %d", sc.PagesDone, sc.Pages),
		}
		if sc.MeanConfidence != nil {
			row.Confidence = fmt.Sprintf("%.0f%%", *sc.MeanConfidence)
		}
		v.Scans = append(v.Scans, row)
	}
	return v, nil
}
