package batchimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
)

// ErrResponseNotFound: no imported email or letter with that id.
var ErrResponseNotFound = errors.New("response not found")

// ErrUnknownTarget: a segment was attributed to a question or theme the
// consultation does not have.
var ErrUnknownTarget = errors.New("not a question or theme of this consultation")

// Letter is an imported email or letter as an analyst reads it.
type Letter struct {
	db.GetResponseSourceRow
	Segments    []db.ResponseSegmentsRow
	Attachments []struct {
		Name        string `json:"name"`
		ContentType string `json:"content_type"`
		Size        int    `json:"size"`
		Error       string `json:"error"`
	}
	Warnings []string
}

// Letter returns an imported response of c with its text and segments.
func (s *Service) Letter(ctx context.Context, c *consultation.Consultation, id int64) (*Letter, error) {
	q := db.New(s.Pool)
	row, err := q.GetResponseSource(ctx, db.GetResponseSourceParams{ID: id, ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrResponseNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("batchimport: response %d: %w", id, err)
	}
	l := &Letter{GetResponseSourceRow: row}
	if l.Segments, err = q.ResponseSegments(ctx, []int64{id}); err != nil {
		return nil, fmt.Errorf("batchimport: segments of %d: %w", id, err)
	}
	json.Unmarshal(row.Attachments, &l.Attachments) //nolint:errcheck // written by us
	json.Unmarshal(row.Warnings, &l.Warnings)       //nolint:errcheck
	return l, nil
}

// CorrectSegment attributes a segment to a question (by code), a theme
// (by slug) or, with both empty, general comments, then rebuilds the
// response's text answers from its segments so the counts follow. It is
// audited with the attribution before and after.
func (s *Service) CorrectSegment(ctx context.Context, c *consultation.Consultation, by accounts.Actor, responseID, segmentID int64, questionCode, themeSlug string) error {
	p := db.CorrectSegmentParams{ID: segmentID, ResponseID: responseID}
	if questionCode != "" {
		qu := c.Question(questionCode)
		if qu == nil {
			return fmt.Errorf("batchimport: question %q of %s: %w", questionCode, c.Slug, ErrUnknownTarget)
		}
		p.QuestionID = &qu.ID
		if qu.Theme != nil {
			p.ThemeID = &qu.Theme.ID
		}
	} else if themeSlug != "" {
		var t *consultation.Theme
		for _, th := range c.Themes {
			if th.Slug == themeSlug {
				t = th
			}
		}
		if t == nil {
			return fmt.Errorf("batchimport: theme %q of %s: %w", themeSlug, c.Slug, ErrUnknownTarget)
		}
		p.ThemeID = &t.ID
	}
	if by.User != nil {
		p.CorrectedBy = &by.User.ID
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if _, err := q.GetResponseSource(ctx, db.GetResponseSourceParams{ID: responseID, ConsultationID: c.ID}); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrResponseNotFound
			}
			return err
		}
		if _, err := q.CorrectSegment(ctx, p); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrResponseNotFound
			}
			return fmt.Errorf("batchimport: correct segment %d: %w", segmentID, err)
		}
		if err := rebuildTextAnswers(ctx, q, c, responseID); err != nil {
			return err
		}
		e := by.Entry("segment_corrected")
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "response", fmt.Sprint(responseID)
		e.Detail = map[string]any{"segment": segmentID, "question": questionCode, "theme": themeSlug}
		return audit.Record(ctx, q, e)
	})
}

func rebuildTextAnswers(ctx context.Context, q *db.Queries, c *consultation.Consultation, responseID int64) error {
	segs, err := q.ResponseSegments(ctx, []int64{responseID})
	if err != nil {
		return fmt.Errorf("batchimport: segments of %d: %w", responseID, err)
	}
	themes := map[int32]string{}
	for _, t := range c.Themes {
		themes[t.ID] = t.Slug
	}
	parts := make([]attributed, len(segs))
	for i, sg := range segs {
		parts[i] = attributed{question: sg.QuestionCode, text: sg.Text}
		if sg.ThemeID != nil {
			parts[i].theme = themes[*sg.ThemeID]
		}
	}
	if err := q.DeleteTextAnswers(ctx, responseID); err != nil {
		return fmt.Errorf("batchimport: clear answers of %d: %w", responseID, err)
	}
	for _, a := range newMapping(c).textAnswers(parts) {
		if err := q.InsertAnswer(ctx, db.InsertAnswerParams{ResponseID: responseID, QuestionID: a.QuestionID, Text: a.Text}); err != nil {
			return fmt.Errorf("batchimport: answer of %d: %w", responseID, err)
		}
	}
	return nil
}

// ConfirmSuggestedGroup makes a response's suggested group its group (or,
// with dismiss, drops the suggestion), audited.
func (s *Service) ConfirmSuggestedGroup(ctx context.Context, c *consultation.Consultation, by accounts.Actor, responseID int64, dismiss bool) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		var err error
		action := "group_suggestion_confirmed"
		if dismiss {
			action = "group_suggestion_dismissed"
			_, err = q.DismissSuggestedGroup(ctx, db.DismissSuggestedGroupParams{ID: responseID, ConsultationID: c.ID})
		} else {
			_, err = q.ConfirmSuggestedGroup(ctx, db.ConfirmSuggestedGroupParams{ID: responseID, ConsultationID: c.ID})
		}
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrResponseNotFound
		}
		if err != nil {
			return fmt.Errorf("batchimport: %s for %d: %w", action, responseID, err)
		}
		e := by.Entry(action)
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "response", fmt.Sprint(responseID)
		return audit.Record(ctx, q, e)
	})
}

// ConfirmOrganisation confirms the organisation Heard found for a
// response (or, with reject, says it was not sent on behalf of one),
// audited.
func (s *Service) ConfirmOrganisation(ctx context.Context, c *consultation.Consultation, by accounts.Actor, responseID int64, reject bool) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		action := "organisation_confirmed"
		if reject {
			action = "organisation_rejected"
			if _, err := q.ClearOrganisation(ctx, db.ClearOrganisationParams{ID: responseID, ConsultationID: c.ID}); err != nil {
				if errors.Is(err, pgx.ErrNoRows) {
					return ErrResponseNotFound
				}
				return fmt.Errorf("batchimport: clear organisation of %d: %w", responseID, err)
			}
		}
		_, err := q.ConfirmOrganisation(ctx, db.ConfirmOrganisationParams{ID: responseID, ConsultationID: c.ID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrResponseNotFound
		}
		if err != nil {
			return fmt.Errorf("batchimport: %s for %d: %w", action, responseID, err)
		}
		e := by.Entry(action)
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "response", fmt.Sprint(responseID)
		return audit.Record(ctx, q, e)
	})
}
