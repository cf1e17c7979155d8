package batchimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/mailimport"
	"heard/internal/ocr"
	"heard/internal/personal"
)

// CheckBelow is the mean word confidence (0–100) under which an OCR'd
// letter is listed as needing checking by a person.
const CheckBelow = 80.0

// ScanProgress is told after each page read.
type ScanProgress func(responseID int64, file string, page, pages int)

// ScanOutcome is what reading one scan came to.
type ScanOutcome struct {
	ResponseID int64
	File       string
	Status     string // read, needs_checking or needs_typing
	Confidence *float32
	Error      string
}

// ReadNextScan reads one scan waiting for OCR, a page at a time,
// committing each page as it goes (so progress shows, and a stopped
// reader resumes where it was). It returns nil when no scan is waiting.
// When the scan is read its text becomes the letter's text (or, for a
// scan attached to an email, joins the email's text), segmented and
// counted like an email's.
func (s *Service) ReadNextScan(ctx context.Context, progress ScanProgress) (*ScanOutcome, error) {
	id, err := s.readNextScan(ctx, progress)
	if id == 0 || err != nil {
		return nil, err
	}
	sc, err := db.New(s.Pool).GetScan(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("batchimport: scan %d: %w", id, err)
	}
	return &ScanOutcome{ResponseID: sc.ResponseID, File: sc.FileName, Status: sc.Status, Confidence: sc.MeanConfidence, Error: sc.Error}, nil
}

func (s *Service) readNextScan(ctx context.Context, progress ScanProgress) (int64, error) {
	q := db.New(s.Pool)
	sc, err := q.ClaimScan(ctx)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("batchimport: claim scan: %w", err)
	}
	c, err := (&consultation.Service{Pool: s.Pool}).Get(ctx, sc.Slug)
	if err != nil {
		return 0, fmt.Errorf("batchimport: scan %d: %w", sc.ID, err)
	}
	if err := ocr.Available(); err != nil {
		return sc.ID, s.scanFailed(ctx, sc.ID, err.Error()+": the scan is kept to be typed up")
	}
	for page := int(sc.PagesDone) + 1; page <= int(sc.Pages); page++ {
		img, imgType := sc.Data, sc.ContentType
		if sc.ContentType == "application/pdf" {
			if img, err = ocr.RenderPDFPage(ctx, sc.Data, page); err != nil {
				return sc.ID, s.scanFailed(ctx, sc.ID, fmt.Sprintf("page %d: %v", page, err))
			}
			imgType = "image/png"
		}
		p, err := ocr.ReadImage(ctx, img)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err() // resumed by the next reader
			}
			return sc.ID, s.scanFailed(ctx, sc.ID, fmt.Sprintf("page %d: %v", page, err))
		}
		words, _ := json.Marshal(nonNil(p.Words))
		err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
			if err := q.InsertScanPage(ctx, db.InsertScanPageParams{
				ScanID: sc.ID, Page: int32(page), Image: img, ImageType: imgType,
				Text: p.Text, Confidence: float32(p.Confidence), Words: words,
			}); err != nil {
				return err
			}
			return q.SetScanProgress(ctx, db.SetScanProgressParams{ID: sc.ID, PagesDone: int32(page)})
		})
		if err != nil {
			return 0, fmt.Errorf("batchimport: store page %d of scan %d: %w", page, sc.ID, err)
		}
		if progress != nil {
			progress(sc.ResponseID, sc.FileName, page, int(sc.Pages))
		}
	}
	return sc.ID, s.finishScan(ctx, c, sc.ID, sc.ResponseID, sc.Attachment, sc.FileName)
}

// finishScan joins the pages' text, scores it and adds it to the
// response's text.
func (s *Service) finishScan(ctx context.Context, c *consultation.Consultation, id, responseID int64, attachment int32, name string) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		pages, err := q.ScanPageStats(ctx, id)
		if err != nil {
			return err
		}
		var texts []string
		var sum float64
		var words int
		for _, p := range pages {
			texts = append(texts, p.Text)
			sum += float64(p.Confidence) * float64(p.Words)
			words += int(p.Words)
		}
		text := strings.TrimSpace(strings.Join(texts, "\n\n"))
		var mean *float32
		status := "needs_checking"
		if words > 0 {
			m := float32(sum / float64(words))
			mean = &m
			if float64(m) >= CheckBelow {
				status = "read"
			}
		}
		if err := q.FinishScan(ctx, db.FinishScanParams{ID: id, Status: status, MeanConfidence: mean, OcrText: text}); err != nil {
			return fmt.Errorf("batchimport: finish scan %d: %w", id, err)
		}
		if attachment == 0 {
			return applyText(ctx, q, c, responseID, text)
		}
		// A scanned attachment's text joins the email's, as a readable
		// attachment's would have at import.
		src, err := q.GetResponseSource(ctx, db.GetResponseSourceParams{ID: responseID, ConsultationID: c.ID})
		if err != nil {
			return fmt.Errorf("batchimport: letter %d: %w", responseID, err)
		}
		full := strings.TrimRight(src.FullText, "\n\t ")
		if text != "" {
			if full != "" {
				full += "\n\n"
			}
			full += fmt.Sprintf("[Attachment: %s (OCR)]\n\n%s", name, text)
		}
		return applyText(ctx, q, c, responseID, full)
	})
}

func (s *Service) scanFailed(ctx context.Context, id int64, reason string) error {
	err := db.New(s.Pool).FinishScan(context.WithoutCancel(ctx), db.FinishScanParams{ID: id, Status: "needs_typing", Error: reason})
	if err != nil {
		return fmt.Errorf("batchimport: scan %d: %w", id, err)
	}
	return nil
}

// applyText makes text a letter's text: its source text, its segments
// and the answers taken from them, all replaced, so the counts follow.
func applyText(ctx context.Context, q *db.Queries, c *consultation.Consultation, responseID int64, text string) error {
	imp := newImporter(q, Options{Consultation: c, Channel: "letter"}, &Report{})
	pm := imp.fromMessage(mailimport.Message{Body: text, Date: now()})
	if err := q.SetSourceText(ctx, db.SetSourceTextParams{
		ResponseID: responseID, FullText: pm.src.row.FullText, TextHash: pm.src.row.TextHash,
		NeedsTyping: pm.src.row.NeedsTyping, NoTextWarning: NoTextWarning,
	}); err != nil {
		return fmt.Errorf("batchimport: text of %d: %w", responseID, err)
	}
	if err := q.DeleteSegments(ctx, responseID); err != nil {
		return fmt.Errorf("batchimport: segments of %d: %w", responseID, err)
	}
	if err := q.DeleteAnswers(ctx, responseID); err != nil {
		return fmt.Errorf("batchimport: answers of %d: %w", responseID, err)
	}
	segs := pm.src.segments
	for i := range segs {
		segs[i].ResponseID, segs[i].Position = responseID, int32(i+1)
	}
	if len(segs) > 0 {
		if _, err := q.CopySegments(ctx, segs); err != nil {
			return fmt.Errorf("batchimport: segments of %d: %w", responseID, err)
		}
	}
	for _, a := range pm.r.Answers {
		if err := q.InsertAnswer(ctx, db.InsertAnswerParams{ResponseID: responseID, QuestionID: a.QuestionID, OptionID: a.OptionID, Text: a.Text}); err != nil {
			return fmt.Errorf("batchimport: answer of %d: %w", responseID, err)
		}
	}
	// The new text needs its personal data found, like any imported text.
	return personal.Rescan(ctx, q, c.ID, []int64{responseID})
}

// ErrScanNotFound: the response has no scan, or no such scan or page.
var ErrScanNotFound = errors.New("this response has no scan")

// Scan is one scan of a letter as an analyst checks it.
type Scan struct {
	db.ResponseScansRow
	PageStats []db.ScanPageStatsRow
}

// NeedsChecking reports whether a person should check or type the text.
func (sc *Scan) NeedsChecking() bool {
	return sc.Status == "needs_checking" || sc.Status == "needs_typing"
}

// Scans returns the scans of response id (the letter itself, or an
// email's scanned attachments), or ErrScanNotFound.
func (s *Service) ResponseScans(ctx context.Context, c *consultation.Consultation, id int64) ([]*Scan, error) {
	q := db.New(s.Pool)
	rows, err := q.ResponseScans(ctx, db.ResponseScansParams{ResponseID: id, ConsultationID: c.ID})
	if err != nil {
		return nil, fmt.Errorf("batchimport: scans of %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, ErrScanNotFound
	}
	var out []*Scan
	for _, r := range rows {
		sc := &Scan{ResponseScansRow: r}
		if sc.PageStats, err = q.ScanPageStats(ctx, r.ID); err != nil {
			return nil, fmt.Errorf("batchimport: pages of scan %d: %w", r.ID, err)
		}
		out = append(out, sc)
	}
	return out, nil
}

// ScanPage returns one page image of scan scanID of response id.
func (s *Service) ScanPage(ctx context.Context, c *consultation.Consultation, id, scanID int64, page int) ([]byte, string, error) {
	row, err := db.New(s.Pool).ScanPageImage(ctx, db.ScanPageImageParams{ScanID: scanID, ResponseID: id, Page: int32(page), ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", ErrScanNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("batchimport: page %d of scan %d: %w", page, scanID, err)
	}
	return row.Image, row.ImageType, nil
}

// CorrectScanText replaces a scanned letter's text (or an email's text
// with its scanned attachments) with an analyst's corrected or typed-up
// text: segments and answers are taken again so the counts follow, its
// scans are marked checked, and the change is audited with the text's
// length before and after.
func (s *Service) CorrectScanText(ctx context.Context, c *consultation.Consultation, by accounts.Actor, id int64, text string) error {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if strings.ContainsRune(text, 0) {
		return fmt.Errorf("batchimport: the text contains a NUL byte")
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		scans, err := q.ResponseScans(ctx, db.ResponseScansParams{ResponseID: id, ConsultationID: c.ID})
		if err != nil {
			return err
		}
		if len(scans) == 0 {
			return ErrScanNotFound
		}
		src, err := q.GetResponseSource(ctx, db.GetResponseSourceParams{ID: id, ConsultationID: c.ID})
		if err != nil {
			return fmt.Errorf("batchimport: letter %d: %w", id, err)
		}
		if err := applyText(ctx, q, c, id, text); err != nil {
			return err
		}
		if err := q.CheckResponseScans(ctx, id); err != nil {
			return err
		}
		e := by.Entry("letter_text_corrected")
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "response", fmt.Sprint(id)
		var files, statuses []string
		var confs []float32
		for _, sc := range scans {
			files, statuses = append(files, sc.FileName), append(statuses, sc.Status)
			if sc.MeanConfidence != nil {
				confs = append(confs, *sc.MeanConfidence)
			}
		}
		e.Detail = map[string]any{"files": files, "status_before": statuses, "ocr_confidence": confs,
			"chars_before": len([]rune(src.FullText)), "chars_after": len([]rune(text))}
		return audit.Record(ctx, q, e)
	})
}

// Scans lists the consultation's scans that are being read or need a person.
func (s *Service) Scans(ctx context.Context, c *consultation.Consultation) ([]db.ListScansRow, error) {
	rows, err := db.New(s.Pool).ListScans(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("batchimport: scans of %s: %w", c.Slug, err)
	}
	return rows, nil
}
