package results

import (
	"context"
	"fmt"

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
	groups, channels := t.Filter.params()
	n, err := db.New(s.Pool).ThemeLetters(ctx, db.ThemeLettersParams{ConsultationID: t.Consultation.ID, ThemeID: &th.ID, GroupIds: groups, Channels: channels})
	if err != nil {
		return r, fmt.Errorf("results: letters on theme %s: %w", th.Slug, err)
	}
	r.Letters = n
	// Protected readers see the letter count only unfiltered (two
	// filtered counts could be subtracted), and never a small one.
	if t.Protected() {
		switch {
		case len(t.Filter.GroupIDs)+len(t.Filter.Channels) > 0:
			r.Letters, r.LettersWithheld = 0, CrossWithheldText
		case n > 0 && n < t.Policy.Threshold:
			r.Letters, r.LettersWithheld = 0, t.Policy.FewerThan()
		}
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
