package consultation

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// ReferenceDef is the population an equality-monitoring question's
// answers are compared with: each option's share of it, in percent,
// with where the figures come from and their date. Options left out
// (such as "Prefer not to say") have no reference.
type ReferenceDef struct {
	Source string             `json:"source"`
	Date   string             `json:"date"`
	Shares map[string]float64 `json:"shares"`
}

// referenceProblems checks every question's reference.
func (d *Definition) referenceProblems() []string {
	var p []string
	for i, q := range d.Questions {
		r := q.Reference
		if r == nil {
			continue
		}
		at := fmt.Sprintf("questions[%d] (%s).reference", i, q.Code)
		if q.Kind != "demographic" {
			p = append(p, at+": only an equality-monitoring (demographic) question can have a reference population")
			continue
		}
		if r.Source == "" || r.Date == "" {
			p = append(p, at+": needs its source and date")
		}
		var opts []string
		for _, s := range d.Scales {
			if s.Slug == q.Scale {
				for _, o := range s.Options {
					opts = append(opts, o.Slug)
				}
			}
		}
		var sum float64
		for slug, share := range r.Shares {
			if !slices.Contains(opts, slug) {
				p = append(p, fmt.Sprintf("%s.shares: %q is not an option of scale %q", at, slug, q.Scale))
			}
			if share < 0 || share > 100 || math.IsNaN(share) {
				p = append(p, fmt.Sprintf("%s.shares.%s: %v is not a percentage", at, slug, share))
			}
			sum += share
		}
		if sum > 100.5 {
			p = append(p, fmt.Sprintf("%s.shares: add up to %.1f%%, more than 100%%", at, sum))
		}
	}
	return p
}

// Reference is a question's reference population, as stored.
type Reference struct {
	Source string
	Date   string
	// Shares by option id, in percent.
	Shares map[int32]float64
}

// referenceJSON is the stored form, by option slug.
func referenceJSON(r *ReferenceDef) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	return json.Marshal(r)
}

// ParseReference reads a stored reference for q.
func ParseReference(q *Question, b []byte) (*Reference, error) {
	if len(b) == 0 || q.Scale == nil {
		return nil, nil
	}
	var d ReferenceDef
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("consultation: reference of %s: %w", q.Code, err)
	}
	r := &Reference{Source: d.Source, Date: d.Date, Shares: map[int32]float64{}}
	for _, o := range q.Scale.Options {
		if s, ok := d.Shares[o.Slug]; ok {
			r.Shares[o.ID] = s
		}
	}
	return r, nil
}
