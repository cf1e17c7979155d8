package results

import (
	"context"
	"slices"

	"heard/internal/consultation"
	"heard/internal/ingest"
)

// View returns the counts of c under f as someone with policy p may see
// them. For exact policies it is Counts. Otherwise the unfiltered counts
// are read (through the same aggregation path) and filtered here, so the
// protection can look at every value of the filtered dimension; a filter
// on more than one dimension is refused with ErrCombinedFilter.
func (s *Service) View(ctx context.Context, c *consultation.Consultation, f Filter, p Policy) (*Table, error) {
	if p.Exact() {
		t, err := s.Counts(ctx, c, f)
		if t != nil {
			t.Policy = p
		}
		return t, err
	}
	if _, err := oneDimension(f); err != nil {
		return nil, err
	}
	// Campaigns left out or counted once change the base itself (#15).
	all, err := s.Counts(ctx, c, Filter{Campaigns: f.Campaigns})
	if err != nil {
		return nil, err
	}
	t := all.Restrict(f)
	t.Policy = p
	t.all = all
	return t, nil
}

// Restrict keeps the counts of t that f selects (groups and channels).
func (t *Table) Restrict(f Filter) *Table {
	keep := func(c Count) bool {
		return (len(f.GroupIDs) == 0 || slices.Contains(f.GroupIDs, c.GroupID)) &&
			(len(f.Channels) == 0 || slices.Contains(f.Channels, c.Channel))
	}
	out := &Table{Consultation: t.Consultation, Filter: f, Policy: t.Policy}
	for _, c := range t.Answers {
		if keep(c) {
			out.Answers = append(out.Answers, c)
		}
	}
	for _, c := range t.Responses {
		if keep(c) {
			out.Responses = append(out.Responses, c)
		}
	}
	return out
}

// Protected reports whether figures from t are withheld where small.
func (t *Table) Protected() bool { return !t.Policy.Exact() }

// atoms lists the values of a dimension: groups (0 last: not known) or
// channels.
func (t *Table) atoms(dim string) []atomKey {
	var keys []atomKey
	if dim == "channel" {
		for _, ch := range ingest.Channels {
			keys = append(keys, atomKey{channel: ch})
		}
		return keys
	}
	for _, g := range t.Consultation.Groups {
		keys = append(keys, atomKey{group: g.ID})
	}
	return append(keys, atomKey{group: 0})
}

func atomIndex(dim string, keys []atomKey, c Count) int {
	for i, k := range keys {
		if (dim == "channel" && k.channel == c.Channel) || (dim != "channel" && k.group == c.GroupID) {
			return i
		}
	}
	return -1
}

// questionMatrix is q's answers per atom and category: a closed
// question's options, or an open question's one category "answered".
func (t *Table) questionMatrix(q *consultation.Question, dim string, keys []atomKey) [][]int64 {
	cats := map[int32]int{0: 0}
	n := 1
	if q.Scale != nil {
		cats = map[int32]int{}
		for i, o := range q.Scale.Options {
			cats[o.ID] = i
		}
		n = len(q.Scale.Options)
	}
	m := make([][]int64, len(keys))
	for i := range m {
		m[i] = make([]int64, n)
	}
	for _, c := range t.Answers {
		if c.QuestionID != q.ID {
			continue
		}
		k, ok := cats[c.OptionID]
		if i := atomIndex(dim, keys, c); ok && i >= 0 {
			m[i][k] += c.N
		}
	}
	return m
}

// responseMatrix is the responses per atom, one category.
func (t *Table) responseMatrix(dim string, keys []atomKey) [][]int64 {
	m := make([][]int64, len(keys))
	for i := range m {
		m[i] = make([]int64, 1)
	}
	for _, c := range t.Responses {
		if i := atomIndex(dim, keys, c); i >= 0 {
			m[i][0] += c.N
		}
	}
	return m
}

// filterDim is the dimension the (single-dimension) filter restricts,
// group when none.
func (t *Table) filterDim() string {
	d, _ := oneDimension(t.Filter)
	if d == "" {
		return "group"
	}
	return d
}

// baseWithheld says why nothing is shown for t's filter, or "".
func (t *Table) baseWithheld() string {
	dim := t.filterDim()
	keys := t.all.atoms(dim)
	m := t.all.responseMatrix(dim, keys)
	set := inFilter(dim, keys, t.Filter)
	if _, err := oneDimension(t.Filter); err == nil && len(t.Filter.GroupIDs)+len(t.Filter.Channels) == 0 {
		set = slices.Repeat([]bool{true}, len(keys))
	}
	base := sumRows(m, set)[0]
	if base > 0 && base < t.Policy.Threshold {
		return "Fewer than " + itoa(t.Policy.Threshold) + " responses match these filters, so no figures are shown for them, to protect the people who sent them."
	}
	if !newGuard(m, t.Policy.Threshold).released(set) {
		return WithheldFilterText
	}
	return ""
}

// WithheldFilterText explains a filter whose figures are not shown.
const WithheldFilterText = "Figures for these filters are not shown: together with other published figures they would let a small number of people be picked out. Choose more groups or channels, or remove the filter."

// protectQuestion withholds what r (exact figures of q under t's
// filter) may not show.
func (t *Table) protectQuestion(q *consultation.Question, r QuestionResult) QuestionResult {
	p := t.Policy
	if w := t.baseWithheld(); w != "" {
		return QuestionResult{Question: q, Withheld: w}
	}
	dim := t.filterDim()
	keys := t.all.atoms(dim)
	m := t.all.questionMatrix(q, dim, keys)
	g := newGuard(m, p.Threshold)
	set := inFilter(dim, keys, t.Filter)
	if len(t.Filter.GroupIDs)+len(t.Filter.Channels) == 0 {
		set = slices.Repeat([]bool{true}, len(keys))
	}
	if !g.released(set) {
		return QuestionResult{Question: q, Withheld: WithheldFilterText}
	}
	r.Channels = t.protectChannels(q, r.Channels)
	r.ChannelsNote = "Channels with fewer than " + itoa(p.Threshold) + " answers are not named."
	if q.Scale == nil {
		if w := g.withhold(p, 0, r.Answered); w != "" {
			r.Withheld = "Fewer than " + itoa(p.Threshold) + " answered this question with these filters, so the count is not shown."
			r.Answered, r.NotAnswered = 0, 0
		}
		return r
	}
	hidden := map[int32]bool{}
	for i, o := range q.Scale.Options {
		if w := g.withhold(p, i, r.Options[i].N); w != "" {
			r.Options[i] = withheldShare(r.Options[i], w)
			hidden[o.ID] = true
		}
	}
	for i, cb := range q.Scale.Combinations {
		for _, id := range cb.OptionIDs {
			if hidden[id] {
				r.Combinations[i] = withheldShare(r.Combinations[i], WithheldText)
				break
			}
		}
	}
	if r.Answered > 0 && r.Answered < p.Threshold {
		return QuestionResult{Question: q, Withheld: "Fewer than " + itoa(p.Threshold) + " answered this question with these filters, so no figures are shown."}
	}
	return r
}

func withheldShare(s Share, why string) Share {
	s.N, s.Percent, s.Withheld = 0, 0, why
	return s
}

// protectOverview withholds what o (exact totals under t's filter) may
// not show: a group or channel row is shown only when released on its
// own, and the dimension not filtered on is not shown with a filter.
func (t *Table) protectOverview(o Overview) Overview {
	p := t.Policy
	if w := t.baseWithheld(); w != "" {
		return Overview{Withheld: w}
	}
	protectRows := func(dim string, rows []Share) {
		keys := t.all.atoms(dim)
		g := newGuard(t.all.responseMatrix(dim, keys), p.Threshold)
		for i := range rows {
			set := make([]bool, len(keys))
			for j, k := range keys {
				set[j] = (dim == "channel" && k.channel == rows[i].Slug) || (dim == "group" && rows[i].Slug == t.groupSlug(k.group))
			}
			if w := g.withhold(p, -1, rows[i].N); w != "" {
				rows[i] = withheldShare(rows[i], w)
			} else if !g.released(set) {
				rows[i] = withheldShare(rows[i], WithheldText)
			}
		}
	}
	protectRows("group", o.ByGroup)
	protectRows("channel", o.ByChannel)
	switch d, _ := oneDimension(t.Filter); d {
	case "group":
		o.ByChannel, o.ByChannelWithheld = nil, CrossWithheldText
	case "channel":
		o.ByGroup, o.ByGroupWithheld = nil, CrossWithheldText
	}
	return o
}

// CrossWithheldText explains a breakdown not shown with a filter.
const CrossWithheldText = "Not shown with this filter: crossing two kinds of filter could single people out. Analysts see it."

func (t *Table) groupSlug(id int32) string {
	for _, g := range t.Consultation.Groups {
		if g.ID == id {
			return g.Slug
		}
	}
	return ""
}

// protectChannels keeps the channels a protected reader may be told the
// answers to q came through: naming a channel says it holds at least one
// answer, so a channel is named only where its count could be shown
// (released by the channel guard and not small). With a group filter
// none is named: that would cross groups with channels.
func (t *Table) protectChannels(q *consultation.Question, chans []string) []string {
	if d, _ := oneDimension(t.Filter); d == "group" {
		return nil
	}
	keys := t.all.atoms("channel")
	m := t.all.questionMatrix(q, "channel", keys)
	for i, row := range m {
		var n int64
		for _, v := range row {
			n += v
		}
		m[i] = []int64{n}
	}
	g := newGuard(m, t.Policy.Threshold)
	var out []string
	for _, ch := range chans {
		one := make([]bool, len(keys))
		i := slices.IndexFunc(keys, func(k atomKey) bool { return k.channel == ch })
		if i < 0 {
			continue
		}
		one[i] = true
		if g.released(one) && g.withhold(t.Policy, 0, m[i][0]) == "" {
			out = append(out, ch)
		}
	}
	return out
}
