package results

import (
	"context"
	"fmt"
	"time"

	"heard/internal/consultation"
	"heard/internal/db"
)

// paired reports whether the answer_pairs summary (migrations/000019)
// counts f exactly: one answer filter (any of its options), with groups,
// channels and organisation or individual. With received dates it is
// pairDayed; anything else that narrows responses (events, campaigns, a
// second answer filter) is counted response by response (factCounts).
func (f Filter) paired() bool {
	return len(f.Answers) == 1 && len(f.EventIDs) == 0 && f.From.IsZero() && f.To.IsZero() &&
		f.Text == "" && !f.coded() && f.Campaigns == ""
}

// pairDayed reports whether the answer_pair_days summary (migrations/
// 000031) counts f exactly: one answer filter with received dates (and
// groups, channels, organisation or individual). Without dates, paired
// reads the smaller answer_pairs.
func (f Filter) pairDayed() bool {
	g := f
	g.From, g.To = time.Time{}, time.Time{}
	return g.paired() && !f.paired()
}

// crossPaired reports whether the compare page's crosses (by
// organisation, by each equality question) can be read from answer_pairs
// under f: groups, channels and organisation or individual only.
func (f Filter) crossPaired() bool {
	return len(f.Answers) == 0 && len(f.EventIDs) == 0 && f.From.IsZero() && f.To.IsZero() &&
		f.Text == "" && !f.coded() && f.Campaigns == ""
}

// pairedCounts counts c under a paired filter from the summary.
func (s *Service) pairedCounts(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	groups, channels := f.params()
	a := f.Answers[0]
	rows, err := s.queries().PairAnswerCounts(ctx, db.PairAnswerCountsParams{
		ConsultationID: c.ID, ByQuestionID: a.Question.ID, ByOptionIds: a.OptionIDs,
		GroupIds: groups, Channels: channels, Respondent: f.Respondent,
	})
	if err != nil {
		return nil, fmt.Errorf("results: counts for %s answered %s: %w", c.Slug, a.Question.Code, err)
	}
	t := &Table{Consultation: c, Filter: f}
	for _, r := range rows {
		cell := Count{QuestionID: r.QuestionID, OptionID: r.OptionID, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N}
		if r.QuestionID == 0 {
			t.Responses = append(t.Responses, cell)
		} else {
			t.Answers = append(t.Answers, cell)
		}
	}
	return t, nil
}

// crossCounts is q's answers crossed with organisation or individual
// (org[true] for organisations) and with each question in by
// (byAnswer[question][option][q's option]), under f (crossPaired).
type crossCounts struct {
	org      map[bool]map[int32]int64
	byAnswer map[int32]map[int32]map[int32]int64
}

func (s *Service) pairedCross(ctx context.Context, c *consultation.Consultation, f Filter, q *consultation.Question, by []*consultation.Question) (crossCounts, error) {
	groups, channels := f.params()
	ids := []int32{q.ID}
	for _, b := range by {
		ids = append(ids, b.ID)
	}
	rows, err := s.queries().PairCross(ctx, db.PairCrossParams{
		ConsultationID: c.ID, QuestionID: q.ID, ByQuestionIds: ids,
		GroupIds: groups, Channels: channels, Respondent: f.Respondent,
	})
	if err != nil {
		return crossCounts{}, fmt.Errorf("results: %s compared: %w", q.Code, err)
	}
	return toCross(q, rows), nil
}

// pairDayCounts counts c under a pairDayed filter from the summary.
func (s *Service) pairDayCounts(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	groups, channels := f.params()
	from, to := f.dayRange()
	a := f.Answers[0]
	rows, err := s.queries().PairDayAnswerCounts(ctx, db.PairDayAnswerCountsParams{
		ConsultationID: c.ID, ByQuestionID: a.Question.ID, ByOptionIds: a.OptionIDs, FromDay: from, ToDay: to,
		GroupIds: groups, Channels: channels, Respondent: f.Respondent,
	})
	if err != nil {
		return nil, fmt.Errorf("results: counts for %s answered %s, by day: %w", c.Slug, a.Question.Code, err)
	}
	t := &Table{Consultation: c, Filter: f}
	for _, r := range rows {
		cell := Count{QuestionID: r.QuestionID, OptionID: r.OptionID, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N}
		if r.QuestionID == 0 {
			t.Responses = append(t.Responses, cell)
		} else {
			t.Answers = append(t.Answers, cell)
		}
	}
	return t, nil
}

// toCross gathers PairCross rows (or FactCross rows, the same shape).
func toCross(q *consultation.Question, rows []db.PairCrossRow) crossCounts {
	x := crossCounts{org: map[bool]map[int32]int64{true: {}, false: {}}, byAnswer: map[int32]map[int32]map[int32]int64{}}
	for _, r := range rows {
		if r.ByQuestionID == q.ID {
			if r.ByOptionID == r.OptionID { // a response has one answer per question
				x.org[r.Org][r.OptionID] += r.N
			}
			continue
		}
		m := x.byAnswer[r.ByQuestionID]
		if m == nil {
			m = map[int32]map[int32]int64{}
			x.byAnswer[r.ByQuestionID] = m
		}
		if m[r.ByOptionID] == nil {
			m[r.ByOptionID] = map[int32]int64{}
		}
		m[r.ByOptionID][r.OptionID] += r.N
	}
	return x
}
