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
		// One read counts (up to the cap) and, for the first fifty pages,
		// holds the page too.
		offset := int64(page-1) * PageSize
		p.Lim = CountCap + 1
		keys, err := qs.ThemeSegmentKeys(ctx, p)
		if err != nil {
			return fmt.Errorf("keys: %w", err)
		}
		n := int64(len(keys))
		out.Total, out.Capped = min(n, CountCap), n > CountCap
		if page > 1 && offset >= out.Total && !out.Capped {
			return ErrPageOutOfRange
		}
		if offset+PageSize+1 <= n {
			keys = keys[offset : offset+PageSize+1]
		} else if offset < n && !out.Capped {
			keys = keys[offset:]
		} else {
			p.Skip, p.Lim = int32(offset), PageSize+1
			if keys, err = qs.ThemeSegmentKeys(ctx, p); err != nil {
				return fmt.Errorf("list: %w", err)
			}
		}
		if len(keys) > PageSize {
			keys, out.HasNext = keys[:PageSize], true
		}
		rows, err := segmentsByID(ctx, qs, p, keys)
		if err != nil {
			return err
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

// segmentsByID reads the segments of keys, in the keys' order.
func segmentsByID(ctx context.Context, qs *db.Queries, p db.ThemeSegmentKeysParams, keys []db.ThemeSegmentKeysRow) ([]db.SegmentsByIDRow, error) {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.SegmentID
	}
	rows, err := qs.SegmentsByID(ctx, db.SegmentsByIDParams{
		Search: p.Search, Words: p.Words, Variants: p.Variants, SegmentIds: ids, ConsultationID: p.ConsultationID,
	})
	if err != nil {
		return nil, fmt.Errorf("page: %w", err)
	}
	byID := map[int64]db.SegmentsByIDRow{}
	for _, r := range rows {
		byID[r.SegmentID] = r
	}
	out := make([]db.SegmentsByIDRow, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
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
	p.Skip, p.Lim = int32(max(at-2, 0)), 3
	if at == 1 {
		p.Lim = 2
	}
	rows, err := db.New(s.Pool).ThemeSegmentKeys(ctx, p)
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

func segmentParams(c *consultation.Consultation, t *consultation.Theme, f Filter, sort string) db.ThemeSegmentKeysParams {
	l := listParams(c, &consultation.Question{}, f)
	_, channels := f.params()
	if sort != SortLength {
		sort = SortReceived
	}
	return db.ThemeSegmentKeysParams{
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
