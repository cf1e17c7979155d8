package results

import (
	"context"
	"fmt"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Representation compares respondents with a reference population for
// one equality-monitoring question.
type Representation struct {
	Question         *consultation.Question
	Source, Date     string
	Answered         int64
	AnsweredWithheld string
	Rows             []RepresentationRow
}

// RepresentationRow is one option: its share of those who answered the
// question beside its share of the population, in percent.
type RepresentationRow struct {
	Label      string
	N          int64
	Withheld   string
	Share      float64 // of respondents who answered
	Population float64
	Gap        float64 // Share - Population, percentage points
	// Missing: respondents' share is less than half the population's,
	// the seldom-heard voices. With a withheld count, it is set when
	// even the largest count the withheld one could be is too few.
	Missing bool
}

// References returns the reference populations of c's questions.
func (s *Service) References(ctx context.Context, c *consultation.Consultation) (map[int32]*consultation.Reference, error) {
	rows, err := db.New(s.Pool).QuestionReferences(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("results: references of %s: %w", c.Slug, err)
	}
	out := map[int32]*consultation.Reference{}
	for _, r := range rows {
		for _, q := range c.Questions {
			if q.ID == r.ID {
				ref, err := consultation.ParseReference(q, r.Reference)
				if err != nil {
					return nil, err
				}
				out[q.ID] = ref
			}
		}
	}
	return out, nil
}

// WhoIsMissing compares the answers to every question with a reference
// population, under t's filter and protection.
func (s *Service) WhoIsMissing(ctx context.Context, t *Table) ([]Representation, error) {
	refs, err := s.References(ctx, t.Consultation)
	if err != nil {
		return nil, err
	}
	var out []Representation
	for _, q := range t.Consultation.Questions {
		ref := refs[q.ID]
		if ref == nil {
			continue
		}
		r := t.Question(q)
		rep := Representation{Question: q, Source: ref.Source, Date: ref.Date, Answered: r.Answered, AnsweredWithheld: r.Withheld}
		if r.Withheld != "" {
			out = append(out, rep)
			continue
		}
		for i, o := range q.Scale.Options {
			pop, ok := ref.Shares[o.ID]
			if !ok {
				continue
			}
			row := RepresentationRow{Label: o.Label, N: r.Options[i].N, Withheld: r.Options[i].Withheld, Population: pop}
			if r.Answered > 0 {
				row.Share = 100 * float64(row.N) / float64(r.Answered)
			}
			row.Gap = row.Share - pop
			row.Missing = row.Share < pop/2
			if row.Withheld != "" {
				// Judge from the most the hidden count could be, which
				// is all the public knows.
				most := float64(t.Policy.Threshold - 1)
				if row.Withheld == WithheldText {
					most = float64(r.Answered)
				}
				row.Share, row.Gap = 0, 0
				row.Missing = r.Answered > 0 && 100*most/float64(r.Answered) < pop/2
			}
			rep.Rows = append(rep.Rows, row)
		}
		out = append(out, rep)
	}
	return out, nil
}
