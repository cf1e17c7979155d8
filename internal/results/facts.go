package results

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// factFilter is f as the filter block of the response_facts queries
// (db/queries/facts.sql).
// With dropped set, only those responses count (see countsLeavingOut).
func (f Filter) factFilter(c *consultation.Consultation, dropped []int64) db.FactCountsParams {
	groups, channels := f.params()
	from, to := f.dayRange()
	p := db.FactCountsParams{ConsultationID: c.ID, GroupIds: groups, Channels: channels, EventIds: nonNil(f.EventIDs),
		Respondent: f.Respondent, FromDay: from, ToDay: to, Campaigns: f.Campaigns,
		Answer1Pairs: []int64{}, Answer2Pairs: []int64{}, Answer3Pairs: []int64{}, AnswerPairs: []int64{},
		DroppedOnly: dropped != nil, DroppedIds: nonNil(dropped)}
	for i, a := range f.Answers {
		switch i {
		case 0:
			p.Answer1Pairs = a.pairs()
		case 1:
			p.Answer2Pairs = a.pairs()
		case 2:
			p.Answer3Pairs = a.pairs()
		default:
			p.AnswerQuestions++
			p.AnswerPairs = append(p.AnswerPairs, a.pairs()...)
		}
	}
	return p
}

// pairs are a's answers as response_facts keeps them: question_id *
// 2^32 + option_id.
func (a AnswerFilter) pairs() []int64 {
	out := make([]int64, 0, len(a.OptionIDs))
	for _, o := range a.OptionIDs {
		out = append(out, int64(a.Question.ID)<<32+int64(o))
	}
	return out
}

// factTx runs fn in a read transaction planned per filter combination
// (plan_cache_mode = force_custom_plan: the filters switched off fold
// away, as for the lists), with index probes priced as the cached reads
// they are.
func (s *Service) factTx(ctx context.Context, fn func(*db.Queries) error) error {
	if s.qs != nil { // already in a snapshot set up the same way
		return fn(s.qs)
	}
	return db.WithTx(ctx, s.Pool, func(tx pgx.Tx, qs *db.Queries) error {
		for _, set := range []string{
			"SET TRANSACTION READ ONLY",
			"SET LOCAL plan_cache_mode = force_custom_plan",
			"SET LOCAL random_page_cost = 1.1",
		} {
			if _, err := tx.Exec(ctx, set); err != nil {
				return err
			}
		}
		return fn(qs)
	})
}

// inMemory reports whether a count from response_facts is made from the
// copy in memory (memfacts.go): always, but for the campaign members
// read inside another snapshot (campaigns.go), a few rows by id, which
// the SQL counts as fast and in that snapshot, and (SQLUntilWarm) while
// c's copy is still being read (memwarm.go).
func (s *Service) inMemory(c *consultation.Consultation, dropped []int64) bool {
	return dropped == nil && s.qs == nil && !s.sqlFacts && s.memReady(c)
}

// factCounts counts c under f response by response, from response_facts.
func (s *Service) factCounts(ctx context.Context, c *consultation.Consultation, f Filter, dropped []int64) (*Table, error) {
	if s.inMemory(c, dropped) {
		return s.memCounts(ctx, c, f)
	}
	var rows []db.FactCountsRow
	err := s.factTx(ctx, func(qs *db.Queries) error {
		var err error
		rows, err = qs.FactCounts(ctx, f.factFilter(c, dropped))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("results: filtered counts for %s: %w", c.Slug, err)
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

// factCross is pairedCross for filters answer_pairs does not keep.
func (s *Service) factCross(ctx context.Context, c *consultation.Consultation, f Filter, q *consultation.Question, by []*consultation.Question, dropped []int64) (crossCounts, error) {
	if s.inMemory(c, dropped) {
		return s.memCross(ctx, c, f, q, by)
	}
	ids := []int32{q.ID}
	for _, b := range by {
		ids = append(ids, b.ID)
	}
	p := f.factFilter(c, dropped)
	var rows []db.FactCrossRow
	err := s.factTx(ctx, func(qs *db.Queries) error {
		var err error
		rows, err = qs.FactCross(ctx, db.FactCrossParams{ByQuestionIds: ids, QuestionID: q.ID, ConsultationID: p.ConsultationID,
			GroupIds: p.GroupIds, Channels: p.Channels, EventIds: p.EventIds, Respondent: p.Respondent, FromDay: p.FromDay, ToDay: p.ToDay,
			Answer1Pairs: p.Answer1Pairs, Answer2Pairs: p.Answer2Pairs, Answer3Pairs: p.Answer3Pairs,
			AnswerQuestions: p.AnswerQuestions, AnswerPairs: p.AnswerPairs, Campaigns: p.Campaigns,
			DroppedOnly: p.DroppedOnly, DroppedIds: p.DroppedIds})
		return err
	})
	if err != nil {
		return crossCounts{}, fmt.Errorf("results: %s compared: %w", q.Code, err)
	}
	pr := make([]db.PairCrossRow, len(rows))
	for i, r := range rows {
		pr[i] = db.PairCrossRow(r)
	}
	return toCross(q, pr), nil
}

// factDays is responses per day and channel under f, from response_facts.
func (s *Service) factDays(ctx context.Context, c *consultation.Consultation, f Filter, dropped []int64) ([]db.ResponsesPerDayRow, error) {
	if s.inMemory(c, dropped) {
		return s.memDays(ctx, c, f)
	}
	var rows []db.FactDaysRow
	err := s.factTx(ctx, func(qs *db.Queries) error {
		var err error
		rows, err = qs.FactDays(ctx, db.FactDaysParams(f.factFilter(c, dropped)))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("results: responses per day for %s: %w", c.Slug, err)
	}
	out := make([]db.ResponsesPerDayRow, len(rows))
	for i, r := range rows {
		out[i] = db.ResponsesPerDayRow(r)
	}
	return out, nil
}
