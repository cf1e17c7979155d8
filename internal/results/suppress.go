package results

import (
	"errors"
	"fmt"
	"slices"

	"heard/internal/consultation"
)

// Small-number protection. Everyone who may not read individual
// responses (viewers, and the public on published results) sees figures
// through a Policy; analysts see exact counts. This file is the only
// place that decides what is withheld, and every page, chart and export
// for those users goes through it.
//
// The model: a non-analyst sees figures for unions of the values of ONE
// dimension at a time (respondent groups, or channels, or the options of
// one equality question), never a cross of two. For each question and
// dimension, guard finds the values ("atoms") whose counts are small,
// adds more until the small ones are pooled with at least Threshold
// answers in every category, and then releases a figure only when the
// values it covers contain all of that pool or none of it. Every set a
// visitor can compute by adding and subtracting released figures then
// also holds all of the pool or none of it, so it is 0 or at least
// Threshold: a hidden cell cannot be worked out from totals or from the
// difference between two filters. Categories whose consultation-wide
// count is small are hidden together with enough others that their sum
// is at least Threshold.

// Policy is how figures are protected for the person looking.
type Policy struct {
	// Threshold: counts from 1 to Threshold-1 are withheld. 0 or 1 means
	// exact counts (analysts and admins).
	Threshold int64
}

// Exact reports whether figures are shown without protection.
func (p Policy) Exact() bool { return p.Threshold <= 1 }

// Default thresholds, changed per consultation by admins.
const (
	DefaultPublicThreshold = 10
	DefaultViewerThreshold = 5
)

// ErrCombinedFilter refuses a filter on more than one dimension to
// someone who sees protected figures: crossing two dimensions would let
// small cells be worked out by subtraction.
var ErrCombinedFilter = errors.New("results: combined filters are for analysts")

// FewerThan is how a withheld small count reads.
func (p Policy) FewerThan() string { return fmt.Sprintf("fewer than %d", p.Threshold) }

// WithheldText is how a count hidden to protect another reads.
const WithheldText = "withheld"

// guard is the protection of one question (or the responses) along one
// dimension.
type guard struct {
	pooled     []bool // atoms released only all together
	hiddenCats []bool // categories never shown where they are non-zero
	smallCats  []bool // hidden categories whose total is below the threshold
}

// newGuard protects counts[atom][category] at threshold t.
func newGuard(counts [][]int64, t int64) guard {
	nCat := 0
	if len(counts) > 0 {
		nCat = len(counts[0])
	}
	g := guard{pooled: make([]bool, len(counts)), hiddenCats: make([]bool, nCat), smallCats: make([]bool, nCat)}
	small := func(n int64) bool { return n >= 1 && n < t }
	for i, row := range counts {
		for _, n := range row {
			if small(n) {
				g.pooled[i] = true
			}
		}
	}
	// Grow the pool until, in every category, it holds 0 or at least t
	// (or there is nothing left to add: the category's total is small
	// and is hidden below).
	for {
		grown := false
		for k := range nCat {
			var pool int64
			for i := range counts {
				if g.pooled[i] {
					pool += counts[i][k]
				}
			}
			if !small(pool) {
				continue
			}
			best := -1
			for i := range counts {
				if !g.pooled[i] && counts[i][k] > 0 && (best < 0 || counts[i][k] < counts[best][k]) {
					best = i
				}
			}
			if best >= 0 {
				g.pooled[best] = true
				grown = true
			}
		}
		if !grown {
			break
		}
	}
	// Categories: the ones with a small total are hidden, with the
	// smallest others until the hidden ones add up to at least t, so
	// the total minus the shown ones does not give them away.
	totals := make([]int64, nCat)
	for _, row := range counts {
		for k, n := range row {
			totals[k] += n
		}
	}
	var hidden int64
	for k, n := range totals {
		if small(n) {
			g.hiddenCats[k], g.smallCats[k] = true, true
			hidden += n
		}
	}
	for hidden > 0 && hidden < t {
		best := -1
		for k, n := range totals {
			if !g.hiddenCats[k] && n > 0 && (best < 0 || n < totals[best]) {
				best = k
			}
		}
		if best < 0 {
			break
		}
		g.hiddenCats[best] = true
		hidden += totals[best]
	}
	return g
}

// released reports whether figures over the atoms in set may be shown:
// the set holds all of the pool or none of it.
func (g guard) released(set []bool) bool {
	in, out := false, false
	for i, p := range g.pooled {
		if !p {
			continue
		}
		if set[i] {
			in = true
		} else {
			out = true
		}
	}
	return !(in && out)
}

// withhold returns how a released count n of category k reads when it
// may not be shown, or "" when it may.
func (g guard) withhold(p Policy, k int, n int64) string {
	switch {
	case n == 0:
		return ""
	case n < p.Threshold:
		return p.FewerThan()
	case k >= 0 && g.hiddenCats[k]:
		return WithheldText
	}
	return ""
}

// sumRows adds up counts over the atoms in set.
func sumRows(counts [][]int64, set []bool) []int64 {
	var out []int64
	for i, row := range counts {
		if out == nil {
			out = make([]int64, len(row))
		}
		if set[i] {
			for k, n := range row {
				out[k] += n
			}
		}
	}
	return out
}

// oneDimension returns the dimension a protected filter restricts, ""
// for none, or ErrCombinedFilter.
func oneDimension(f Filter) (string, error) {
	// Leaving campaigns out is a choice of base, not a way to narrow to a
	// few people: it combines with one group or channel.
	f.Campaigns = ""
	switch {
	case !f.Summarised():
		return "", ErrCombinedFilter
	case len(f.GroupIDs) > 0 && len(f.Channels) > 0:
		return "", ErrCombinedFilter
	case len(f.GroupIDs) > 0:
		return "group", nil
	case len(f.Channels) > 0:
		return "channel", nil
	}
	return "", nil
}

// inFilter marks which atoms of a dimension the filter keeps.
func inFilter(dim string, keys []atomKey, f Filter) []bool {
	set := make([]bool, len(keys))
	for i, k := range keys {
		switch dim {
		case "group":
			set[i] = slices.Contains(f.GroupIDs, k.group)
		case "channel":
			set[i] = slices.Contains(f.Channels, k.channel)
		default:
			set[i] = true
		}
	}
	return set
}

// atomKey names one value of a dimension.
type atomKey struct {
	group   int32
	channel string
}

// Guard protects figures counted outside this package (code counts)
// with the same pooling as answers: counts[atom][category] along one
// dimension, atoms in the order of Atoms. Categories there need not add
// up to a shown total, so a category is withheld only where it is below
// the threshold; the caller withholds any figure from which a withheld
// one could be derived (a code's total and its positions).
type Guard struct {
	g guard
	p Policy
}

// NewGuard protects counts[atom][category] under p.
func NewGuard(p Policy, counts [][]int64) Guard {
	return Guard{g: newGuard(counts, p.Threshold), p: p}
}

// Released reports whether any figure over the atoms in set may be shown.
func (g Guard) Released(set []bool) bool { return g.g.released(set) }

// Withhold returns how a count n over the atoms in set reads when it may
// not be shown ("fewer than 10", "withheld"), or "" when it may.
func (g Guard) Withhold(set []bool, n int64) string {
	if !g.g.released(set) {
		return WithheldText
	}
	return g.g.withhold(g.p, -1, n)
}

// FilterDimension returns the one dimension ("group" or "channel") a
// protected reader's filter restricts, "" for none, or ErrCombinedFilter.
func FilterDimension(f Filter) (string, error) { return oneDimension(f) }

// Atoms are the values of a dimension in the order a Guard's rows
// follow: respondent groups (0, not known, last) or channels.
type Atoms struct {
	Dim      string
	Groups   []int32
	Channels []string
}

// DimensionAtoms lists the atoms of dim ("group" or "channel") in c.
func DimensionAtoms(c *consultation.Consultation, dim string) Atoms {
	a := Atoms{Dim: dim}
	t := &Table{Consultation: c}
	for _, k := range t.atoms(dim) {
		if dim == "channel" {
			a.Channels = append(a.Channels, k.channel)
		} else {
			a.Groups = append(a.Groups, k.group)
		}
	}
	return a
}

// Len is the number of atoms.
func (a Atoms) Len() int { return len(a.Groups) + len(a.Channels) }

// Index is the atom a count of group and channel falls in, or -1.
func (a Atoms) Index(group int32, channel string) int {
	if a.Dim == "channel" {
		return slices.Index(a.Channels, channel)
	}
	return slices.Index(a.Groups, group)
}

// InFilter marks the atoms f keeps (all of them when f does not
// restrict this dimension).
func (a Atoms) InFilter(f Filter) []bool {
	set := make([]bool, a.Len())
	for i := range set {
		switch {
		case a.Dim == "channel" && len(f.Channels) > 0:
			set[i] = slices.Contains(f.Channels, a.Channels[i])
		case a.Dim != "channel" && len(f.GroupIDs) > 0:
			set[i] = slices.Contains(f.GroupIDs, a.Groups[i])
		default:
			set[i] = true
		}
	}
	return set
}

// BaseWithheld says why a protected reader sees no figures at all for
// t's filter (its base is small, or it would single people out), or "".
func (t *Table) BaseWithheld() string {
	if !t.Protected() || t.all == nil {
		return ""
	}
	return t.baseWithheld()
}
