package coding

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

// AuditSuggestionsAccepted is the audit action of ApplySuggested.
const AuditSuggestionsAccepted = "coding_suggestions_accepted"

// Suggested is a suggestion an analyst accepted: the answer, what
// proposed it (origin "model" or "rule", and its version) and how
// confident it was.
type Suggested struct {
	ResponseID      int64
	Origin, Version string
	Confidence      float32
}

// ApplySuggested applies one code to answers of a question because an
// analyst accepted the auto-coding suggestions for them: the events are
// the analyst's (user_id), with each suggestion's origin ("model" or
// "rule"), version and confidence, so every such code is traceable to
// what proposed it. Answers that already have the code are left alone.
// It returns how many answers gained the code. done runs in the same
// transaction (to mark the suggestions accepted).
func (s *Service) ApplySuggested(ctx context.Context, by accounts.Actor, consultationID int64, questionID, codeID int32, items []Suggested, done func(q *db.Queries, applied []int64) error) (int, error) {
	if len(items) == 0 {
		return 0, &ValidationError{Field: "suggestions", Message: "There are no suggestions to accept"}
	}
	var applied []int64
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		cf, err := codeframe(ctx, q, consultationID, Frame{QuestionID: questionID})
		if err != nil {
			return err
		}
		c := cf.Get(codeID)
		if c == nil || c.Retired {
			return &ValidationError{Field: "code", Message: "Choose a code in use from this question's codeframe"}
		}
		items = slices.Clone(items)
		slices.SortFunc(items, func(a, b Suggested) int { return int(a.ResponseID - b.ResponseID) })
		for _, it := range items {
			u := Unit{ResponseID: it.ResponseID, QuestionID: questionID}
			if _, err := answer(ctx, q, consultationID, u); err != nil {
				return err
			}
			before, err := lockState(ctx, q, consultationID, u)
			if err != nil {
				return err
			}
			if _, had := before.Has(codeID); had {
				continue
			}
			conf := it.Confidence
			w := writer{ctx: ctx, q: q, by: by, consultationID: consultationID, unit: u, reason: "suggestion",
				origin: it.Origin, version: it.Version, confidence: &conf}
			if err := w.applyCode(Applied{CodeID: codeID}); err != nil {
				return err
			}
			if before.NoCode {
				if _, err := w.event(db.InsertCodingEventParams{Action: "undo_no_code"}); err != nil {
					return err
				}
			}
			ch := Change{QuoteWorthy: before.QuoteWorthy, EvidenceRich: before.EvidenceRich, Note: before.Note}
			if err := w.saveState(len(before.Codes)+1, ch); err != nil {
				return err
			}
			applied = append(applied, it.ResponseID)
		}
		if done != nil {
			if err := done(q, applied); err != nil {
				return err
			}
		}
		e := by.Entry(AuditSuggestionsAccepted)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", strconv.Itoa(int(codeID))
		e.Detail = map[string]any{"question_id": questionID, "code": c.Key, "responses": applied, "applied": len(applied)}
		return audit.Record(ctx, q, e)
	})
	return len(applied), err
}
