package results

import (
	"context"
	"fmt"
	"time"

	"heard/internal/consultation"
	"heard/internal/db"
)

// sqlFilter is a Filter as the parameters every filtered query takes.
type sqlFilter struct {
	groups   []int32
	channels []string
	events   []int64
	resp     string
	from     time.Time
	before   time.Time
	pairs    []int64
}

// farFuture stands for "no end date" in queries.
var farFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func (f Filter) sql() sqlFilter {
	p := sqlFilter{resp: f.Respondent, from: f.From, before: f.Before(), events: f.EventIDs, pairs: []int64{}}
	p.groups, p.channels = f.params()
	if p.events == nil {
		p.events = []int64{}
	}
	if p.before.IsZero() {
		p.before = farFuture
	}
	for _, a := range f.Answers {
		p.pairs = append(p.pairs, a.pairs()...)
	}
	return p
}

// filteredCounts counts c under f straight from the responses and
// answers that match it (FilteredAnswerCounts): the reference the tests
// compare the summaries and response_facts with (OneByOne); pages never
// take this path.
func (s *Service) filteredCounts(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	p := f.sql()
	rows, err := db.New(s.Pool).FilteredAnswerCounts(ctx, db.FilteredAnswerCountsParams{
		ConsultationID: c.ID, GroupIds: p.groups, Channels: p.channels, EventIds: p.events,
		Respondent: p.resp, ReceivedFrom: p.from, ReceivedBefore: p.before, AnswerPairs: p.pairs,
		Campaigns: f.Campaigns,
	})
	if err != nil {
		return nil, fmt.Errorf("results: filtered counts for %s: %w", c.Slug, err)
	}
	t := &Table{Consultation: c, Filter: f}
	for _, r := range rows {
		cell := Count{QuestionID: r.QuestionID, OptionID: r.OptionID, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N}
		if r.IsResponse {
			cell.QuestionID = 0
			t.Responses = append(t.Responses, cell)
		} else {
			t.Answers = append(t.Answers, cell)
		}
	}
	return t, nil
}
