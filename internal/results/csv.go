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
// it: never change it.
var CSVHeader = []string{"question", "option", "respondent_group", "channel", "count"}

// WriteCSV writes one row per non-zero question × option × group ×
// channel combination of t. option is empty for open questions (count is
// then how many answered); respondent_group is empty for "group not
// known". Rows follow the definition's order.
func (t *Table) WriteCSV(w io.Writer) error {
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
		rec := []string{q.code, options[r.OptionID].slug, groups[r.GroupID].slug, r.Channel, strconv.FormatInt(r.N, 10)}
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
