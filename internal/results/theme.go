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
	if !t.Filter.Summarised() {
		r.Letters, r.LettersWithheld = 0, "not counted with these filters (they pick responses by events, dates or answers, which letters do not have)"
	}
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

// ThemeCodes returns the theme's main codes (on its questions or its
// letters) with how many answers and letter parts carry each, most
// first, across all responses. Protected readers see counts below their
// threshold as "fewer than". Empty until coding begins.
func (s *Service) ThemeCodes(ctx context.Context, c *consultation.Consultation, th *consultation.Theme, p Policy) ([]Share, error) {
	rows, err := db.New(s.Pool).ThemeCodeCounts(ctx, db.ThemeCodeCountsParams{ConsultationID: c.ID, ThemeID: &th.ID})
	if err != nil {
		return nil, fmt.Errorf("results: codes of theme %s: %w", th.Slug, err)
	}
	out := make([]Share, len(rows))
	for i, r := range rows {
		out[i] = Share{Slug: r.Code, Label: r.Name, N: r.N}
		if !p.Exact() && r.N < p.Threshold {
			out[i] = withheldShare(out[i], p.FewerThan())
		}
	}
	return out, nil
}
