package coding

import (
	"context"
	"fmt"

	"heard/internal/db"
)

// ListedAnswer is an answer in the list for coding many at once.
type ListedAnswer struct {
	ResponseID int64
	Text       string
	GroupID    int32
	Channel    string
	Coded      bool
	CodeIDs    []int32
}

// AnswersToCode lists up to limit+1 answers to a question after response
// after: all of them, only those not yet coded, or those with codeID.
func (s *Service) AnswersToCode(ctx context.Context, questionID int32, uncoded bool, codeID int32, after int64, limit int) ([]ListedAnswer, error) {
	rows, err := db.New(s.Pool).AnswersForBulk(ctx, db.AnswersForBulkParams{QuestionID: questionID, After: after, Uncoded: uncoded, CodeID: codeID, PageSize: int32(limit + 1)})
	if err != nil {
		return nil, fmt.Errorf("coding: answers to code: %w", err)
	}
	out := make([]ListedAnswer, len(rows))
	for i, r := range rows {
		out[i] = ListedAnswer{ResponseID: r.ResponseID, Text: r.Text, Channel: string(r.Channel), Coded: r.Coded, CodeIDs: r.CodeIds}
		if r.RespondentGroupID != nil {
			out[i].GroupID = *r.RespondentGroupID
		}
	}
	return out, nil
}

// Quote is a quote-worthy answer with its codes.
type Quote struct {
	ResponseID   int64
	Text         string
	GroupID      int32
	Organisation string
	CodeIDs      []int32
}

// Quotes lists a question's quote-worthy answers. The flag is only ever
// set where the respondent agreed to publication (Save checks it).
func (s *Service) Quotes(ctx context.Context, questionID int32) ([]Quote, error) {
	rows, err := db.New(s.Pool).QuoteWorthy(ctx, &questionID)
	if err != nil {
		return nil, fmt.Errorf("coding: quotes: %w", err)
	}
	out := make([]Quote, len(rows))
	for i, r := range rows {
		out[i] = Quote{ResponseID: r.ResponseID, Text: r.Text, CodeIDs: r.CodeIds}
		if r.RespondentGroupID != nil {
			out[i].GroupID = *r.RespondentGroupID
		}
		if r.OnBehalfOfOrg {
			out[i].Organisation = r.Organisation
		}
	}
	return out, nil
}
