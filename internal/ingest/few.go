package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/db"
)

// fewResponses is the largest batch written one statement per response.
// COPY needs several round trips (describe, start, data) per table, which
// only pay off for larger batches; a webform submission is one response.
const fewResponses = 8

// flushFew writes a small batch one statement per response: the response
// and its answers together, skipping a source_ref that is already stored.
// It stores exactly what the COPY path stores.
func (w *Writer) flushFew(ctx context.Context, batch []Response) error {
	var ids []int64
	var fresh []Response
	for _, r := range batch {
		p := db.InsertResponseWithAnswersParams{
			ConsultationID: w.c.ID, Channel: db.Channel(r.Channel), RespondentGroupID: r.GroupID,
			OnBehalfOfOrg: r.OnBehalfOfOrg, Organisation: r.Organisation, ReceivedAt: r.ReceivedAt, SourceRef: r.SourceRef,
			BatchID: r.BatchID, SuggestedGroupID: r.SuggestedGroupID, SuggestionReason: r.SuggestionReason, EventID: r.EventID,
			QuestionIds: make([]int32, len(r.Answers)), OptionIds: make([]int32, len(r.Answers)),
			Texts: make([]string, len(r.Answers)), HasText: make([]bool, len(r.Answers)),
		}
		for i, a := range r.Answers {
			p.QuestionIds[i] = a.QuestionID
			if a.OptionID != nil {
				p.OptionIds[i] = *a.OptionID
			}
			if a.Text != nil {
				p.Texts[i], p.HasText[i] = *a.Text, true
			}
		}
		id, err := w.q.InsertResponseWithAnswers(ctx, p)
		if errors.Is(err, pgx.ErrNoRows) {
			w.res.Duplicates = append(w.res.Duplicates, duplicate(r))
			continue
		}
		if err != nil {
			return fmt.Errorf("ingest: insert response %q: %w", r.SourceRef, err)
		}
		ids, fresh = append(ids, id), append(fresh, r)
	}
	w.res.Inserted += len(fresh)
	if len(fresh) == 0 {
		return nil
	}
	return w.after(ctx, ids, fresh)
}
