package results

import (
	"context"
	"fmt"
	"time"

	"heard/internal/consultation"
	"heard/internal/db"
)

// dayed reports whether the answer_days summary (migrations/000028)
// counts f exactly: organisation or individual and received dates, with
// groups and channels. Events, answers and campaigns narrow responses
// the summary does not keep.
func (f Filter) dayed() bool {
	return len(f.EventIDs) == 0 && len(f.Answers) == 0 && f.Text == "" && !f.coded() && f.Campaigns == ""
}

// timelined reports whether responses per day under f can be read from
// answer_days: as dayed, or with one answer filter (responses who gave
// one of its options are that question's answers with those options).
func (f Filter) timelined() bool {
	g := f
	g.Answers = nil
	return g.dayed() && len(f.Answers) <= 1
}

// daysSince is the calendar date t shows (in t's own location: callers
// say which) as days after the date of epoch. It works from Unix seconds,
// not a Duration, which overflows for the open ends of a date range
// (year 1 and 9999).
func daysSince(epoch, t time.Time) int64 {
	y, m, d := t.Date()
	ey, em, ed := epoch.Date()
	return (time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() - time.Date(ey, em, ed, 0, 0, 0, 0, time.UTC).Unix()) / 86400
}

// dayRange is f's received dates as the days answer_days keeps
// (inclusive), open ends as far as dates go.
func (f Filter) dayRange() (time.Time, time.Time) {
	from, to := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), farFuture
	if !f.From.IsZero() {
		from = f.From
	}
	if !f.To.IsZero() {
		to = f.To
	}
	return from, to
}

// dayCounts counts c under a dayed filter from the summary.
func (s *Service) dayCounts(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	groups, channels := f.params()
	from, to := f.dayRange()
	rows, err := s.queries().DayAnswerCounts(ctx, db.DayAnswerCountsParams{
		ConsultationID: c.ID, FromDay: from, ToDay: to, GroupIds: groups, Channels: channels, Respondent: f.Respondent,
	})
	if err != nil {
		return nil, fmt.Errorf("results: counts for %s by day: %w", c.Slug, err)
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

// dayTimeline reads responses per day under a timelined filter.
func (s *Service) dayTimeline(ctx context.Context, c *consultation.Consultation, f Filter) ([]db.ResponsesPerDayRow, error) {
	groups, channels := f.params()
	from, to := f.dayRange()
	p := db.DayTimelineParams{ConsultationID: c.ID, OptionIds: []int32{0}, FromDay: from, ToDay: to,
		GroupIds: groups, Channels: channels, Respondent: f.Respondent}
	if len(f.Answers) == 1 {
		p.QuestionID, p.OptionIds = f.Answers[0].Question.ID, f.Answers[0].OptionIDs
	}
	rows, err := s.queries().DayTimeline(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("results: responses per day for %s: %w", c.Slug, err)
	}
	out := make([]db.ResponsesPerDayRow, len(rows))
	for i, r := range rows {
		out[i] = db.ResponsesPerDayRow(r)
	}
	return out, nil
}
