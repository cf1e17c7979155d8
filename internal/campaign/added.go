package campaign

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// A campaign member's added text is coded like any other answer (#15,
// item 3): it is a coding unit of its own (migration 000026), coded with
// the codeframe of one open question the analyst chooses per campaign,
// and its codes count with that question's (once per response: a code
// the member's own answer already has is not counted again).

// ActionAddedCodeframe is the audit action of choosing the codeframe a
// campaign's added text is coded with.
const ActionAddedCodeframe = "campaign_added_codeframe"

// AddedSeparator joins the runs of words a member added in different
// places of the campaign text.
const AddedSeparator = " … "

// AddedText is what a member adds to the canonical text: the added runs
// of the word diff, as the sender wrote them, in order. "" when the
// member adds nothing.
func AddedText(canonical, member string) string {
	ops, _, _ := WordDiff(canonical, member)
	var runs []string
	for _, op := range ops {
		if op.Kind == "added" && strings.TrimSpace(op.Words) != "" {
			runs = append(runs, strings.TrimSpace(op.Words))
		}
	}
	return strings.Join(runs, AddedSeparator)
}

// SetAddedCodeframe chooses the open question whose codeframe codes the
// campaign's added text. Added texts nobody has coded yet follow the new
// choice; those already coded keep the codeframe their codes belong to.
func (s *Service) SetAddedCodeframe(ctx context.Context, by audit.Entry, consultationID, id int64, questionID int32) error {
	if questionID <= 0 {
		return &FieldError{Field: "added-question", Message: "Choose the question whose codeframe codes the added text"}
	}
	detail := map[string]any{"question_id": questionID}
	return s.change(ctx, by, ActionAddedCodeframe, consultationID, id, detail, func(q *db.Queries) (int64, error) {
		n, err := q.SetCampaignAddedQuestion(ctx, db.SetCampaignAddedQuestionParams{ConsultationID: consultationID, ID: id, QuestionID: questionID})
		if err != nil || n == 0 {
			if n == 0 && err == nil {
				return 0, &FieldError{Field: "added-question", Message: "Choose an open question of this consultation"}
			}
			return n, err
		}
		moved, err := q.RepointUncodedAddedTexts(ctx, db.RepointUncodedAddedTextsParams{QuestionID: questionID, CampaignID: &id})
		detail["uncoded_added_texts_moved"] = moved
		return 1, err
	})
}

// OpenAdded stores a member's added text as a coding unit, the first time
// an analyst asks to code it, and returns its id; asked again it returns
// the stored one (its coded excerpts point into the stored text, so it
// is never recomputed). Refused (FieldError) before the campaign has a
// codeframe for added text, or when the member adds no words.
func (s *Service) OpenAdded(ctx context.Context, userID *int64, consultationID, id, responseID int64) (int64, error) {
	var out int64
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		c, err := q.GetCampaign(ctx, db.GetCampaignParams{ConsultationID: consultationID, ID: id})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("campaign: added text of %d: %w", responseID, err)
		}
		if a, err := q.AddedTextOfResponse(ctx, db.AddedTextOfResponseParams{ConsultationID: consultationID, ResponseID: responseID}); err == nil {
			out = a.ID
			return nil
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("campaign: added text of %d: %w", responseID, err)
		}
		if c.AddedQuestionID == nil {
			return &FieldError{Field: "added-question", Message: "Choose the question whose codeframe codes this campaign's added text first"}
		}
		m, err := q.CampaignMemberText(ctx, db.CampaignMemberTextParams{CampaignID: id, ResponseID: responseID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("campaign: added text of %d: %w", responseID, err)
		}
		canon, err := q.CampaignCanonical(ctx, id)
		if err != nil {
			return fmt.Errorf("campaign: canonical text of %d: %w", id, err)
		}
		text := AddedText(canon.Text, m.Text)
		if text == "" {
			return &FieldError{Field: "added", Message: "This response adds no words to the campaign text, so there is nothing of its own to code"}
		}
		if err := q.InsertAddedText(ctx, db.InsertAddedTextParams{ConsultationID: consultationID, ResponseID: responseID, CampaignID: &id,
			QuestionID: *c.AddedQuestionID, Text: text, CreatedBy: userID}); err != nil {
			return fmt.Errorf("campaign: store added text of %d: %w", responseID, err)
		}
		a, err := q.AddedTextOfResponse(ctx, db.AddedTextOfResponseParams{ConsultationID: consultationID, ResponseID: responseID})
		if err != nil {
			return fmt.Errorf("campaign: added text of %d: %w", responseID, err)
		}
		out = a.ID
		return nil
	})
	return out, err
}

// NextAdded is the first member after response after (then from the
// start) with substantial added text that nobody has coded, other than
// skip; 0 when none is left.
func (s *Service) NextAdded(ctx context.Context, id, after, skip int64) (int64, error) {
	q := db.New(s.Pool)
	canon, err := q.CampaignCanonical(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("campaign: canonical text of %d: %w", id, err)
	}
	for _, from := range []int64{after, 0} {
		next, err := q.NextAddedMember(ctx, db.NextAddedMemberParams{CampaignID: id, MinWords: canon.Words + SubstantialAddedWords, After: from})
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && next == skip) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("campaign: next added text of %d: %w", id, err)
		}
		return next, nil
	}
	return 0, nil
}
