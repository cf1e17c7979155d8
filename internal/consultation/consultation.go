package consultation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/db"
)

// ErrNotFound is returned when no consultation has the slug asked for.
var ErrNotFound = errors.New("consultation not found")

// Consultation is one consultation exercise with its whole structure.
type Consultation struct {
	ID          int64
	Slug        string
	Title       string
	Description string
	OpensOn     time.Time
	ClosesOn    time.Time
	Status      string
	Themes      []*Theme
	Groups      []*Group
	Questions   []*Question
}

// Theme is a strand of the consultation.
type Theme struct {
	ID    int32
	Slug  string
	Title string
	// Summary says what the theme proposes (shown to respondents) and,
	// with Keywords (other names a letter's heading may give it), helps
	// match letters to themes.
	Summary     string
	Keywords    []string
	ProposalURL string // the proposal document, if any
}

// Group is a respondent group.
type Group struct {
	ID           int32
	Slug         string
	Label        string
	EmailDomains []string
}

// Scale is an ordered list of options.
type Scale struct {
	ID           int32
	Slug         string
	Options      []*Option
	Combinations []*Combination
}

// Option is one point on a scale.
type Option struct {
	ID     int32
	Slug   string
	Label  string
	NoView bool
}

// Combination is a set of options reported together.
type Combination struct {
	Slug      string
	Label     string
	OptionIDs []int32
}

// Question is one question; Scale is nil for open questions.
type Question struct {
	ID       int32
	Code     string
	Kind     string
	Prompt   string
	Hint     string
	Theme    *Theme
	Scale    *Scale
	Explains *Question
	Required bool
	Keywords []string // other names a letter's heading may give the question
}

// Closed reports whether answers are options on a scale.
func (q *Question) Closed() bool { return q.Scale != nil }

// Question finds a question by code, case-insensitively.
func (c *Consultation) Question(code string) *Question {
	for _, q := range c.Questions {
		if strings.EqualFold(q.Code, code) {
			return q
		}
	}
	return nil
}

// Group finds a respondent group by slug.
func (c *Consultation) Group(slug string) *Group {
	for _, g := range c.Groups {
		if g.Slug == slug {
			return g
		}
	}
	return nil
}

// Service reads and writes consultations.
type Service struct {
	Pool *pgxpool.Pool
}

// List returns every consultation without its structure, newest first.
func (s *Service) List(ctx context.Context) ([]db.Consultation, error) {
	cs, err := db.New(s.Pool).ListConsultations(ctx)
	if err != nil {
		return nil, fmt.Errorf("consultation: list: %w", err)
	}
	return cs, nil
}

// Get returns the consultation with the slug and its whole structure.
func (s *Service) Get(ctx context.Context, slug string) (*Consultation, error) {
	return get(ctx, db.New(s.Pool), slug)
}

func get(ctx context.Context, q *db.Queries, slug string) (*Consultation, error) {
	row, err := q.GetConsultationBySlug(ctx, slug)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("consultation: get %s: %w", slug, err)
	}
	c := &Consultation{
		ID: row.ID, Slug: row.Slug, Title: row.Title, Description: row.Description,
		OpensOn: row.OpensOn, ClosesOn: row.ClosesOn, Status: string(row.Status),
	}
	themes, err := q.ListThemes(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("consultation: themes of %s: %w", slug, err)
	}
	themeByID := map[int32]*Theme{}
	for _, t := range themes {
		th := &Theme{ID: t.ID, Slug: t.Slug, Title: t.Title, Summary: t.Summary, Keywords: t.Keywords, ProposalURL: t.ProposalUrl}
		c.Themes = append(c.Themes, th)
		themeByID[t.ID] = th
	}
	groups, err := q.ListRespondentGroups(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("consultation: groups of %s: %w", slug, err)
	}
	for _, g := range groups {
		c.Groups = append(c.Groups, &Group{ID: g.ID, Slug: g.Slug, Label: g.Label, EmailDomains: g.EmailDomains})
	}
	scaleByID, err := scales(ctx, q, c.ID)
	if err != nil {
		return nil, fmt.Errorf("consultation: scales of %s: %w", slug, err)
	}
	questions, err := q.ListQuestions(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("consultation: questions of %s: %w", slug, err)
	}
	byID := map[int32]*Question{}
	for _, r := range questions {
		qu := &Question{ID: r.ID, Code: r.Code, Kind: string(r.Kind), Prompt: r.Prompt, Hint: r.Hint, Required: r.Required, Keywords: r.Keywords}
		if r.ThemeID != nil {
			qu.Theme = themeByID[*r.ThemeID]
		}
		if r.ScaleID != nil {
			qu.Scale = scaleByID[*r.ScaleID]
		}
		c.Questions = append(c.Questions, qu)
		byID[r.ID] = qu
	}
	for _, r := range questions {
		if r.ExplainsID != nil {
			byID[r.ID].Explains = byID[*r.ExplainsID]
		}
	}
	return c, nil
}

func scales(ctx context.Context, q *db.Queries, consultationID int64) (map[int32]*Scale, error) {
	rows, err := q.ListScales(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	byID := map[int32]*Scale{}
	for _, r := range rows {
		byID[r.ID] = &Scale{ID: r.ID, Slug: r.Slug}
	}
	opts, err := q.ListScaleOptions(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	optBySlug := map[int32]map[string]int32{}
	for _, o := range opts {
		s := byID[o.ScaleID]
		s.Options = append(s.Options, &Option{ID: o.ID, Slug: o.Slug, Label: o.Label, NoView: o.NoView})
		if optBySlug[o.ScaleID] == nil {
			optBySlug[o.ScaleID] = map[string]int32{}
		}
		optBySlug[o.ScaleID][o.Slug] = o.ID
	}
	combos, err := q.ListScaleCombinations(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	for _, cb := range combos {
		c := &Combination{Slug: cb.Slug, Label: cb.Label}
		for _, slug := range cb.OptionSlugs {
			c.OptionIDs = append(c.OptionIDs, optBySlug[cb.ScaleID][slug])
		}
		byID[cb.ScaleID].Combinations = append(byID[cb.ScaleID].Combinations, c)
	}
	return byID, nil
}
