package consultation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"heard/internal/db"
)

// Load creates the consultation a definition describes, or brings an
// existing one with the same slug up to date. Themes, scales, options,
// groups and questions are matched by slug or code, so their ids (and the
// answers that point at them) survive. Removing a question that already
// has answers is refused.
func (s *Service) Load(ctx context.Context, d *Definition) (*Consultation, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var c *Consultation
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := load(ctx, q, d); err != nil {
			return err
		}
		var err error
		c, err = get(ctx, q, d.Slug)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func load(ctx context.Context, q *db.Queries, d *Definition) error {
	opens, _ := time.Parse(time.DateOnly, d.OpensOn)
	closes, _ := time.Parse(time.DateOnly, d.ClosesOn)
	status := d.Status
	if status == "" {
		status = "draft"
	}
	cid, err := q.UpsertConsultation(ctx, db.UpsertConsultationParams{
		Slug: d.Slug, Title: d.Title, Description: d.Description,
		OpensOn: opens, ClosesOn: closes, Status: db.ConsultationStatus(status),
	})
	if err != nil {
		return fmt.Errorf("consultation: save %s: %w", d.Slug, err)
	}

	var codes []string
	for _, qd := range d.Questions {
		codes = append(codes, qd.Code)
	}
	answered, err := q.AnsweredQuestionsNotIn(ctx, db.AnsweredQuestionsNotInParams{ConsultationID: cid, Codes: codes})
	if err != nil {
		return fmt.Errorf("consultation: check removed questions: %w", err)
	}
	if len(answered) > 0 {
		return &DefinitionError{Problems: []string{fmt.Sprintf(
			"questions: %s already have answers and cannot be removed", strings.Join(answered, ", "))}}
	}
	// Questions go first: they refer to themes and scales.
	if err := q.DeleteQuestionsNotIn(ctx, db.DeleteQuestionsNotInParams{ConsultationID: cid, Codes: codes}); err != nil {
		return inUse(err, "questions")
	}

	themeIDs := map[string]int32{}
	var slugs []string
	for i, t := range d.Themes {
		id, err := q.UpsertTheme(ctx, db.UpsertThemeParams{ConsultationID: cid, Slug: t.Slug, Title: t.Title, Position: int32(i + 1)})
		if err != nil {
			return fmt.Errorf("consultation: save theme %s: %w", t.Slug, err)
		}
		if err := q.SetThemeTerms(ctx, db.SetThemeTermsParams{ID: id, Summary: t.Summary, Keywords: nonNil(t.Keywords)}); err != nil {
			return fmt.Errorf("consultation: save theme %s: %w", t.Slug, err)
		}
		if err := q.SetThemeAbout(ctx, db.SetThemeAboutParams{ConsultationID: cid, Slug: t.Slug, Summary: t.Summary, ProposalUrl: t.ProposalURL}); err != nil {
			return fmt.Errorf("consultation: save summary of theme %s: %w", t.Slug, err)
		}
		themeIDs[t.Slug] = id
		slugs = append(slugs, t.Slug)
	}
	if err := q.DeleteThemesNotIn(ctx, db.DeleteThemesNotInParams{ConsultationID: cid, Slugs: slugs}); err != nil {
		return inUse(err, "themes")
	}

	scaleIDs, err := loadScales(ctx, q, cid, d.Scales)
	if err != nil {
		return err
	}

	slugs = nil
	for i, g := range d.RespondentGroups {
		if _, err := q.UpsertRespondentGroup(ctx, db.UpsertRespondentGroupParams{ConsultationID: cid, Slug: g.Slug, Label: g.Label, Position: int32(i + 1), EmailDomains: nonNil(g.EmailDomains)}); err != nil {
			return fmt.Errorf("consultation: save group %s: %w", g.Slug, err)
		}
		slugs = append(slugs, g.Slug)
	}
	if err := q.DeleteRespondentGroupsNotIn(ctx, db.DeleteRespondentGroupsNotInParams{ConsultationID: cid, Slugs: slugs}); err != nil {
		return inUse(err, "respondent groups")
	}

	qIDs := map[string]int32{}
	for i, qd := range d.Questions {
		p := db.UpsertQuestionParams{
			ConsultationID: cid, Code: qd.Code, Kind: db.QuestionKind(qd.Kind), Prompt: qd.Prompt,
			Hint: qd.Hint, Position: int32(i + 1), Required: qd.Required,
		}
		if id, ok := themeIDs[qd.Theme]; ok {
			p.ThemeID = &id
		}
		if id, ok := scaleIDs[qd.Scale]; ok {
			p.ScaleID = &id
		}
		id, err := q.UpsertQuestion(ctx, p)
		if err != nil {
			return fmt.Errorf("consultation: save question %s: %w", qd.Code, err)
		}
		if err := q.SetQuestionKeywords(ctx, db.SetQuestionKeywordsParams{ID: id, Keywords: nonNil(qd.Keywords)}); err != nil {
			return fmt.Errorf("consultation: save question %s: %w", qd.Code, err)
		}
		qIDs[strings.ToLower(qd.Code)] = id
	}
	for _, qd := range d.Questions {
		var explains *int32
		if id, ok := qIDs[strings.ToLower(qd.Explains)]; ok && qd.Explains != "" {
			explains = &id
		}
		if err := q.SetQuestionExplains(ctx, db.SetQuestionExplainsParams{ID: qIDs[strings.ToLower(qd.Code)], ExplainsID: explains}); err != nil {
			return fmt.Errorf("consultation: link question %s: %w", qd.Code, err)
		}
	}
	return nil
}

func loadScales(ctx context.Context, q *db.Queries, cid int64, defs []ScaleDef) (map[string]int32, error) {
	ids := map[string]int32{}
	var slugs []string
	for _, sd := range defs {
		sid, err := q.UpsertScale(ctx, db.UpsertScaleParams{ConsultationID: cid, Slug: sd.Slug})
		if err != nil {
			return nil, fmt.Errorf("consultation: save scale %s: %w", sd.Slug, err)
		}
		ids[sd.Slug] = sid
		slugs = append(slugs, sd.Slug)
		var opts []string
		for i, o := range sd.Options {
			if _, err := q.UpsertScaleOption(ctx, db.UpsertScaleOptionParams{
				ConsultationID: cid, ScaleID: sid, Slug: o.Slug, Label: o.Label, Position: int32(i + 1), NoView: o.NoView,
			}); err != nil {
				return nil, fmt.Errorf("consultation: save option %s/%s: %w", sd.Slug, o.Slug, err)
			}
			opts = append(opts, o.Slug)
		}
		// answers has no foreign keys (see the first migration), so the
		// check that no answer chose a removed option is made here.
		chosen, err := q.AnsweredOptionsNotIn(ctx, db.AnsweredOptionsNotInParams{ScaleID: sid, Slugs: opts})
		if err != nil {
			return nil, fmt.Errorf("consultation: check removed options of %s: %w", sd.Slug, err)
		}
		if len(chosen) > 0 {
			return nil, &DefinitionError{Problems: []string{fmt.Sprintf(
				"scales (%s): options %s have been chosen in answers and cannot be removed", sd.Slug, strings.Join(chosen, ", "))}}
		}
		if err := q.DeleteScaleOptionsNotIn(ctx, db.DeleteScaleOptionsNotInParams{ScaleID: sid, Slugs: opts}); err != nil {
			return nil, inUse(err, "options of scale "+sd.Slug)
		}
		var combos []string
		for i, cb := range sd.Combinations {
			if err := q.UpsertScaleCombination(ctx, db.UpsertScaleCombinationParams{
				ConsultationID: cid, ScaleID: sid, Slug: cb.Slug, Label: cb.Label, Position: int32(i + 1), OptionSlugs: cb.Options,
			}); err != nil {
				return nil, fmt.Errorf("consultation: save combination %s/%s: %w", sd.Slug, cb.Slug, err)
			}
			combos = append(combos, cb.Slug)
		}
		if err := q.DeleteScaleCombinationsNotIn(ctx, db.DeleteScaleCombinationsNotInParams{ScaleID: sid, Slugs: combos}); err != nil {
			return nil, fmt.Errorf("consultation: remove combinations of %s: %w", sd.Slug, err)
		}
	}
	if err := q.DeleteScalesNotIn(ctx, db.DeleteScalesNotInParams{ConsultationID: cid, Slugs: slugs}); err != nil {
		return nil, inUse(err, "scales")
	}
	return ids, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// inUse turns the database's refusal to remove something still referred
// to (by responses, event notes, import segments...) into a definition
// problem a person can act on.
func inUse(err error, what string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == pgerrcode.ForeignKeyViolation {
		return &DefinitionError{Problems: []string{fmt.Sprintf(
			"%s: the definition leaves out %s that are still in use (by responses, event notes or imported letters), so they cannot be removed; put them back, or remove what uses them first (%s)",
			what, what, pgErr.TableName)}}
	}
	return fmt.Errorf("consultation: remove %s: %w", what, err)
}
