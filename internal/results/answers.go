package results

import (
	"context"
	"fmt"

	"heard/internal/consultation"
	"heard/internal/db"
)

// OpenAnswer is one open-text answer with what may be shown beside it.
type OpenAnswer struct {
	ResponseID   int64
	Text         string
	Channel      string
	GroupID      int32 // 0: group not known
	Organisation string
	// Consent is the webform's publication answer: yes, no, or "" when
	// not asked (other channels) or not given.
	Consent string
}

// OpenAnswers returns up to limit answers to q under f, in response
// order, after response id after. It returns limit+1 rows at most so the
// caller can tell whether there is another page.
func (s *Service) OpenAnswers(ctx context.Context, q *consultation.Question, f Filter, after int64, limit int) ([]OpenAnswer, error) {
	groups, channels := f.params()
	rows, err := db.New(s.Pool).OpenAnswers(ctx, db.OpenAnswersParams{
		QuestionID: q.ID, After: after, GroupIds: groups, Channels: channels, PageSize: int32(limit + 1),
	})
	if err != nil {
		return nil, fmt.Errorf("results: answers to %s: %w", q.Code, err)
	}
	out := make([]OpenAnswer, len(rows))
	for i, r := range rows {
		a := OpenAnswer{ResponseID: r.ResponseID, Text: r.Text, Channel: string(r.Channel), Consent: r.PublicationConsent}
		if r.RespondentGroupID != nil {
			a.GroupID = *r.RespondentGroupID
		}
		if r.OnBehalfOfOrg {
			a.Organisation = r.Organisation
		}
		out[i] = a
	}
	return out, nil
}
