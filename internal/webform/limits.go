package webform

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/db"
)

// Anonymous drafts cost storage, so new ones are limited: per client
// address per day, and by the space all unsent drafts take. A draft
// saved only once (started and left, as a script does) is kept
// NewDraftDays; a second save, or "save and come back later", keeps it
// DraftDays. The README states the same policy.
const (
	NewDraftDays                = 2
	DefaultDraftStartsPerClient = 200
	DefaultMaxDraftBytes        = 1 << 30
)

var (
	// ErrTooManyDrafts: this client address has started its day's
	// allowance of drafts.
	ErrTooManyDrafts = errors.New("webform: too many drafts started from this address today")
	// ErrDraftSpaceFull: unsent drafts already take MaxDraftBytes.
	ErrDraftSpaceFull = errors.New("webform: unsent drafts have reached their space limit")
)

// allowNewDraft counts a new draft of about size bytes from client ("" is
// not counted: in-process callers), or refuses it.
func (s *Service) allowNewDraft(ctx context.Context, client string, size int) error {
	if client != "" && s.DraftStartsPerClient > 0 {
		h := sha256.Sum256([]byte(client))
		n, err := db.New(s.Pool).CountDraftStart(ctx, h[:])
		if err != nil {
			return fmt.Errorf("webform: count drafts started: %w", err)
		}
		if int(n) > s.DraftStartsPerClient {
			return ErrTooManyDrafts
		}
	}
	if s.MaxDraftBytes <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The total is read from the database at most once a minute, and kept
	// up to date in between with the drafts started here.
	if s.now().Sub(s.draftBytesAt) > time.Minute {
		n, err := db.New(s.Pool).UnsentDraftBytes(ctx)
		if err != nil {
			return fmt.Errorf("webform: space taken by drafts: %w", err)
		}
		s.draftBytes, s.draftBytesAt = n, s.now()
	}
	if s.draftBytes+int64(size) > s.MaxDraftBytes {
		return ErrDraftSpaceFull
	}
	s.draftBytes += int64(size)
	return nil
}

// Keep keeps the unsent draft token opens for DraftDays from now: the
// respondent chose to save and come back later.
func (s *Service) Keep(ctx context.Context, f *Form, token string) error {
	_, err := db.New(s.Pool).KeepDraft(ctx, db.KeepDraftParams{ConsultationID: f.C.ID, TokenHash: hashToken(token), Days: DraftDays})
	if err != nil {
		return fmt.Errorf("webform: keep draft: %w", err)
	}
	return nil
}

// Sent reports whether the draft token opens has been sent, waiting for
// a submission of it in progress to finish first. A repeated send that
// is over the rate limit uses it to show the confirmation instead.
func (s *Service) Sent(ctx context.Context, f *Form, token string) (bool, error) {
	sent, err := db.New(s.Pool).DraftSentAfterLock(ctx, db.DraftSentAfterLockParams{ConsultationID: f.C.ID, TokenHash: hashToken(token)})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, ErrNoDraft
	}
	if err != nil {
		return false, fmt.Errorf("webform: is draft sent: %w", err)
	}
	return sent, nil
}
