package results

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
)

// LettersPerPage is how many emails and letters the list shows a page.
const LettersPerPage = 50

// MaxOrganisation bounds an organisation's name typed by an analyst.
const MaxOrganisation = 200

// LetterItem is one imported email or letter in the list.
type LetterItem struct {
	ID               int64
	Ref, Channel     string
	Received         time.Time
	Sender, Subject  string
	Organisation     string // "" for an individual
	GroupID          int32  // 0: not known
	SuggestedGroupID int32  // 0: none awaiting confirmation
	Segments         int64
	BatchID          int64
	BatchFile        string
}

// Letters returns page (from 1) of c's imported emails and letters and
// how many there are.
func (s *Service) Letters(ctx context.Context, c *consultation.Consultation, page int) ([]LetterItem, int64, error) {
	q := db.New(s.Pool)
	total, err := q.CountLetters(ctx, c.ID)
	if err != nil {
		return nil, 0, fmt.Errorf("results: count letters of %s: %w", c.Slug, err)
	}
	if page < 1 || (page > 1 && int64(page-1)*LettersPerPage >= total) {
		return nil, 0, ErrPageOutOfRange
	}
	rows, err := q.LetterList(ctx, db.LetterListParams{ConsultationID: c.ID, PageSize: LettersPerPage, Skip: int32((page - 1) * LettersPerPage)})
	if err != nil {
		return nil, 0, fmt.Errorf("results: letters of %s: %w", c.Slug, err)
	}
	out := make([]LetterItem, len(rows))
	for i, r := range rows {
		it := LetterItem{ID: r.ID, Ref: r.SourceRef, Channel: string(r.Channel), Received: r.ReceivedAt,
			Sender: r.SenderName, Subject: r.Subject, Segments: r.Segments, BatchFile: r.BatchFile}
		if r.OnBehalfOfOrg {
			it.Organisation = r.Organisation
		}
		if r.RespondentGroupID != nil {
			it.GroupID = *r.RespondentGroupID
		}
		if r.SuggestedGroupID != nil {
			it.SuggestedGroupID = *r.SuggestedGroupID
		}
		if r.BatchID != nil {
			it.BatchID = *r.BatchID
		}
		out[i] = it
	}
	return out, total, nil
}

// RespondentError is an analyst's correction that cannot be saved.
type RespondentError struct{ Field, Message string }

func (e *RespondentError) Error() string { return e.Message }

// SetLetterRespondent sets who sent an imported email or letter: its
// respondent group (slug; "" for not known) and the organisation it came
// from ("" for an individual). Counts follow at once: the triggers on
// responses move the letter's answers and codes. The change is audited
// with the values before and after.
func (s *Service) SetLetterRespondent(ctx context.Context, c *consultation.Consultation, by accounts.Actor, id int64, groupSlug, organisation string) error {
	organisation = strings.Join(strings.Fields(organisation), " ")
	if len([]rune(organisation)) > MaxOrganisation {
		return &RespondentError{Field: "organisation", Message: fmt.Sprintf("Organisation name must be %d characters or fewer", MaxOrganisation)}
	}
	var group *int32
	if groupSlug != "" {
		g := c.Group(groupSlug)
		if g == nil {
			return &RespondentError{Field: "group", Message: "Choose a respondent group from the list"}
		}
		group = &g.ID
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		before, err := q.LetterRespondent(ctx, db.LetterRespondentParams{ID: id, ConsultationID: c.ID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrResponseNotFound
		}
		if err != nil {
			return fmt.Errorf("results: letter %d: %w", id, err)
		}
		if err := q.SetLetterRespondent(ctx, db.SetLetterRespondentParams{
			ID: id, ConsultationID: c.ID, RespondentGroupID: group, OnBehalfOfOrg: organisation != "", Organisation: organisation,
		}); err != nil {
			return fmt.Errorf("results: set respondent of letter %d: %w", id, err)
		}
		slugOf := func(g *int32) string {
			for _, cg := range c.Groups {
				if g != nil && cg.ID == *g {
					return cg.Slug
				}
			}
			return ""
		}
		e := by.Entry("letter_respondent_set")
		e.ConsultationID, e.RecordType, e.RecordID = &c.ID, "response", fmt.Sprint(id)
		e.Detail = map[string]any{
			"group_before": slugOf(before.RespondentGroupID), "group_after": groupSlug,
			"organisation_before": orgOf(before.OnBehalfOfOrg, before.Organisation), "organisation_after": organisation,
		}
		return audit.Record(ctx, q, e)
	})
}

func orgOf(onBehalf bool, name string) string {
	if !onBehalf {
		return ""
	}
	return name
}
