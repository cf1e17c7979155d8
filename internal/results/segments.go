package results

import (
	"context"
	"errors"
	"fmt"

	"heard/internal/consultation"
	"heard/internal/db"
)

// ListSegments returns page (from 1) of the letter segments attributed
// to theme t under f, like ListAnswers does for a question's answers.
func (s *Service) ListSegments(ctx context.Context, c *consultation.Consultation, t *consultation.Theme, f Filter, sort string, page int) (AnswerList, error) {
	if page < 1 {
		return AnswerList{}, ErrPageOutOfRange
	}
	if page > MaxPage {
		return AnswerList{}, ErrPageTooDeep
	}
	out := AnswerList{Page: page}
	p := segmentParams(c, t, f, sort)
	err := s.listTx(ctx, func(qs *db.Queries) error {
		n, err := qs.CountThemeSegments(ctx, countSegmentParams(p, CountCap+1))
		if err != nil {
			return fmt.Errorf("count: %w", err)
		}
		out.Total, out.Capped = min(n, CountCap), n > CountCap
		offset := int64(page-1) * PageSize
		if page > 1 && offset >= out.Total && !out.Capped {
			return ErrPageOutOfRange
		}
		p.Skip, p.PageSize = int32(offset), PageSize+1
		rows, err := qs.ThemeSegments(ctx, p)
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		if len(rows) > PageSize {
			rows, out.HasNext = rows[:PageSize], true
		}
		for _, r := range rows {
			a := ListedAnswer{
				OpenAnswer: OpenAnswer{ResponseID: r.ResponseID, Text: r.Text, Channel: string(r.Channel)},
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
		return AnswerList{}, fmt.Errorf("results: segments on theme %s: %w", t.Slug, err)
	}
	return out, nil
}

// SegmentNeighbours returns the responses before and after position at
// in theme t's list under f and sort: 0 where there is none.
func (s *Service) SegmentNeighbours(ctx context.Context, c *consultation.Consultation, t *consultation.Theme, f Filter, sort string, at int) (prev, next int64, err error) {
	if at < 1 {
		return 0, 0, nil
	}
	p := segmentParams(c, t, f, sort)
	p.Skip, p.PageSize = int32(max(at-2, 0)), 3
	if at == 1 {
		p.PageSize = 2
	}
	rows, err := db.New(s.Pool).ThemeSegments(ctx, p)
	if err != nil {
		return 0, 0, fmt.Errorf("results: neighbours on theme %s: %w", t.Slug, err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ResponseID
	}
	return neighbours(ids, at)
}

// neighbours picks the previous and next ids from the rows around
// position at (rows start at at-1, or at at for the first).
func neighbours(ids []int64, at int) (prev, next int64, err error) {
	if at > 1 && len(ids) > 0 {
		prev, ids = ids[0], ids[1:]
	}
	if len(ids) > 1 {
		next = ids[1]
	}
	return prev, next, nil
}

func segmentParams(c *consultation.Consultation, t *consultation.Theme, f Filter, sort string) db.ThemeSegmentsParams {
	l := listParams(c, &consultation.Question{}, f)
	_, channels := f.params()
	if sort != SortLength {
		sort = SortReceived
	}
	return db.ThemeSegmentsParams{
		ThemeID: &t.ID, ConsultationID: c.ID, Sort: sort,
		FilterGroups: l.FilterGroups, GroupIds: l.GroupIds, UnknownGroup: l.UnknownGroup, Channels: channels,
		EventIds: l.EventIds, Respondent: l.Respondent, ReceivedFrom: l.ReceivedFrom, ReceivedBefore: l.ReceivedBefore,
		Answer1Question: l.Answer1Question, Answer1Options: l.Answer1Options,
		Answer2Question: l.Answer2Question, Answer2Options: l.Answer2Options,
		Answer3Question: l.Answer3Question, Answer3Options: l.Answer3Options,
		AnswerQuestionIds: l.AnswerQuestionIds, AnswerPairs: l.AnswerPairs,
		Search: l.Search, Words: l.Words, Variants: l.Variants,
		CodeIds: l.CodeIds, Coding: l.Coding, Quote: l.Quote,
	}
}

func countSegmentParams(p db.ThemeSegmentsParams, limit int) db.CountThemeSegmentsParams {
	return db.CountThemeSegmentsParams{
		ThemeID: p.ThemeID, ConsultationID: p.ConsultationID,
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
