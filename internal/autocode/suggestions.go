package autocode

import (
	"context"
	"fmt"
	"math"

	"heard/internal/coding"
	"heard/internal/db"
)

// CodeSummary is a code of the question as the suggestions page shows
// it: its open suggestions, its rule, and the model's measured quality.
type CodeSummary struct {
	ID        int32
	Key, Name string
	Sub       bool
	Pending   int
	Rule      string
	// Quality is nil when the model has none for the code (too few
	// coded answers with it, or no model yet).
	Quality   *Quality
	Precision []AtThreshold
}

// Item is one open suggestion.
type Item struct {
	ResponseID      int64
	CodeID          int32
	Text            string
	Origin, Version string
	Confidence      float64
	Words           []string
}

// Cursor pages a code's suggestions, most confident first.
type Cursor struct {
	Confidence float32
	ResponseID int64
}

// Page is the suggestions page's data: the question's codes, the model
// and, for a chosen code, a page of its open suggestions.
type Page struct {
	Codes    []CodeSummary
	Model    *Measured
	Version  string
	Items    []Item
	Next     *Cursor
	Coded    int64
	Selected *CodeSummary
}

// Suggestions returns the question's codes with their open suggestions
// and quality, and for codeID (0: none) up to limit suggestions after
// the cursor.
func (s *Service) Suggestions(ctx context.Context, consultationID int64, questionID, codeID int32, after Cursor, limit int) (Page, error) {
	var p Page
	q := db.New(s.Pool)
	cf, err := s.Coding.Codeframe(ctx, consultationID, coding.Frame{QuestionID: questionID})
	if err != nil {
		return p, err
	}
	counts, err := q.PendingSuggestionCounts(ctx, questionID)
	if err != nil {
		return p, fmt.Errorf("autocode: suggestion counts of question %d: %w", questionID, err)
	}
	pending := map[int32]int{}
	for _, c := range counts {
		pending[c.CodeID] = int(c.N)
	}
	rules, err := q.QuestionRules(ctx, &questionID)
	if err != nil {
		return p, fmt.Errorf("autocode: rules of question %d: %w", questionID, err)
	}
	rule := map[int32]string{}
	for _, r := range rules {
		rule[r.CodeID] = r.Query
	}
	if p.Coded, err = q.AutocodeCodedCount(ctx, questionID); err != nil {
		return p, fmt.Errorf("autocode: coded answers of question %d: %w", questionID, err)
	}
	meas, err := s.LatestQuality(ctx, questionID)
	if err != nil && err != ErrNotFound {
		return p, err
	}
	quality := map[int32]*Quality{}
	if meas != nil {
		p.Model, p.Version = meas, meas.Version
		for i := range meas.PerCode {
			if meas.PerCode[i].Positives >= 1 && containsCode(meas.Modelled, meas.PerCode[i].Code) {
				quality[meas.PerCode[i].Code] = &meas.PerCode[i]
			}
		}
	}
	for _, c := range cf.Codes {
		if c.Retired {
			continue
		}
		cs := CodeSummary{ID: c.ID, Key: c.Key, Name: c.Name, Sub: c.ParentID != 0, Pending: pending[c.ID], Rule: rule[c.ID], Quality: quality[c.ID]}
		if meas != nil {
			cs.Precision = meas.Precision[fmt.Sprint(c.ID)]
		}
		p.Codes = append(p.Codes, cs)
	}
	if codeID == 0 {
		return p, nil
	}
	for i := range p.Codes {
		if p.Codes[i].ID == codeID {
			p.Selected = &p.Codes[i]
		}
	}
	if p.Selected == nil {
		return p, ErrNotFound
	}
	if after.ResponseID == 0 {
		after = Cursor{Confidence: math.MaxFloat32, ResponseID: math.MaxInt64}
	}
	rows, err := q.ListSuggestions(ctx, db.ListSuggestionsParams{QuestionID: questionID, CodeID: codeID,
		BeforeConfidence: after.Confidence, BeforeResponse: after.ResponseID, Lim: int32(limit + 1)})
	if err != nil {
		return p, fmt.Errorf("autocode: suggestions of code %d: %w", codeID, err)
	}
	for i, r := range rows {
		if i == limit {
			last := p.Items[len(p.Items)-1]
			p.Next = &Cursor{Confidence: float32(last.Confidence), ResponseID: last.ResponseID}
			break
		}
		p.Items = append(p.Items, Item{ResponseID: r.ResponseID, CodeID: r.CodeID, Text: r.Text, Origin: r.Origin, Version: r.Version,
			Confidence: float64(r.Confidence), Words: r.Words})
	}
	return p, nil
}

func containsCode(codes []int32, c int32) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}

// Examples are the question's training examples as they stand.
func (s *Service) Examples(ctx context.Context, questionID int32) ([]Example, error) {
	rows, err := db.New(s.Pool).AutocodeExamples(ctx, questionID)
	if err != nil {
		return nil, fmt.Errorf("autocode: examples of question %d: %w", questionID, err)
	}
	out := make([]Example, len(rows))
	for i, r := range rows {
		out[i] = Example{ID: r.ResponseID, Text: r.Text, Codes: r.Codes, Rejected: r.Rejected, Coded: r.Coded}
	}
	return out, nil
}

// ForAnswer is one answer's open suggestions, for its coding screen.
func (s *Service) ForAnswer(ctx context.Context, questionID int32, responseID int64) ([]Item, error) {
	rows, err := db.New(s.Pool).AnswerSuggestions(ctx, db.AnswerSuggestionsParams{QuestionID: questionID, ResponseID: responseID})
	if err != nil {
		return nil, fmt.Errorf("autocode: suggestions for response %d: %w", responseID, err)
	}
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = Item{ResponseID: responseID, CodeID: r.CodeID, Origin: r.Origin, Version: r.Version, Confidence: float64(r.Confidence), Words: r.Words}
	}
	return out, nil
}
