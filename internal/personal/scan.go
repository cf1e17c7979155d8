package personal

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/db"
)

// Scan detects personal data in the stored texts of responses ids (their
// open answers and, for emails and letters, their full text) and stores
// the spans, through q: the ingest Writer calls it in the transaction that
// stores the responses, so a response is never visible without its spans.
func Scan(ctx context.Context, q *db.Queries, consultationID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	texts, err := q.PersonalTexts(ctx, ids)
	if err != nil {
		return fmt.Errorf("personal: read texts of %d responses: %w", len(ids), err)
	}
	if err := store(ctx, q, consultationID, texts); err != nil {
		return err
	}
	if err := q.MarkPersonalScanned(ctx, ids); err != nil {
		return fmt.Errorf("personal: mark %d responses read: %w", len(ids), err)
	}
	return nil
}

// Written is an open answer's text as a writer has just stored it.
type Written struct {
	ResponseID int64
	QuestionID int32
	Text       string
}

// ScanWritten is Scan for the ingest Writer, in the transaction that
// stored responses ids: the answers' texts are handed over as written
// rather than read back (reading them back made each batch of a large
// load probe the whole answers table), and only the emails' and letters'
// full texts, which the importer stored, are read.
func ScanWritten(ctx context.Context, q *db.Queries, consultationID int64, ids []int64, written []Written) error {
	if len(ids) == 0 {
		return nil
	}
	sources, err := q.PersonalSourceTexts(ctx, ids)
	if err != nil {
		return fmt.Errorf("personal: read full texts of %d responses: %w", len(ids), err)
	}
	texts := make([]db.PersonalTextsRow, 0, len(written)+len(sources))
	for _, w := range written {
		if w.Text != "" {
			texts = append(texts, db.PersonalTextsRow{ResponseID: w.ResponseID, QuestionID: w.QuestionID, Text: w.Text})
		}
	}
	for _, s := range sources {
		texts = append(texts, db.PersonalTextsRow{ResponseID: s.ResponseID, QuestionID: 0, Text: s.Text})
	}
	if err := store(ctx, q, consultationID, texts); err != nil {
		return err
	}
	if err := q.MarkPersonalScanned(ctx, ids); err != nil {
		return fmt.Errorf("personal: mark %d responses read: %w", len(ids), err)
	}
	return nil
}

// Rescan replaces the spans of responses ids after their texts were
// replaced or stored after the response (a letter typed up or read by
// OCR, the demo's letters). Decisions on the old texts go with them:
// their offsets no longer mean anything.
func Rescan(ctx context.Context, q *db.Queries, consultationID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := q.DeleteResponsesSpans(ctx, ids); err != nil {
		return fmt.Errorf("personal: clear spans of %d responses: %w", len(ids), err)
	}
	return Scan(ctx, q, consultationID, ids)
}

// store detects and stores spans in texts.
func store(ctx context.Context, q *db.Queries, consultationID int64, texts []db.PersonalTextsRow) error {
	var rows []db.CopyPersonalSpansParams
	for _, t := range texts {
		for _, sp := range Detect(t.Text) {
			rows = append(rows, db.CopyPersonalSpansParams{
				ConsultationID: consultationID, ResponseID: t.ResponseID, QuestionID: t.QuestionID,
				StartOffset: int32(sp.Start), EndOffset: int32(sp.End), Kind: string(sp.Kind),
				Confidence: sp.Confidence, Origin: "detected", MatchKey: MatchKey(sp.Kind, t.Text[sp.Start:sp.End]),
			})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := q.CopyPersonalSpans(ctx, rows); err != nil {
		return fmt.Errorf("personal: store %d spans: %w", len(rows), err)
	}
	return nil
}

// backfillPage is how many responses one backfill transaction reads.
const backfillPage = 2000

// Backfill detects personal data in every response the detector has not
// read yet (those stored before detection existed, or by a path that
// bypasses the Writer), a page per transaction. It returns how many
// responses it read.
func Backfill(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	total := 0
	for {
		n := 0
		err := db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
			rows, err := q.UnscannedResponses(ctx, backfillPage)
			if err != nil {
				return fmt.Errorf("personal: find unread responses: %w", err)
			}
			n = len(rows)
			// A page may span consultations: scan each one's run.
			for i := 0; i < len(rows); {
				j := i
				var ids []int64
				for j < len(rows) && rows[j].ConsultationID == rows[i].ConsultationID {
					ids = append(ids, rows[j].ID)
					j++
				}
				if err := Scan(ctx, q, rows[i].ConsultationID, ids); err != nil {
					return err
				}
				i = j
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < backfillPage {
			return total, nil
		}
	}
}
