package results

import (
	"context"
	"fmt"
	"slices"

	"heard/internal/consultation"
	"heard/internal/db"
)

// ThemeResult is one theme's figures: its closed questions'
// distributions, its open questions' counts across channels, and the
// emails and letters attributed to it.
type ThemeResult struct {
	Theme  *consultation.Theme
	Closed []QuestionResult
	Open   []QuestionResult
	// Letters is how many emails and letters have a part on the theme.
	Letters         int64
	LettersWithheld string
}

// Questions returns the questions of theme th, in the definition's order.
func Questions(c *consultation.Consultation, th *consultation.Theme) []*consultation.Question {
	var out []*consultation.Question
	for _, q := range c.Questions {
		if q.Theme == th {
			out = append(out, q)
		}
	}
	return out
}

// Theme computes th's figures under t's filter and policy.
func (s *Service) Theme(ctx context.Context, t *Table, th *consultation.Theme) (ThemeResult, error) {
	r := ThemeResult{Theme: th}
	for _, q := range Questions(t.Consultation, th) {
		if q.Closed() {
			r.Closed = append(r.Closed, t.Question(q))
		} else {
			r.Open = append(r.Open, t.Question(q))
		}
	}
	rows, err := db.New(s.Pool).ThemeLetters(ctx, db.ThemeLettersParams{ConsultationID: t.Consultation.ID, ThemeID: &th.ID})
	if err != nil {
		return r, fmt.Errorf("results: letters on theme %s: %w", th.Slug, err)
	}
	letters := make([]Count, len(rows))
	for i, row := range rows {
		letters[i] = Count{GroupID: row.RespondentGroupID, Channel: string(row.Channel), N: row.N}
	}
	r.Letters, r.LettersWithheld = protectLetters(t, letters)
	if !t.Filter.Summarised() {
		r.Letters, r.LettersWithheld = 0, "not counted with these filters (they pick responses by events, dates or answers, which letters do not have)"
	}
	return r, nil
}

// Support compares the first combination (e.g. "Fully or mostly") of
// every theme's closed questions: one bar per closed question, labelled
// with its theme.
func (t *Table) Support() []Share {
	var out []Share
	for _, q := range t.Consultation.Questions {
		if !q.Closed() || q.Theme == nil || len(q.Scale.Combinations) == 0 {
			continue
		}
		r := t.Question(q)
		if r.Withheld != "" || len(r.Combinations) == 0 {
			out = append(out, Share{Slug: q.Code, Label: q.Theme.Title + " (" + q.Code + ")", Withheld: WithheldText})
			continue
		}
		s := r.Combinations[0]
		s.Slug, s.Label = q.Code, q.Theme.Title+" ("+q.Code+")"
		out = append(out, s)
	}
	return out
}

// protectLetters is the count of emails and letters with a part on a
// theme (letters: by group and channel, unfiltered) under t's filter, or
// why a protected reader may not see it. Protected readers get it
// through the same pooling as answers, along the dimension they filter
// on: shown only where the atoms it covers hold all of the pool or none
// of it, and never when small, so neither a small count nor the
// difference between two filters gives a letter writer away.
func protectLetters(t *Table, letters []Count) (int64, string) {
	in := &Table{Consultation: t.Consultation, Responses: letters}
	var n int64
	for _, c := range in.Restrict(t.Filter).Responses {
		n += c.N
	}
	if !t.Protected() {
		return n, ""
	}
	dim, err := oneDimension(t.Filter)
	if err != nil {
		return 0, CrossWithheldText
	}
	if dim == "" {
		dim = "group"
	}
	keys := in.atoms(dim)
	g := newGuard(in.responseMatrix(dim, keys), t.Policy.Threshold)
	set := inFilter(dim, keys, t.Filter)
	if len(t.Filter.GroupIDs)+len(t.Filter.Channels) == 0 {
		set = slices.Repeat([]bool{true}, len(keys))
	}
	if !g.released(set) {
		return 0, WithheldText
	}
	if w := g.withhold(t.Policy, 0, n); w != "" {
		return 0, w
	}
	return n, ""
}
