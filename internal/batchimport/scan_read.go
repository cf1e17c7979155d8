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

// ReadNextScan reads one scanned letter waiting for OCR, a page at a
// time, committing each page as it goes (so progress shows, and a
// stopped reader resumes where it was). It returns nil when no scan is
// waiting. When the letter is read its text becomes the response's
// text, segmented and counted like an email's.
func (s *Service) ReadNextScan(ctx context.Context, progress ScanProgress) (*ScanOutcome, error) {
	out, err := s.readNextScan(ctx, progress)
	if out == nil || err != nil {
		return nil, err
	}
	sc, err := db.New(s.Pool).GetScan(ctx, db.GetScanParams{ResponseID: out.ResponseID, ConsultationID: out.consultation})
	if err != nil {
		return nil, fmt.Errorf("batchimport: scan %d: %w", out.ResponseID, err)
	}
	return &ScanOutcome{ResponseID: sc.ResponseID, File: sc.FileName, Status: sc.Status, Confidence: sc.MeanConfidence, Error: sc.Error}, nil
}

type claimed struct {
	ResponseID   int64
	consultation int64
}

func (s *Service) readNextScan(ctx context.Context, progress ScanProgress) (*claimed, error) {
	q := db.New(s.Pool)
	sc, err := q.ClaimScan(ctx)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("batchimport: claim scan: %w", err)
	}
	c, err := (&consultation.Service{Pool: s.Pool}).Get(ctx, sc.Slug)
	if err != nil {
		return nil, fmt.Errorf("batchimport: scan %d: %w", sc.ResponseID, err)
	}
	done := &claimed{ResponseID: sc.ResponseID, consultation: c.ID}
	if err := ocr.Available(); err != nil {
		return done, s.scanFailed(ctx, sc.ResponseID, err.Error()+": the scan is kept to be typed up")
	}
	for page := int(sc.PagesDone) + 1; page <= int(sc.Pages); page++ {
		img, imgType := sc.Data, sc.ContentType
		if sc.ContentType == "application/pdf" {
			if img, err = ocr.RenderPDFPage(ctx, sc.Data, page); err != nil {
				return done, s.scanFailed(ctx, sc.ResponseID, fmt.Sprintf("page %d: %v", page, err))
			}
			imgType = "image/png"
		}
		p, err := ocr.ReadImage(ctx, img)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err() // resumed by the next reader
			}
			return done, s.scanFailed(ctx, sc.ResponseID, fmt.Sprintf("page %d: %v", page, err))
		}
		words, _ := json.Marshal(nonNil(p.Words))
		err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
			if err := q.InsertScanPage(ctx, db.InsertScanPageParams{
				ResponseID: sc.ResponseID, Page: int32(page), Image: img, ImageType: imgType,
				Text: p.Text, Confidence: float32(p.Confidence), Words: words,
			}); err != nil {
				return err
			}
			return q.SetScanProgress(ctx, db.SetScanProgressParams{ResponseID: sc.ResponseID, PagesDone: int32(page)})
		})
		if err != nil {
			return nil, fmt.Errorf("batchimport: store page %d of scan %d: %w", page, sc.ResponseID, err)
		}
		if progress != nil {
			progress(sc.ResponseID, sc.FileName, page, int(sc.Pages))
		}
	}
	return done, s.finishScan(ctx, c, sc.ResponseID)
}

// finishScan joins the pages' text, scores it and makes it the letter's text.
func (s *Service) finishScan(ctx context.Context, c *consultation.Consultation, responseID int64) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		pages, err := q.ScanPageStats(ctx, responseID)
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
		if err := q.FinishScan(ctx, db.FinishScanParams{ResponseID: responseID, Status: status, MeanConfidence: mean, OcrText: text}); err != nil {
			return fmt.Errorf("batchimport: finish scan %d: %w", responseID, err)
		}
		return applyText(ctx, q, c, responseID, text)
	})
}

func (s *Service) scanFailed(ctx context.Context, responseID int64, reason string) error {
	err := db.New(s.Pool).FinishScan(context.WithoutCancel(ctx), db.FinishScanParams{ResponseID: responseID, Status: "needs_typing", Error: reason})
	if err != nil {
		return fmt.Errorf("batchimport: scan %d: %w", responseID, err)
	}
	return nil
}

// applyText makes text a letter's text: its source text, its segments
// and the answers taken from them, all replaced, so the counts follow.
func applyText(ctx context.Context, q *db.Queries, c *consultation.Consultation, responseID int64, text string) error {
	imp := newImporter(q, Options{Consultation: c, Channel: "letter"}, &Report{})
	pm := imp.fromMessage(mailimport.Message{Body: text, Date: now()})
	if err := q.SetSourceText(ctx, db.SetSourceTextParams{ResponseID: responseID, FullText: pm.src.row.FullText, TextHash: pm.src.row.TextHash}); err != nil {
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
	return nil
}

// ErrScanNotFound: the response has no scan.
var ErrScanNotFound = errors.New("this response has no scan")

// Scan is a scanned letter as an analyst checks it.
type Scan struct {
	db.GetScanRow
	PageStats []db.ScanPageStatsRow
}

// NeedsChecking reports whether a person should check or type the text.
func (sc *Scan) NeedsChecking() bool {
	return sc.Status == "needs_checking" || sc.Status == "needs_typing"
}

// Scan returns the scan of response id, or ErrScanNotFound.
func (s *Service) Scan(ctx context.Context, c *consultation.Consultation, id int64) (*Scan, error) {
	q := db.New(s.Pool)
	row, err := q.GetScan(ctx, db.GetScanParams{ResponseID: id, ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrScanNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("batchimport: scan %d: %w", id, err)
	}
	sc := &Scan{GetScanRow: row}
	if sc.PageStats, err = q.ScanPageStats(ctx, id); err != nil {
		return nil, fmt.Errorf("batchimport: pages of scan %d: %w", id, err)
	}
	return sc, nil
}

// ScanPage returns one page image of a scan.
func (s *Service) ScanPage(ctx context.Context, c *consultation.Consultation, id int64, page int) ([]byte, string, error) {
	row, err := db.New(s.Pool).ScanPageImage(ctx, db.ScanPageImageParams{ResponseID: id, Page: int32(page), ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", ErrScanNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("batchimport: page %d of scan %d: %w", page, id, err)
	}
	return row.Image, row.ImageType, nil
}

// CorrectScanText replaces a scanned letter's text with an analyst's
// corrected (or typed-up) text: segments and answers are taken again so
// the counts follow, the scan is marked checked, and the change is
// audited with the text's length before and after.
func (s *Service) CorrectScanText(ctx context.Context, c *consultation.Consultation, by accounts.Actor, id int64, text string) error {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if strings.ContainsRune(text, 0) {
		return fmt.Errorf("batchimport: the text contains a NUL byte")
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		sc, err := q.GetScan(ctx, db.GetScanParams{ResponseID: id, ConsultationID: c.ID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrScanNotFound
		}
		if err != nil {
			return err
		}
		src, err := q.GetResponseSource(ctx, db.GetResponseSourceParams{ID: id, ConsultationID: c.ID})
		if err != nil {
			return fmt.Errorf("batchimport: letter %d: %w", id, err)
		}
		if err := applyText(ctx, q, c, id, text); err != nil {
			return err
		}
		if err := q.SetScanStatus(ctx, db.SetScanStatusParams{ResponseID: id, Status: "checked"}); err != nil {
			return err
		}
		e := by.Entry("letter_text_corrected")
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "response", fmt.Sprint(id)
		e.Detail = map[string]any{"file": sc.FileName, "status_before": sc.Status, "chars_before": len([]rune(src.FullText)), "chars_after": len([]rune(text))}
		if sc.MeanConfidence != nil {
			e.Detail["ocr_confidence"] = *sc.MeanConfidence
		}
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
