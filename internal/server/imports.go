package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/export"
	"heard/internal/jobs"
	"heard/web"
)

// importRoutes are the admin pages for email and letter batches, the
// template and the export.
func (s *Server) importRoutes(r chi.Router) {
	const base = "/admin/consultations/{slug}/imports"
	s.handle(r, "GET", base, AdminOnly, s.imports)
	s.handleLimit(r, "POST", base, AdminOnly, batchimport.MaxUploadBytes+(1<<20), s.upload)
	s.handle(r, "GET", base+"/uploads/{id}", AdminOnly, s.uploadPage)
	s.handle(r, "POST", base+"/uploads/{id}/confirm", AdminOnly, s.confirmUpload)
	s.handle(r, "POST", base+"/uploads/{id}/discard", AdminOnly, s.discardUpload)
	s.handle(r, "POST", base+"/uploads/{id}/retry", AdminOnly, s.retryUpload)
	s.handle(r, "GET", base+"/{id}", AdminOnly, s.batchPage)
	s.handle(r, "GET", "/admin/consultations/{slug}/template.{format}", AdminOnly, s.templateFile)
	s.handle(r, "GET", "/consultations/{slug}/export/responses.{format}", AnalystOnly, s.exportResponses)
	s.handle(r, "GET", "/consultations/{slug}/export/responses-redacted.{format}", AnalystOnly, s.exportRedactedResponses)
	s.letterRoutes(r)
	s.mailboxRoutes(r) // #17
}

func (s *Server) importsPage(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, status int, errs []web.FieldError) {
	rows, err := db.New(s.Pool).ListBatches(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/admin/consultations/" + c.Slug
	title := "Imports"
	if len(errs) > 0 {
		title = "Error: Imports"
	}
	v := web.ImportsView{
		Page: s.page(r, title, web.Crumb{Label: "Publishing", Href: "/admin/consultations"}),
		Slug: c.Slug, Title: c.Title, Errors: errs, MaxUploadMiB: batchimport.MaxUploadBytes >> 20,
		TemplateCSV: base + "/template.csv", TemplateXLSX: base + "/template.xlsx", Encodings: batchimport.Encodings,
	}
	v.ExportLinks = exportLinks(r, c)
	if v.Mail, err = s.mailPanel(r.Context(), c); err != nil { // #17
		s.fail(w, r, err)
		return
	}
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, web.Choice{Value: g.Slug, Label: g.Label})
	}
	for _, b := range rows {
		v.Batches = append(v.Batches, web.BatchRow{
			Href: fmt.Sprintf("%s/imports/%d", base, b.ID), File: b.FileName, SHA256: b.Sha256, Status: b.Status,
			By: b.ImportedByEmail, At: b.CreatedAt, Imported: b.Imported, Duplicates: b.Duplicates, Rejected: b.Rejected,
		})
	}
	svc := s.Imports
	// An import whose server died shows as interrupted, not running for ever.
	if _, err := svc.Recover(r.Context(), s.Logger); err != nil {
		s.fail(w, r, err)
		return
	}
	open, err := svc.OpenUploads(r.Context(), c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range open {
		status := map[string]string{"queued": "waiting to be imported", "running": "importing", "interrupted": "interrupted: retry or discard it"}[u.Status]
		v.Open = append(v.Open, web.OpenUploadRow{Href: fmt.Sprintf("%s/imports/uploads/%d", base, u.ID), File: u.FileName, Status: status})
	}
	if v.Untyped, err = untypedRows(r, svc, c); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, web.Imports(v))
}

func (s *Server) imports(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.importsPage(w, r, c, http.StatusOK, nil)
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	again := func(msg string) {
		s.importsPage(w, r, c, http.StatusUnprocessableEntity, []web.FieldError{{Field: "file", Message: msg}})
	}
	f, hdr, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case bodyTimedOut(err):
		s.requestTimeout(w, r)
		return
	case errors.As(err, &tooBig):
		again(fmt.Sprintf("The file must be smaller than %d MB", batchimport.MaxUploadBytes>>20))
		return
	case err != nil:
		again("Select a file to import")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, batchimport.MaxUploadBytes+1))
	if err != nil || len(data) > batchimport.MaxUploadBytes {
		again(fmt.Sprintf("The file must be smaller than %d MB", batchimport.MaxUploadBytes>>20))
		return
	}
	if len(data) == 0 {
		again("The selected file is empty")
		return
	}
	if _, err := batchimport.FormatOf(hdr.Filename); err != nil {
		again("The file must be an .eml, .msg, .mbox, .zip, .csv or .xlsx file, or a scanned letter (.pdf, .png, .jpg or .tif)")
		return
	}
	o := batchimport.Options{Consultation: c, By: s.actor(r), SkipInvalid: r.PostFormValue("skip_invalid") == "true"}
	switch ch := r.PostFormValue("channel"); ch {
	case "", "email", "letter", "event":
		o.Channel = ch
	default:
		again("Choose a channel from the list")
		return
	}
	if enc := r.PostFormValue("encoding"); enc != "" {
		if !slices.Contains(batchimport.Encodings, enc) {
			again("Choose a character encoding from the list")
			return
		}
		o.Encoding = enc
	}
	if g := r.PostFormValue("group"); g != "" {
		if o.Group = c.Group(g); o.Group == nil {
			again("Choose a respondent group from the list")
			return
		}
	}
	id, err := s.Imports.CreateUpload(r.Context(), hdr.Filename, data, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/consultations/%s/imports/uploads/%d", c.Slug, id), http.StatusSeeOther)
}

// loadUpload reads the consultation and the upload named in the URL.
func (s *Server) loadUpload(r *http.Request) (*consultation.Consultation, *batchimport.Upload, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, nil, batchimport.ErrUploadNotFound
	}
	u, err := s.Imports.GetUpload(r.Context(), c, id)
	return c, u, err
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Imports.Recover(r.Context(), s.Logger); err != nil {
		s.fail(w, r, err)
		return
	}
	c, u, err := s.loadUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := fmt.Sprintf("/admin/consultations/%s/imports", c.Slug)
	if u.Status == "done" && u.BatchID != nil {
		http.Redirect(w, r, fmt.Sprintf("%s/%d", base, *u.BatchID), http.StatusSeeOther)
		return
	}
	v := web.ReportView{
		Page: s.page(r, "Preview of "+u.FileName, web.Crumb{Label: "Imports", Href: base}),
		Slug: c.Slug, Title: c.Title, Report: u.Preview, ImportsHref: base, SkipInvalid: u.SkipInvalid,
		ConfirmHref: fmt.Sprintf("%s/uploads/%d/confirm", base, u.ID), DiscardHref: fmt.Sprintf("%s/uploads/%d/discard", base, u.ID),
	}
	switch u.Status {
	case "preview":
		v.Preview = true
	case "queued", "running":
		v.Page.Title, v.Running = "Importing "+u.FileName, true
		if u.Size > 0 {
			v.Percent = int(100 * u.Processed / u.Size)
		}
	case "failed":
		v.Page.Title, v.Failed = "Import of "+u.FileName+" failed", u.Error
	case "interrupted":
		v.Page.Title, v.Interrupted = "Import of "+u.FileName+" was interrupted", u.Error
		v.RetryHref = fmt.Sprintf("%s/uploads/%d/retry", base, u.ID)
	case "discarded":
		v.Page.Title = u.FileName + " was discarded"
	}
	s.render(w, r, http.StatusOK, web.ImportReport(v))
}

// confirmUpload imports a previewed file: at once when small, otherwise
// through a background job enqueued in the same transaction.
func (s *Server) confirmUpload(w http.ResponseWriter, r *http.Request) {
	c, u, err := s.loadUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := fmt.Sprintf("/admin/consultations/%s/imports/uploads/%d", c.Slug, u.ID)
	_, err = s.Imports.ConfirmUpload(r.Context(), c, u)
	switch {
	case errors.Is(err, batchimport.ErrAlreadyStarted):
		// A double click: show where it is.
	case errors.Is(err, batchimport.ErrImportFailed):
		// The upload page shows the failure; the log keeps the cause.
		s.logError(r, "import failed", "upload", u.ID, "err", err)
	case err != nil:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, page, http.StatusSeeOther)
}

// enqueueImport queues upload id of c for a background job in tx, when
// this server has a job queue.
func (s *Server) enqueueImport(ctx context.Context, tx pgx.Tx, c *consultation.Consultation, id int64) (bool, error) {
	if s.Jobs == nil {
		return false, nil
	}
	if _, err := s.Jobs.InsertTx(ctx, tx, jobs.ImportArgs{Consultation: c.Slug, UploadID: id}, nil); err != nil {
		return false, fmt.Errorf("enqueue import of upload %d: %w", id, err)
	}
	return true, nil
}

// retryUpload queues an interrupted import again, as confirmUpload does.
func (s *Server) retryUpload(w http.ResponseWriter, r *http.Request) {
	c, u, err := s.loadUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := fmt.Sprintf("/admin/consultations/%s/imports/uploads/%d", c.Slug, u.ID)
	err = db.WithTx(r.Context(), s.Pool, func(tx pgx.Tx, q *db.Queries) error {
		if err := batchimport.Retry(r.Context(), q, c, u.ID); err != nil {
			return err
		}
		if s.Jobs != nil {
			_, err := s.Jobs.InsertTx(r.Context(), tx, jobs.ImportArgs{Consultation: c.Slug, UploadID: u.ID}, nil)
			return err
		}
		return nil
	})
	if errors.Is(err, batchimport.ErrNotInterrupted) {
		http.Redirect(w, r, page, http.StatusSeeOther) // a double click: show where it is
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.Jobs == nil {
		if _, err := s.Imports.RunUpload(r.Context(), c, u.ID); err != nil {
			s.logError(r, "import failed", "upload", u.ID, "err", err)
		}
	}
	http.Redirect(w, r, page, http.StatusSeeOther)
}

func (s *Server) discardUpload(w http.ResponseWriter, r *http.Request) {
	c, u, err := s.loadUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Imports.Discard(r.Context(), c, u.ID); err != nil && !errors.Is(err, batchimport.ErrAlreadyStarted) {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/imports", http.StatusSeeOther)
}

func (s *Server) batchPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.fail(w, r, batchimport.ErrUploadNotFound)
		return
	}
	rep, err := s.Imports.Batch(r.Context(), c, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/admin/consultations/" + c.Slug + "/imports"
	s.render(w, r, http.StatusOK, web.ImportReport(web.ReportView{
		Page: s.page(r, "Import of "+rep.File, web.Crumb{Label: "Imports", Href: base}),
		Slug: c.Slug, Title: c.Title, Report: rep, ImportsHref: base, LetterHref: "/consultations/" + c.Slug + "/letters/",
	}))
}

func (s *Server) templateFile(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := chi.URLParam(r, "format")
	ctype := map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	if ctype == "" {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "The template comes as .csv or .xlsx.")
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-template.%s"`, c.Slug, format))
	if err := batchimport.WriteTemplate(w, c, format); err != nil {
		s.logError(r, "template", "consultation", c.Slug, "err", err)
	}
}

func (s *Server) exportResponses(w http.ResponseWriter, r *http.Request) {
	s.exportFile(w, r, export.NotRedacted)
}

// exportRedactedResponses is the same export with personal data removed,
// for analysts to share.
func (s *Server) exportRedactedResponses(w http.ResponseWriter, r *http.Request) {
	s.exportFile(w, r, export.Redacted)
}

func (s *Server) exportFile(w http.ResponseWriter, r *http.Request, red export.Redaction) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := chi.URLParam(r, "format")
	ctype := map[string]string{"json": "application/json", "csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
	if ctype == "" {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "Exports come as .json, .csv or .xlsx.")
		return
	}
	e := s.actor(r).Entry("export")
	e.ConsultationID, e.RecordType, e.Detail = &c.ID, "responses", map[string]any{"format": format, "personal_data": red.Label()}
	if err := audit.Record(r.Context(), db.New(s.Pool), e); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, red.FileName(c.Slug, format)))
	if err := export.Write(r.Context(), s.Pool, c, format, red, w); err != nil {
		// Headers are gone: the truncated download is all we can signal.
		s.logError(r, "export", "consultation", c.Slug, "err", err)
	}
}
