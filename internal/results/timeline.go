package results

import (
	"context"
	"fmt"
	"time"

	"heard/internal/db"
	"heard/internal/ingest"
)

// Day is one day's responses, by channel (in ingest.Channels order).
type Day struct {
	Date      time.Time
	ByChannel []int64
	Total     int64
	// Withheld replaces Total (and ByChannel) when set.
	Withheld string
}

// Timeline is responses per day across the consultation period.
type Timeline struct {
	Channels []string // empty for protected readers: totals only
	Days     []Day
	Max      int64
	// Withheld explains why there is no timeline.
	Withheld string
}

// Timeline counts responses per day received, from the day the
// consultation opened (or the first response, if earlier) to the day it
// closed (or the last response). Protected readers see daily totals
// only, unfiltered, with small days pooled (suppress.go).
func (s *Service) Timeline(ctx context.Context, t *Table) (Timeline, error) {
	c := t.Consultation
	var tl Timeline
	if t.Protected() && t.Filter.Active() {
		tl.Withheld = CrossWithheldText
		return tl, nil
	}
	rows, err := s.perDay(ctx, t)
	if err != nil {
		return tl, err
	}
	from, to := c.OpensOn, c.ClosesOn
	for _, r := range rows {
		if r.Day.Before(from) {
			from = r.Day
		}
		if r.Day.After(to) {
			to = r.Day
		}
	}
	idx := map[string]int{}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		idx[d.Format(time.DateOnly)] = len(tl.Days)
		tl.Days = append(tl.Days, Day{Date: d, ByChannel: make([]int64, len(ingest.Channels))})
	}
	chIdx := map[string]int{}
	for i, ch := range ingest.Channels {
		chIdx[ch] = i
	}
	for _, r := range rows {
		d := &tl.Days[idx[r.Day.Format(time.DateOnly)]]
		d.ByChannel[chIdx[string(r.Channel)]] += r.N
		d.Total += r.N
	}
	if !t.Protected() {
		tl.Channels = ingest.Channels
	} else {
		m := make([][]int64, len(tl.Days))
		for i, d := range tl.Days {
			m[i] = []int64{d.Total}
		}
		g := newGuard(m, t.Policy.Threshold)
		for i := range tl.Days {
			d := &tl.Days[i]
			d.ByChannel = nil
			one := make([]bool, len(tl.Days))
			one[i] = true
			if w := g.withhold(t.Policy, -1, d.Total); w != "" {
				d.Total, d.Withheld = 0, w
			} else if !g.released(one) {
				d.Total, d.Withheld = 0, WithheldText
			}
		}
	}
	for _, d := range tl.Days {
		tl.Max = max(tl.Max, d.Total)
	}
	return tl, nil
}

// perDay reads responses per day and channel: from the summary tables
// for groups, channels, organisation or individual, dates and one answer
// (response_days, answer_days), from the responses for the others.
func (s *Service) perDay(ctx context.Context, t *Table) ([]db.ResponsesPerDayRow, error) {
	c := t.Consultation
	p := t.Filter.sql()
	if base := t.Filter.withoutCampaigns(); t.Filter.Campaigns != "" && s.qs == nil && !s.oneByOne && (base.Summarised() || base.timelined()) {
		return s.perDayLeavingOut(ctx, t, base)
	}
	if t.Filter.Summarised() && !(s.oneByOne && t.Filter.Active()) {
		rows, err := s.queries().ResponseDays(ctx, db.ResponseDaysParams{ConsultationID: c.ID, GroupIds: p.groups, Channels: p.channels})
		if err != nil {
			return nil, fmt.Errorf("results: responses per day for %s: %w", c.Slug, err)
		}
		out := make([]db.ResponsesPerDayRow, len(rows))
		for i, r := range rows {
			out[i] = db.ResponsesPerDayRow(r)
		}
		return out, nil
	}
	if t.Filter.timelined() && !s.oneByOne {
		return s.dayTimeline(ctx, c, t.Filter)
	}
	if !s.oneByOne {
		return s.factDays(ctx, c, t.Filter, nil)
	}
	rows, err := db.New(s.Pool).ResponsesPerDay(ctx, db.ResponsesPerDayParams{
		ConsultationID: c.ID, GroupIds: p.groups, Channels: p.channels, EventIds: p.events,
		Respondent: p.resp, ReceivedFrom: p.from, ReceivedBefore: p.before, AnswerPairs: p.pairs,
		Campaigns: t.Filter.Campaigns,
	})
	if err != nil {
		return nil, fmt.Errorf("results: responses per day for %s: %w", c.Slug, err)
	}
	return rows, nil
}
