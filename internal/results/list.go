package results

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Sort orders of the answer lists, as they appear in URLs.
const (
	SortReceived = "received" // oldest first
	SortLength   = "length"   // longest first
)

// PageSize is how many answers a list page shows.
const PageSize = 20

// CountCap is how far a list counts matches it cannot count from the
// summary tables. Past it the page says "more than 1,000": an exact
// count of an arbitrary filter at a million responses would read every
// matching answer, and nobody pages through a thousand answers without
// narrowing the filter first.
const CountCap = 1000

// ErrPageOutOfRange is a page number past the end of the list.
var ErrPageOutOfRange = errors.New("results: page out of range")

// ListedAnswer is one answer in a list.
type ListedAnswer struct {
	OpenAnswer
	Received time.Time
	// Highlighted is the answer split at search matches (nil without a
	// search: show Text).
	Highlighted []Fragment
	Quote       bool // flagged as worth quoting
}

// AnswerList is one page of a question's answers under a filter.
type AnswerList struct {
	Answers []ListedAnswer
	// Total matches: exact, unless Capped (then "more than CountCap").
	Total  int64
	Capped bool
	// Page numbers from 1; HasNext when a further page exists.
	Page    int
	HasNext bool
}

// ListAnswers returns page (from 1) of q's open answers under f, in
// order sort (SortReceived or SortLength).
func (s *Service) ListAnswers(ctx context.Context, c *consultation.Consultation, q *consultation.Question, f Filter, sort string, page int) (AnswerList, error) {
	if page < 1 {
		return AnswerList{}, ErrPageOutOfRange
	}
	if sort != SortLength {
		sort = SortReceived
	}
	out := AnswerList{Page: page}
	p := listParams(c, q, f)
	err := db.WithTx(ctx, s.Pool, func(tx pgx.Tx, qs *db.Queries) error {
		// Plan each filter combination for itself (see reading.sql).
		if _, err := tx.Exec(ctx, "SET LOCAL plan_cache_mode = force_custom_plan"); err != nil {
			return err
		}
		var err error
		if f.Summarised() {
			groups, channels := f.params()
			out.Total, err = qs.TextAnswerCount(ctx, db.TextAnswerCountParams{ConsultationID: c.ID, QuestionID: q.ID, GroupIds: groups, Channels: channels})
		} else {
			out.Total, err = qs.CountFilteredAnswers(ctx, countParams(p, CountCap+1))
			out.Capped = out.Total > CountCap
			out.Total = min(out.Total, CountCap)
		}
		if err != nil {
			return fmt.Errorf("count: %w", err)
		}
		offset := int64(page-1) * PageSize
		if page > 1 && (offset >= out.Total && !out.Capped) {
			return ErrPageOutOfRange
		}
		p.Sort, p.Few = sort, !out.Capped && out.Total <= CountCap
		p.Skip, p.PageSize = int32(offset), PageSize+1
		rows, err := qs.FilteredAnswers(ctx, p)
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		if len(rows) > PageSize {
			rows, out.HasNext = rows[:PageSize], true
		}
		for _, r := range rows {
			a := ListedAnswer{
				OpenAnswer: OpenAnswer{ResponseID: r.ResponseID, Text: r.Text, Channel: string(r.Channel), Consent: r.PublicationConsent},
				Received:   r.ReceivedAt, Quote: r.QuoteWorthy,
			}
			if r.RespondentGroupID != nil {
				a.GroupID = *r.RespondentGroupID
			}
			if r.OnBehalfOfOrg {
				a.Organisation = r.Organisation
			}
			if f.Text != "" {
				a.Highlighted = fragments(r.Headline)
			}
			out.Answers = append(out.Answers, a)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrPageOutOfRange) {
			return AnswerList{}, err
		}
		return AnswerList{}, fmt.Errorf("results: answers to %s: %w", q.Code, err)
	}
	return out, nil
}

// listParams turns f into the list query's parameters: empty arrays and
// zero values for the filters not set.
func listParams(c *consultation.Consultation, q *consultation.Question, f Filter) db.FilteredAnswersParams {
	groups, channels := f.params()
	p := db.FilteredAnswersParams{
		ConsultationID: c.ID, QuestionID: q.ID,
		FilterGroups: len(f.GroupIDs) > 0, GroupIds: groups, Channels: channels,
		EventIds: nonNil(f.EventIDs), Respondent: f.Respondent,
		Search: f.Text, CodeIds: nonNil(f.CodeIDs), Coding: f.Coding, Quote: f.Quote,
		Answer1Options: []int32{}, Answer2Options: []int32{}, Answer3Options: []int32{},
		AnswerQuestionIds: []int32{}, AnswerPairs: []int64{},
	}
	for _, g := range f.GroupIDs {
		if g == 0 {
			p.UnknownGroup = true
		}
	}
	p.Words, p.Variants = spellingVariants(f.Text)
	if !f.From.IsZero() {
		p.ReceivedFrom = &f.From
	}
	if b := f.Before(); !b.IsZero() {
		p.ReceivedBefore = &b
	}
	for i, a := range f.Answers {
		switch i {
		case 0:
			p.Answer1Question, p.Answer1Options = a.Question.ID, a.OptionIDs
		case 1:
			p.Answer2Question, p.Answer2Options = a.Question.ID, a.OptionIDs
		case 2:
			p.Answer3Question, p.Answer3Options = a.Question.ID, a.OptionIDs
		default:
			p.AnswerQuestionIds = append(p.AnswerQuestionIds, a.Question.ID)
			for _, o := range a.OptionIDs {
				p.AnswerPairs = append(p.AnswerPairs, int64(a.Question.ID)<<32+int64(o))
			}
		}
	}
	return p
}

// countParams is the same filter for CountFilteredAnswers.
func countParams(p db.FilteredAnswersParams, limit int) db.CountFilteredAnswersParams {
	return db.CountFilteredAnswersParams{
		QuestionID: p.QuestionID, ConsultationID: p.ConsultationID,
		FilterGroups: p.FilterGroups, GroupIds: p.GroupIds, UnknownGroup: p.UnknownGroup, Channels: p.Channels,
		EventIds: p.EventIds, Respondent: p.Respondent, ReceivedFrom: p.ReceivedFrom, ReceivedBefore: p.ReceivedBefore,
		Answer1Question: p.Answer1Question, Answer1Options: p.Answer1Options,
		Answer2Question: p.Answer2Question, Answer2Options: p.Answer2Options,
		Answer3Question: p.Answer3Question, Answer3Options: p.Answer3Options,
		AnswerQuestionIds: p.AnswerQuestionIds, AnswerPairs: p.AnswerPairs,
		Search: p.Search, Words: p.Words, Variants: p.Variants,
		CodeIds: p.CodeIds, Coding: p.Coding, Quote: p.Quote, Cap: int32(limit),
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Code is a code a list can be filtered by.
type Code struct {
	ID         int32
	Code, Name string
}

// FrameCodes returns the codes in use in the codeframe of a question
// (themeID 0) or of a theme (questionID 0).
func (s *Service) FrameCodes(ctx context.Context, questionID, themeID int32) ([]Code, error) {
	rows, err := db.New(s.Pool).FrameCodes(ctx, db.FrameCodesParams{QuestionID: &questionID, ThemeID: &themeID})
	if err != nil {
		return nil, fmt.Errorf("results: codes: %w", err)
	}
	out := make([]Code, len(rows))
	for i, r := range rows {
		out[i] = Code{ID: r.ID, Code: r.Code, Name: r.Name}
	}
	return out, nil
}
