package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// scanPanel is the scan part of a letter page, or nil for a letter
// without scans.
func (s *Server) scanPanel(ctx context.Context, c *consultation.Consultation, id int64, base string) (*web.ScanPanel, error) {
	scans, err := s.Imports.ResponseScans(ctx, c, id)
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
	v := &web.ScanPanel{Text: src.FullText, TextAction: base + "/text", Editable: true}
	for _, sc := range scans {
		if sc.Status == "queued" || sc.Status == "reading" {
			v.Editable = false
		}
		href := fmt.Sprintf("%s/scans/%d", base, sc.ID)
		item := web.ScanItem{
			File: sc.FileName, Status: sc.Status, StatusLabel: scanStatusLabels[sc.Status], Pages: int(sc.Pages),
			PagesDone: int(sc.PagesDone), Error: sc.Error, FileHref: href,
		}
		if sc.MeanConfidence != nil {
			item.Confidence = fmt.Sprintf("%.0f%%", *sc.MeanConfidence)
		}
		for _, p := range sc.PageStats {
			item.PageImages = append(item.PageImages, web.ScanPageRow{
				Href: fmt.Sprintf("%s/pages/%d", href, p.Page), Alt: fmt.Sprintf("Page %d of %d of %s", p.Page, sc.Pages, sc.FileName),
				Confidence: fmt.Sprintf("%.0f%%", p.Confidence),
			})
		}
		v.Scans = append(v.Scans, item)
	}
	return v, nil
}

// loadScan reads the letter and scan ids of a scan URL.
func (s *Server) loadScan(r *http.Request) (*consultation.Consultation, int64, int64, error) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		return nil, 0, 0, err
	}
	scan, err := strconv.ParseInt(chi.URLParam(r, "scan"), 10, 64)
	if err != nil {
		return nil, 0, 0, batchimport.ErrScanNotFound
	}
	return c, id, scan, nil
}

// scanPageImage serves one page image of a scan.
func (s *Server) scanPageImage(w http.ResponseWriter, r *http.Request) {
	c, id, scan, err := s.loadScan(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := strconv.Atoi(chi.URLParam(r, "page"))
	if err != nil {
		s.fail(w, r, batchimport.ErrScanNotFound)
		return
	}
	img, typ, err := s.Imports.ScanPage(r.Context(), c, id, scan, page)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(img) //nolint:errcheck // the client went away
}

// scanFile serves a scan as it was received.
func (s *Server) scanFile(w http.ResponseWriter, r *http.Request) {
	c, id, scan, err := s.loadScan(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := db.New(s.Pool).ScanFile(r.Context(), db.ScanFileParams{ID: scan, ResponseID: id, ConsultationID: c.ID})
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
	err = s.Imports.CorrectScanText(r.Context(), c, s.actor(r), id, r.PostFormValue("text"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Text saved: its parts, answers and counts follow")
	http.Redirect(w, r, fmt.Sprintf("/consultations/%s/letters/%d", c.Slug, id), http.StatusSeeOther)
}

// mailPanel is the imports page's list of scans to read or check.
func (s *Server) mailPanel(ctx context.Context, c *consultation.Consultation) (web.MailPanel, error) {
	var v web.MailPanel
	rows, err := s.Imports.Scans(ctx, c)
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
