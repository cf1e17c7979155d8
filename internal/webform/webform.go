// Package webform is the public response form (the webform channel): a
// consultation's definition turned into pages, drafts kept server-side so
// that a respondent can leave and come back, validation, and the submit
// that writes the response through ingest in one transaction, exactly
// once.
package webform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London must resolve even in a bare container

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Limits of what a respondent may enter. The README documents them.
const (
	// MaxOrganisationChars bounds the organisation's name.
	MaxOrganisationChars = 200
	// DraftDays is how long a draft is kept after its last save (a
	// draft saved only once: NewDraftDays), and a sent response's copy
	// of the answers after sending.
	DraftDays = 30
)

var (
	// ErrNoDraft means the browser has no draft for this consultation,
	// or it has expired.
	ErrNoDraft = errors.New("webform: no draft")
	// ErrSubmitted means the draft has already been sent; it can no
	// longer change.
	ErrSubmitted = errors.New("webform: draft already sent")
	// ErrClosed means the consultation is not taking responses: not yet
	// open, or closed.
	ErrClosed = errors.New("webform: consultation is not open")
)

// ValidationError lists what must be fixed before a draft can be sent.
type ValidationError struct {
	Errors []FieldError
	Draft  *Draft // the draft as checked
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("webform: %d problems to fix before sending", len(e.Errors))
}

// Service keeps drafts and submits responses. Consultation structures
// are cached and reloaded when their structure_version moves on.
type Service struct {
	Pool          *pgxpool.Pool
	Consultations *consultation.Service
	Logger        *slog.Logger
	now           func() time.Time

	// DraftStartsPerClient caps new drafts per client address per day
	// (0: no cap); MaxDraftBytes caps the space unsent drafts take before
	// new ones are refused (0: no cap). See limits.go.
	DraftStartsPerClient int
	MaxDraftBytes        int64

	mu           sync.Mutex
	forms        map[string]*Form
	lastPurge    time.Time
	draftBytes   int64
	draftBytesAt time.Time
}

// NewService returns a Service over pool.
func NewService(pool *pgxpool.Pool, logger *slog.Logger) *Service {
	return &Service{
		Pool: pool, Consultations: &consultation.Service{Pool: pool}, Logger: logger,
		now: time.Now, forms: map[string]*Form{},
		DraftStartsPerClient: DefaultDraftStartsPerClient, MaxDraftBytes: DefaultMaxDraftBytes,
	}
}

// Form returns the form of the consultation with slug, with its current
// status and dates.
func (s *Service) Form(ctx context.Context, slug string) (*Form, error) {
	st, err := db.New(s.Pool).FormState(ctx, slug)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, consultation.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("webform: state of %s: %w", slug, err)
	}
	f := s.Cached(slug)
	if f == nil || f.C.ID != st.ID || f.version != st.StructureVersion {
		if f, err = s.reload(ctx, slug, st.StructureVersion); err != nil {
			return nil, err
		}
	}
	out := *f
	out.Status, out.OpensOn, out.ClosesOn = string(st.Status), st.OpensOn, st.ClosesOn
	return &out, nil
}

// Cached returns the last form built for slug without asking the
// database, or nil. It is for showing a respondent their own typed
// answers back when the database cannot be reached.
func (s *Service) Cached(slug string) *Form {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.forms[slug]
}

func (s *Service) reload(ctx context.Context, slug string, version int64) (*Form, error) {
	c, err := s.Consultations.Get(ctx, slug)
	if err != nil {
		return nil, fmt.Errorf("webform: %w", err)
	}
	f := Build(c)
	f.version = version
	s.mu.Lock()
	s.forms[slug] = f
	s.mu.Unlock()
	return f, nil
}

// Purge deletes unsent drafts past their expiry and clears the copy of
// the answers kept with sent ones; a sent draft keeps its reference,
// dates and publication consent.
func (s *Service) Purge(ctx context.Context) (deleted, cleared int64, err error) {
	q := db.New(s.Pool)
	// No draft expires sooner than NewDraftDays after it was started.
	if deleted, err = q.DeleteExpiredDrafts(ctx, NewDraftDays); err != nil {
		return 0, 0, fmt.Errorf("webform: delete expired drafts: %w", err)
	}
	if _, err = q.DeleteOldDraftStarts(ctx); err != nil {
		return deleted, 0, fmt.Errorf("webform: delete old draft counts: %w", err)
	}
	if cleared, err = q.ClearExpiredSubmissions(ctx, DraftDays); err != nil {
		return deleted, 0, fmt.Errorf("webform: clear expired submissions: %w", err)
	}
	return deleted, cleared, nil
}

// maybePurge runs Purge at most once a minute, when a draft is created,
// so no separate job is needed. A failure only delays the purge.
func (s *Service) maybePurge(ctx context.Context) {
	s.mu.Lock()
	due := s.now().Sub(s.lastPurge) > time.Minute
	if due {
		s.lastPurge = s.now()
	}
	s.mu.Unlock()
	if !due {
		return
	}
	if _, _, err := s.Purge(ctx); err != nil && s.Logger != nil {
		s.Logger.Warn("webform purge failed", "err", err)
	}
}
