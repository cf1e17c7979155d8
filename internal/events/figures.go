package events

import (
	"context"
	"fmt"
	"time"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/results"
)

// Counts returns event id's own counts as a results.Table, so its
// percentages and combinations follow the same rules as every results
// page. They are counted from the event's responses (hundreds at most,
// found through an index), because the summary tables behind the
// consultation's figures are not kept per event.
func (s *Service) Counts(ctx context.Context, c *consultation.Consultation, id int64) (*results.Table, error) {
	q := db.New(s.Pool)
	ans, err := q.EventAnswerCounts(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("events: answer counts of %d: %w", id, err)
	}
	resp, err := q.EventResponseCounts(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("events: response counts of %d: %w", id, err)
	}
	t := &results.Table{Consultation: c, Filter: results.Filter{Channels: []string{"event"}}}
	for _, r := range ans {
		t.Answers = append(t.Answers, results.Count{QuestionID: r.QuestionID, OptionID: r.OptionID, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N})
	}
	for _, r := range resp {
		t.Responses = append(t.Responses, results.Count{GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N})
	}
	return t, nil
}

// Response is one response taken at an event, with its answers.
type Response struct {
	ID           int64
	Group        string // the group's label, or "Group not known"
	Organisation string
	ReceivedAt   time.Time
	Imported     bool // from a CSV/XLSX file rather than the entry screen
	Answers      []Answer
}

// Answer is one answer of a Response, as people read it.
type Answer struct {
	Code, Value string
}

// Responses returns up to limit of event id's responses after response
// id after, and whether there are more.
func (s *Service) Responses(ctx context.Context, c *consultation.Consultation, id, after int64, limit int) ([]Response, bool, error) {
	q := db.New(s.Pool)
	rows, err := q.EventResponses(ctx, db.EventResponsesParams{EventID: id, After: after, PageSize: int32(limit + 1)})
	if err != nil {
		return nil, false, fmt.Errorf("events: responses of %d: %w", id, err)
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	answers, err := q.ResponseAnswers(ctx, ids)
	if err != nil {
		return nil, false, fmt.Errorf("events: answers of event %d: %w", id, err)
	}
	options := map[int32]string{}
	for _, qu := range c.Questions {
		if qu.Scale != nil {
			for _, o := range qu.Scale.Options {
				options[o.ID] = o.Label
			}
		}
	}
	values := map[int64]map[int32]string{}
	for _, a := range answers {
		if values[a.ResponseID] == nil {
			values[a.ResponseID] = map[int32]string{}
		}
		if a.Text != nil {
			values[a.ResponseID][a.QuestionID] = *a.Text
		} else if a.OptionID != nil {
			values[a.ResponseID][a.QuestionID] = options[*a.OptionID]
		}
	}
	groups := map[int32]string{}
	for _, g := range c.Groups {
		groups[g.ID] = g.Label
	}
	out := make([]Response, len(rows))
	for i, r := range rows {
		out[i] = Response{ID: r.ID, Group: "Group not known", ReceivedAt: r.ReceivedAt, Imported: r.BatchID != nil}
		// In the consultation's order of questions, not the order of ids.
		for _, qu := range c.Questions {
			if v, ok := values[r.ID][qu.ID]; ok {
				out[i].Answers = append(out[i].Answers, Answer{Code: qu.Code, Value: v})
			}
		}
		if r.RespondentGroupID != nil {
			out[i].Group = groups[*r.RespondentGroupID]
		}
		if r.OnBehalfOfOrg {
			out[i].Organisation = r.Organisation
		}
	}
	return out, more, nil
}
