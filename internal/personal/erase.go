package personal

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// Lawful bases a consultation can state (UK GDPR Article 6(1)).
const (
	BasisPublicTask          = "public_task"
	BasisConsent             = "consent"
	BasisLegitimateInterests = "legitimate_interests"
)

// KeepsClosedAnswers reports whether, under basis, an erased response's
// closed answers stay counted. Under public task and legitimate
// interests the right to erasure is qualified, and anonymous counts no
// longer identify anyone, so they stay; under consent, withdrawing it
// takes everything the person gave.
func KeepsClosedAnswers(basis string) bool { return basis != BasisConsent }

// BasisExplained says, for the admin pages, what erasure keeps.
func BasisExplained(basis string) string {
	switch basis {
	case BasisConsent:
		return "Consent (Article 6(1)(a)): withdrawing consent takes back everything the person gave. An erased response’s text, raw files and all its answers are removed, and it no longer counts anywhere: not in any answer’s figures, not in the number of responses received, not in any breakdown or export."
	case BasisLegitimateInterests:
		return "Legitimate interests (Article 6(1)(f)): an erased response’s text and raw files are removed; its closed answers stay in the counts, anonymously, and it still counts as a response received."
	}
	return "Public task (Article 6(1)(e)): an erased response’s text and raw files are removed; its closed answers stay in the counts, anonymously, as the consultation’s record, and it still counts as a response received."
}

// ErrAlreadyErased: the response was erased before.
var ErrAlreadyErased = errors.New("personal: response already erased")

// Erase removes a respondent's personal data from one response: its
// texts become a tombstone, raw files and scans go, its webform draft is
// purged, its spans go, and its closed answers go too unless the
// consultation's lawful basis keeps them. The audit entry says what was
// done, never what was erased.
func (s *Service) Erase(ctx context.Context, a Actor, consultationID, responseID int64) (keptClosed bool, err error) {
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		var err error
		keptClosed, err = erase(ctx, q, consultationID, responseID, "erasure", &a.UserID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, q, audit.Entry{UserID: &a.UserID, Actor: a.Email, Action: "response_erased", ConsultationID: &consultationID,
			RecordType: "response", RecordID: strconv.FormatInt(responseID, 10), ClientIP: a.ClientIP,
			Detail: map[string]any{"closed_answers_kept": keptClosed}})
	})
	return keptClosed, err
}

// erase does the erasure through q; cause is "erasure" or "retention".
func erase(ctx context.Context, q *db.Queries, consultationID, responseID int64, cause string, by *int64) (bool, error) {
	r, err := q.ResponseInConsultation(ctx, db.ResponseInConsultationParams{ID: responseID, ConsultationID: consultationID})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("personal: erase response %d: %w", responseID, err)
	}
	basis, err := q.ConsultationLawfulBasis(ctx, consultationID)
	if err != nil {
		return false, fmt.Errorf("personal: erase response %d: lawful basis: %w", responseID, err)
	}
	// Retention keeps the anonymous counts whatever the basis: the
	// period ended, nobody withdrew anything.
	keep := cause == "retention" || KeepsClosedAnswers(basis.LawfulBasis)
	steps := []struct {
		what string
		fn   func() error
	}{
		{"source", func() error { return q.TombstoneSource(ctx, responseID) }},
		{"scans", func() error { return q.DeleteResponseScans(ctx, responseID) }},
		{"spans", func() error { return q.DeleteResponsesSpans(ctx, []int64{responseID}) }},
		{"answers", func() error {
			if keep {
				return q.TombstoneOpenAnswers(ctx, responseID)
			}
			return q.DeleteAllAnswers(ctx, responseID)
		}},
		{"added text", func() error { return q.TombstoneAddedText(ctx, responseID) }},
		{"counts", func() error {
			if keep {
				return nil
			}
			// The row stays as a tombstone (so the same file imported
			// again never brings it back) but counts nowhere.
			return q.WithdrawResponse(ctx, responseID)
		}},
		{"draft", func() error {
			if r.Channel != "webform" {
				return nil
			}
			return q.PurgeDraft(ctx, db.PurgeDraftParams{ConsultationID: consultationID, Reference: r.SourceRef})
		}},
		{"record", func() error {
			return q.InsertErasure(ctx, db.InsertErasureParams{ResponseID: responseID, ConsultationID: consultationID, Cause: cause, KeptClosed: keep, ErasedBy: by})
		}},
	}
	for _, st := range steps {
		if err := st.fn(); err != nil {
			return false, fmt.Errorf("personal: erase response %d: %s: %w", responseID, st.what, err)
		}
	}
	return keep, nil
}

// Settings are a consultation's lawful basis and retention period.
type Settings struct {
	Basis           string
	RetentionMonths int // 0: not set
	Erased          int // responses erased so far
}

// Settings reads a consultation's lawful basis and retention period.
func (s *Service) Settings(ctx context.Context, consultationID int64) (Settings, error) {
	q := db.New(s.Pool)
	b, err := q.ConsultationLawfulBasis(ctx, consultationID)
	if err != nil {
		return Settings{}, fmt.Errorf("personal: settings of consultation %d: %w", consultationID, err)
	}
	n, err := q.ErasureCount(ctx, consultationID)
	if err != nil {
		return Settings{}, fmt.Errorf("personal: erasures of consultation %d: %w", consultationID, err)
	}
	st := Settings{Basis: b.LawfulBasis, Erased: int(n)}
	if b.RetentionMonths != nil {
		st.RetentionMonths = int(*b.RetentionMonths)
	}
	return st, nil
}

// SetSettings states a consultation's lawful basis and retention period
// (0 months: none set), audited.
func (s *Service) SetSettings(ctx context.Context, a Actor, consultationID int64, basis string, months int) error {
	switch basis {
	case BasisPublicTask, BasisConsent, BasisLegitimateInterests:
	default:
		return &InvalidError{"basis", "Choose the lawful basis the consultation’s privacy notice states"}
	}
	if months < 0 || months > 120 {
		return &InvalidError{"months", "Enter a retention period from 1 to 120 months, or leave it empty"}
	}
	var m *int32
	if months > 0 {
		v := int32(months)
		m = &v
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := q.SetLawfulBasis(ctx, db.SetLawfulBasisParams{ConsultationID: consultationID, LawfulBasis: basis, RetentionMonths: m}); err != nil {
			return fmt.Errorf("personal: set lawful basis: %w", err)
		}
		return audit.Record(ctx, q, audit.Entry{UserID: &a.UserID, Actor: a.Email, Action: "lawful_basis_set", ConsultationID: &consultationID,
			RecordType: "consultation", RecordID: strconv.FormatInt(consultationID, 10), ClientIP: a.ClientIP,
			Detail: map[string]any{"lawful_basis": basis, "retention_months": months}})
	})
}
