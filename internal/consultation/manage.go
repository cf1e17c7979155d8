package consultation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
	"heard/internal/fielderr"
)

// Statuses, in the only order a consultation moves through them.
const (
	Draft  = "draft"
	Open   = "open"
	Closed = "closed"
)

// NextStatus is the status a consultation in status may move to, or ""
// when it is closed: draft → open → closed, never back, so that a
// consultation that took responses is never mistaken for one not yet run.
func NextStatus(status string) string {
	switch status {
	case Draft:
		return Open
	case Open:
		return Closed
	}
	return ""
}

// ErrStatusChanged: the consultation is no longer in the status the
// admin saw (someone else moved it), or the move is not allowed.
var ErrStatusChanged = errors.New("the consultation's status has changed since the page was shown")

// FieldError is one problem with one field of a form.
type FieldError struct {
	Field, Message string
}

// FormError lists every problem with a form at once.
type FormError struct {
	Problems []FieldError
}

func (e *FormError) Error() string {
	var s []string
	for _, p := range e.Problems {
		s = append(s, p.Field+": "+p.Message)
	}
	return "consultation: " + strings.Join(s, "; ")
}

// FieldProblems names the fields at fault (fielderr.Error).
func (e *FormError) FieldProblems() []fielderr.Problem {
	out := make([]fielderr.Problem, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = fielderr.Problem{Field: p.Field, Message: p.Message}
	}
	return out
}

// Create makes a new consultation from d, refusing a slug already in use
// (updating one goes through Replace or `heard load`), and audits it as
// entry e, whose actor the caller has filled in.
func (s *Service) Create(ctx context.Context, e audit.Entry, d *Definition) (*Consultation, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if d.Slug == "new" {
		return nil, &DefinitionError{Problems: []string{`slug: "new" is the address of the page that creates consultations; choose another slug`}}
	}
	return s.save(ctx, e, d, func(q *db.Queries) error {
		taken, err := q.ConsultationSlugTaken(ctx, d.Slug)
		if err != nil {
			return fmt.Errorf("consultation: check slug %s: %w", d.Slug, err)
		}
		if taken {
			return &DefinitionError{Problems: []string{fmt.Sprintf(
				"slug: a consultation with the slug %q already exists; choose another slug, or upload the file on that consultation's page to update it", d.Slug)}}
		}
		return nil
	})
}

// Replace loads a new definition into the consultation with slug, with
// the same rules as `heard load`: nothing still in use may be removed.
func (s *Service) Replace(ctx context.Context, e audit.Entry, slug string, d *Definition) (*Consultation, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if d.Slug != slug {
		return nil, &DefinitionError{Problems: []string{fmt.Sprintf(
			"slug: the file is for %q, not %q; a consultation's slug cannot change", d.Slug, slug)}}
	}
	return s.save(ctx, e, d, func(q *db.Queries) error {
		_, err := get(ctx, q, slug)
		return err
	})
}

func (s *Service) save(ctx context.Context, e audit.Entry, d *Definition, check func(q *db.Queries) error) (*Consultation, error) {
	var c *Consultation
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := check(q); err != nil {
			return err
		}
		if err := load(ctx, q, d); err != nil {
			return err
		}
		var err error
		if c, err = get(ctx, q, d.Slug); err != nil {
			return err
		}
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "consultation", c.Slug
		if e.Detail == nil {
			e.Detail = map[string]any{}
		}
		e.Detail["title"], e.Detail["questions"], e.Detail["status"] = c.Title, len(c.Questions), c.Status
		return audit.Record(ctx, q, e)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Copy creates a draft consultation with the structure of the one with
// slug from — themes, scales, groups and questions — but none of its
// responses, under a new slug and title.
func (s *Service) Copy(ctx context.Context, e audit.Entry, from, slug, title string) (*Consultation, error) {
	var p []FieldError
	if !slugRe.MatchString(slug) {
		p = append(p, FieldError{"slug", "Enter a short name of lower-case letters, digits and hyphens, like parks-2026"})
	}
	if strings.TrimSpace(title) == "" {
		p = append(p, FieldError{"title", "Enter a title"})
	}
	if len(p) > 0 {
		return nil, &FormError{Problems: p}
	}
	d, err := s.Definition(ctx, from)
	if err != nil {
		return nil, err
	}
	d.Slug, d.Title, d.Status = slug, strings.TrimSpace(title), Draft
	e.Detail = map[string]any{"copied_from": from}
	c, err := s.Create(ctx, e, d)
	var de *DefinitionError
	if errors.As(err, &de) && strings.HasPrefix(de.Problems[0], "slug:") {
		return nil, &FormError{Problems: []FieldError{{"slug", "A consultation with this slug already exists: choose another"}}}
	}
	return c, err
}

// Definition returns the definition file that would recreate the
// consultation with slug as it is now.
func (s *Service) Definition(ctx context.Context, slug string) (*Definition, error) {
	q := db.New(s.Pool)
	c, err := get(ctx, q, slug)
	if err != nil {
		return nil, err
	}
	d := &Definition{
		Slug: c.Slug, Title: c.Title, Description: c.Description, Status: c.Status,
		OpensOn: c.OpensOn.Format(time.DateOnly), ClosesOn: c.ClosesOn.Format(time.DateOnly),
	}
	byID, err := scales(ctx, q, c.ID)
	if err != nil {
		return nil, fmt.Errorf("consultation: scales of %s: %w", slug, err)
	}
	rows, err := q.ListScales(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("consultation: scales of %s: %w", slug, err)
	}
	for _, r := range rows {
		sc := byID[r.ID]
		sd := ScaleDef{Slug: sc.Slug}
		slugOf := map[int32]string{}
		for _, o := range sc.Options {
			sd.Options = append(sd.Options, OptionDef{Slug: o.Slug, Label: o.Label, NoView: o.NoView})
			slugOf[o.ID] = o.Slug
		}
		for _, cb := range sc.Combinations {
			cd := CombinationDef{Slug: cb.Slug, Label: cb.Label}
			for _, id := range cb.OptionIDs {
				cd.Options = append(cd.Options, slugOf[id])
			}
			sd.Combinations = append(sd.Combinations, cd)
		}
		d.Scales = append(d.Scales, sd)
	}
	for _, g := range c.Groups {
		d.RespondentGroups = append(d.RespondentGroups, GroupDef{Slug: g.Slug, Label: g.Label, EmailDomains: g.EmailDomains})
	}
	for _, t := range c.Themes {
		d.Themes = append(d.Themes, ThemeDef{Slug: t.Slug, Title: t.Title, Summary: t.Summary, Keywords: t.Keywords, ProposalURL: t.ProposalURL})
	}
	// A demographic question's reference population is stored as its
	// definition JSON (by option slug), so it reads back as written.
	refRows, err := q.QuestionReferences(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("consultation: reference populations of %s: %w", slug, err)
	}
	refs := map[int32]*ReferenceDef{}
	for _, r := range refRows {
		var rd ReferenceDef
		if err := json.Unmarshal(r.Reference, &rd); err != nil {
			return nil, fmt.Errorf("consultation: reference population of question %d of %s: %w", r.ID, slug, err)
		}
		refs[r.ID] = &rd
	}
	for _, qu := range c.Questions {
		qd := QuestionDef{Code: qu.Code, Kind: qu.Kind, Prompt: qu.Prompt, Hint: qu.Hint, Required: qu.Required, Keywords: qu.Keywords}
		if qu.Theme != nil {
			qd.Theme = qu.Theme.Slug
		}
		if qu.Scale != nil {
			qd.Scale = qu.Scale.Slug
		}
		if qu.Explains != nil {
			qd.Explains = qu.Explains.Code
		}
		qd.Reference = refs[qu.ID]
		d.Questions = append(d.Questions, qd)
	}
	return d, nil
}

// Details are the parts of a consultation an admin edits on a form.
type Details struct {
	Title, Description string
	OpensOn, ClosesOn  string // YYYY-MM-DD
}

// UpdateDetails changes the title, description and dates of the
// consultation with slug. The status and dates are read on every request
// of the form, so the change applies at once.
func (s *Service) UpdateDetails(ctx context.Context, e audit.Entry, slug string, in Details) error {
	var p []FieldError
	title := strings.TrimSpace(in.Title)
	if title == "" {
		p = append(p, FieldError{"title", "Enter a title"})
	}
	opens, err1 := time.Parse(time.DateOnly, strings.TrimSpace(in.OpensOn))
	if err1 != nil {
		p = append(p, FieldError{"opens_on", "Enter the opening date as a date like 2026-01-07"})
	}
	closes, err2 := time.Parse(time.DateOnly, strings.TrimSpace(in.ClosesOn))
	if err2 != nil {
		p = append(p, FieldError{"closes_on", "Enter the closing date as a date like 2026-03-04"})
	}
	if err1 == nil && err2 == nil && closes.Before(opens) {
		p = append(p, FieldError{"closes_on", "The closing date must be the same as or after the opening date"})
	}
	if len(p) > 0 {
		return &FormError{Problems: p}
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		c, err := get(ctx, q, slug)
		if err != nil {
			return err
		}
		err = q.UpdateConsultationDetails(ctx, db.UpdateConsultationDetailsParams{
			ID: c.ID, Title: title, Description: strings.TrimSpace(in.Description), OpensOn: opens, ClosesOn: closes,
		})
		if err != nil {
			return fmt.Errorf("consultation: update %s: %w", slug, err)
		}
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "consultation", c.Slug
		e.Detail = map[string]any{}
		if c.Title != title {
			e.Detail["title"] = title
		}
		if c.OpensOn.Format(time.DateOnly) != in.OpensOn || c.ClosesOn.Format(time.DateOnly) != in.ClosesOn {
			e.Detail["dates"] = in.OpensOn + " to " + in.ClosesOn
		}
		if c.Description != strings.TrimSpace(in.Description) {
			e.Detail["description"] = "changed"
		}
		return audit.Record(ctx, q, e)
	})
}

// MoveStatus moves the consultation with slug from status from to the
// next one. from is what the admin saw, so a stale page cannot skip or
// repeat a step.
func (s *Service) MoveStatus(ctx context.Context, e audit.Entry, slug, from string) (string, error) {
	to := NextStatus(from)
	if to == "" {
		return "", ErrStatusChanged
	}
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		c, err := get(ctx, q, slug)
		if err != nil {
			return err
		}
		n, err := q.MoveConsultationStatus(ctx, db.MoveConsultationStatusParams{
			ID: c.ID, FromStatus: db.ConsultationStatus(from), ToStatus: db.ConsultationStatus(to),
		})
		if err != nil {
			return fmt.Errorf("consultation: move %s to %s: %w", slug, to, err)
		}
		if n == 0 {
			return ErrStatusChanged
		}
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "consultation", c.Slug
		e.Detail = map[string]any{"from": from, "to": to}
		return audit.Record(ctx, q, e)
	})
	if err != nil {
		return "", err
	}
	return to, nil
}
