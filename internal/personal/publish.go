package personal

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// OrgResponse is one organisation's published response: its open
// answers, redacted.
type OrgResponse struct {
	ResponseID   int64
	Organisation string
	Answers      []OrgAnswer
}

// OrgAnswer is one redacted open answer.
type OrgAnswer struct {
	QuestionID int32
	Text       string
}

// OrganisationResponses returns the responses of organisations that
// consented to publication, each text redacted, and whether they are
// published. The redaction happens here, in one place, so no page can
// forget it.
func (s *Service) OrganisationResponses(ctx context.Context, consultationID int64) ([]OrgResponse, bool, error) {
	q := db.New(s.Pool)
	published, err := q.OrganisationResponsesPublished(ctx, consultationID)
	if err != nil {
		return nil, false, fmt.Errorf("personal: consultation %d: %w", consultationID, err)
	}
	rows, err := q.ConsentedOrganisationAnswers(ctx, consultationID)
	if err != nil {
		return nil, false, fmt.Errorf("personal: organisations' answers: %w", err)
	}
	var ids []int64
	for i, r := range rows {
		if i == 0 || rows[i-1].ResponseID != r.ResponseID {
			ids = append(ids, r.ResponseID)
		}
	}
	red, err := LoadRedactions(ctx, q, ids)
	if err != nil {
		return nil, false, err
	}
	var out []OrgResponse
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].ResponseID != r.ResponseID {
			out = append(out, OrgResponse{ResponseID: r.ResponseID, Organisation: r.Organisation})
		}
		o := &out[len(out)-1]
		o.Answers = append(o.Answers, OrgAnswer{QuestionID: r.QuestionID, Text: red.Text(r.ResponseID, r.QuestionID, r.Text)})
	}
	return out, published, nil
}

// PublishOrganisationResponses puts the consenting organisations'
// redacted responses on a public page, or takes them off, audited.
func (s *Service) PublishOrganisationResponses(ctx context.Context, a Actor, consultationID int64, published bool) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := q.SetOrganisationResponsesPublished(ctx, db.SetOrganisationResponsesPublishedParams{ConsultationID: consultationID, Published: published}); err != nil {
			return fmt.Errorf("personal: publish organisations' responses: %w", err)
		}
		action := "org_responses_published"
		if !published {
			action = "org_responses_unpublished"
		}
		return audit.Record(ctx, q, audit.Entry{UserID: &a.UserID, Actor: a.Email, Action: action, ConsultationID: &consultationID,
			RecordType: "consultation", RecordID: strconv.FormatInt(consultationID, 10), ClientIP: a.ClientIP})
	})
}
