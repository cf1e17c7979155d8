// Package audit is Heard's append-only record of who did what: sign-ins,
// user changes, imports, edits, codings, exports and redactions. Entries
// are written in the same transaction as the change they record; the
// table refuses updates and deletes.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/db"
)

// Actions recorded so far. Later features add their own.
const (
	SignIn                = "sign_in"
	SignInFailed          = "sign_in_failed"
	SignInLocked          = "sign_in_refused_locked" // refused by the sign-in throttle
	SignInThrottleCleared = "sign_in_throttle_cleared"
	SignOut               = "sign_out"
	UserCreated           = "user_created"
	UserRoleChanged       = "user_role_changed"
	UserDisabled          = "user_disabled"
	UserEnabled           = "user_enabled"
	PasswordSet           = "user_password_set"
	ResultsPublish        = "results_published"
	ResultsHide           = "results_unpublished"
)

// Entry is one thing that happened.
type Entry struct {
	UserID         *int64 // who did it, when signed in
	Actor          string // their email (or what was typed at sign-in); "command line" for the CLI
	Action         string
	ConsultationID *int64
	RecordType     string // e.g. "user", "response", "batch"
	RecordID       string
	Detail         map[string]any
	ClientIP       string
}

// Record appends e through q, inside the caller's transaction.
func Record(ctx context.Context, q *db.Queries, e Entry) error {
	detail := []byte("{}")
	if len(e.Detail) > 0 {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return fmt.Errorf("audit: encode detail of %s: %w", e.Action, err)
		}
		detail = b
	}
	err := q.InsertAudit(ctx, db.InsertAuditParams{
		UserID: e.UserID, Actor: e.Actor, Action: e.Action, ConsultationID: e.ConsultationID,
		RecordType: e.RecordType, RecordID: e.RecordID, Detail: detail, ClientIp: e.ClientIP,
	})
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Filter narrows the log. Empty fields match everything.
type Filter struct {
	Action, Actor, Consultation string
	Before                      int64 // page: entries with a smaller id
}

// Item is one listed entry.
type Item struct {
	ID                                            int64
	At                                            time.Time
	Actor, Action, Consultation, Record, ClientIP string
	Detail                                        string
}

// Service reads the log.
type Service struct {
	Pool *pgxpool.Pool
}

// List returns up to limit entries, newest first, and whether there are more.
func (s *Service) List(ctx context.Context, f Filter, limit int) ([]Item, bool, error) {
	rows, err := db.New(s.Pool).ListAudit(ctx, db.ListAuditParams{
		Before: f.Before, Action: f.Action, Actor: f.Actor, Consultation: f.Consultation, PageSize: int32(limit + 1),
	})
	if err != nil {
		return nil, false, fmt.Errorf("audit: list: %w", err)
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	items := make([]Item, len(rows))
	for i, r := range rows {
		rec := r.RecordType
		if r.RecordID != "" {
			rec += " " + r.RecordID
		}
		detail := string(r.Detail)
		if detail == "{}" {
			detail = ""
		}
		items[i] = Item{ID: r.ID, At: r.At, Actor: r.Actor, Action: r.Action, Consultation: r.ConsultationSlug, Record: rec, ClientIP: r.ClientIp, Detail: detail}
	}
	return items, more, nil
}

// Actions lists the actions present in the log, for the filter.
func (s *Service) Actions(ctx context.Context) ([]string, error) {
	a, err := db.New(s.Pool).AuditActions(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: actions: %w", err)
	}
	return a, nil
}
