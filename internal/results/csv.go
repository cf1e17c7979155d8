package results

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"heard/internal/ingest"
)

// CSVHeader is the public header of results.csv. Users script against
// it: never change its columns, only add to the end. suppressed is
// "true" on a row whose count is withheld (count is then empty).
var CSVHeader = []string{"question", "option", "respondent_group", "channel", "count", "suppressed"}

// CSVAll is the value of respondent_group or channel on a protected
// row that covers every group or every channel.
const CSVAll = "all"

// WriteCSV writes one row per non-zero question × option × group ×
// channel combination of t. option is empty for open questions (count is
// then how many answered); respondent_group is empty for "group not
// known". Rows follow the definition's order.
func (t *Table) WriteCSV(w io.Writer) error {
	if t.Protected() {
		return t.writeProtectedCSV(w)
	}
	c := t.Consultation
	type ref struct {
		code, slug string
		pos        int
	}
	questions := map[int32]ref{}
	options := map[int32]ref{}
	for i, q := range c.Questions {
		questions[q.ID] = ref{code: q.Code, pos: i}
		if q.Scale != nil {
			for j, o := range q.Scale.Options {
				options[o.ID] = ref{slug: o.Slug, pos: j + 1}
			}
		}
	}
	groups := map[int32]ref{0: {pos: len(c.Groups) + 1}}
	for i, g := range c.Groups {
		groups[g.ID] = ref{slug: g.Slug, pos: i}
	}
	chanPos := map[string]int{}
	for i, ch := range ingest.Channels {
		chanPos[ch] = i
	}

	rows := slices.Clone(t.Answers)
	slices.SortFunc(rows, func(a, b Count) int {
		return cmp.Or(
			cmp.Compare(questions[a.QuestionID].pos, questions[b.QuestionID].pos),
			cmp.Compare(options[a.OptionID].pos, options[b.OptionID].pos),
			cmp.Compare(groups[a.GroupID].pos, groups[b.GroupID].pos),
			cmp.Compare(chanPos[a.Channel], chanPos[b.Channel]),
		)
	})
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("results: write csv: %w", err)
	}
	for _, r := range rows {
		q, ok := questions[r.QuestionID]
		if !ok {
			continue // a question removed from the definition has no answers (load refuses otherwise)
		}
		rec := []string{q.code, options[r.OptionID].slug, groups[r.GroupID].slug, r.Channel, strconv.FormatInt(r.N, 10), "false"}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("results: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: write csv: %w", err)
	}
	return nil
}

// writeProtectedCSV writes what a protected reader may see: each
// question and option by respondent group (channel "all") and by channel
// (respondent_group "all"), every row present, zeros included, so the
// presence of a row tells nothing; with a filter, only the filtered
// dimension. A withheld count is empty with suppressed "true".
func (t *Table) writeProtectedCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("results: write csv: %w", err)
	}
	if t.baseWithheld() != "" {
		cw.Flush()
		return cw.Error()
	}
	dims := []string{"group", "channel"}
	if d, _ := oneDimension(t.Filter); d != "" {
		dims = []string{d}
	}
	for _, q := range t.Consultation.Questions {
		for _, dim := range dims {
			keys := t.all.atoms(dim)
			m := t.all.questionMatrix(q, dim, keys)
			g := newGuard(m, t.Policy.Threshold)
			in := inFilter(dim, keys, t.Filter)
			for i, k := range keys {
				if len(t.Filter.GroupIDs)+len(t.Filter.Channels) > 0 && !in[i] {
					continue
				}
				group, channel := t.groupSlug(k.group), CSVAll
				if dim == "channel" {
					group, channel = CSVAll, k.channel
				}
				one := make([]bool, len(keys))
				one[i] = true
				for cat, n := range m[i] {
					option := ""
					if q.Scale != nil {
						option = q.Scale.Options[cat].Slug
					}
					rec := []string{q.Code, option, group, channel, strconv.FormatInt(n, 10), "false"}
					if !g.released(one) || g.withhold(t.Policy, cat, n) != "" {
						rec[4], rec[5] = "", "true"
					}
					if err := cw.Write(rec); err != nil {
						return fmt.Errorf("results: write csv: %w", err)
					}
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("results: write csv: %w", err)
	}
	return nil
}
