package results

import (
	"slices"

	"heard/internal/consultation"
	"heard/internal/ingest"
)

// Share is a count with its percentage of a stated total.
type Share struct {
	Slug    string
	Label   string
	N       int64
	Percent int64
	NoView  bool
	// Withheld, when set, is what shows instead of N and Percent (both
	// zero): "fewer than 10" or "withheld". See suppress.go.
	Withheld string
}

func share(slug, label string, n, total int64) Share {
	return Share{Slug: slug, Label: label, N: n, Percent: Percent(n, total)}
}

// Overview is the consultation's response totals.
type Overview struct {
	Total     int64
	ByGroup   []Share // of Total; includes "Group not known" when any
	ByChannel []Share // of Total
	// Withheld explains why nothing is shown; the others why one
	// breakdown is not (protected views only).
	Withheld, ByGroupWithheld, ByChannelWithheld string
}

// Overview totals responses by group and by channel.
func (t *Table) Overview() Overview {
	var o Overview
	byGroup := map[int32]int64{}
	byChannel := map[string]int64{}
	for _, r := range t.Responses {
		o.Total += r.N
		byGroup[r.GroupID] += r.N
		byChannel[r.Channel] += r.N
	}
	for _, g := range t.Consultation.Groups {
		if len(t.Filter.GroupIDs) == 0 || slices.Contains(t.Filter.GroupIDs, g.ID) {
			o.ByGroup = append(o.ByGroup, share(g.Slug, g.Label, byGroup[g.ID], o.Total))
		}
	}
	if n := byGroup[0]; n > 0 {
		o.ByGroup = append(o.ByGroup, share("", "Group not known", n, o.Total))
	}
	for _, ch := range ingest.Channels {
		if len(t.Filter.Channels) == 0 || slices.Contains(t.Filter.Channels, ch) {
			o.ByChannel = append(o.ByChannel, share(ch, ChannelLabel(ch), byChannel[ch], o.Total))
		}
	}
	if t.Protected() {
		return t.protectOverview(o)
	}
	return o
}

// QuestionResult is one question's figures.
type QuestionResult struct {
	Question *consultation.Question
	// Responses is how many responses are in scope; Answered how many of
	// them answered this question; NotAnswered the rest.
	Responses, Answered, NotAnswered int64
	// Options: each option's count as a percentage of Answered (closed
	// and demographic questions only).
	Options []Share
	// Combinations such as "Fully or mostly", of Answered.
	Combinations []Share
	// Channels the answers came through (those with any answers; for
	// protected readers only those whose count could be shown, and
	// ChannelsNote says so).
	Channels     []string
	ChannelsNote string
	// Withheld, when set, explains why no figures are shown.
	Withheld string
}

// Question computes the figures of q, protected when t is.
func (t *Table) Question(q *consultation.Question) QuestionResult {
	r := t.exactQuestion(q)
	if t.Protected() {
		return t.protectQuestion(q, r)
	}
	return r
}

func (t *Table) exactQuestion(q *consultation.Question) QuestionResult {
	r := QuestionResult{Question: q}
	byOption := map[int32]int64{}
	byChannel := map[string]int64{}
	for _, c := range t.Answers {
		if c.QuestionID != q.ID {
			continue
		}
		r.Answered += c.N
		byOption[c.OptionID] += c.N
		byChannel[c.Channel] += c.N
	}
	for _, c := range t.Responses {
		r.Responses += c.N
	}
	r.NotAnswered = r.Responses - r.Answered
	for _, ch := range ingest.Channels {
		if byChannel[ch] > 0 {
			r.Channels = append(r.Channels, ch)
		}
	}
	if q.Scale == nil {
		return r
	}
	for _, o := range q.Scale.Options {
		s := share(o.Slug, o.Label, byOption[o.ID], r.Answered)
		s.NoView = o.NoView
		r.Options = append(r.Options, s)
	}
	for _, cb := range q.Scale.Combinations {
		var n int64
		for _, id := range cb.OptionIDs {
			n += byOption[id]
		}
		r.Combinations = append(r.Combinations, share(cb.Slug, cb.Label, n, r.Answered))
	}
	return r
}
