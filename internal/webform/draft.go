package webform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"heard/internal/db"
)

// Draft is a respondent's answers so far, kept server-side and found
// through the random token in their browser's cookie.
type Draft struct {
	ID int64
	// Reference is what the respondent quotes; it is also the response's
	// source_ref, which makes a second submit a no-op.
	Reference   string
	Answers     map[string]string // question code or "@" + field -> value
	ResumePage  string
	Honeypot    bool
	UpdatedAt   time.Time
	ExpiresAt   time.Time
	SubmittedAt *time.Time
}

func draftFrom(r db.WebformDraft) (*Draft, error) {
	d := &Draft{
		ID: r.ID, Reference: r.Reference, ResumePage: r.ResumePage, Honeypot: r.Honeypot,
		UpdatedAt: r.UpdatedAt, ExpiresAt: r.ExpiresAt, SubmittedAt: r.SubmittedAt,
	}
	if err := json.Unmarshal(r.Answers, &d.Answers); err != nil {
		return nil, fmt.Errorf("webform: draft %d answers: %w", r.ID, err)
	}
	return d, nil
}

// Saved is the outcome of a save.
type Saved struct {
	Token  string // the draft's token: new when the save created the draft
	Draft  *Draft
	Errors []FieldError
}

// Draft returns the unexpired draft that token opens for form f.
func (s *Service) Draft(ctx context.Context, f *Form, token string) (*Draft, error) {
	if token == "" {
		return nil, ErrNoDraft
	}
	r, err := db.New(s.Pool).GetDraft(ctx, db.GetDraftParams{ConsultationID: f.C.ID, TokenHash: hashToken(token)})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoDraft
	}
	if err != nil {
		return nil, fmt.Errorf("webform: read draft: %w", err)
	}
	return draftFrom(r)
}

// Save stores what the respondent entered on pages (one, from a page of
// the form; all of them, from a test or the benchmark) in the draft that
// token opens, creating the draft when there is none. It saves even when
// there are problems to show, so that nothing typed is lost; honeypot
// marks the draft as a bot's.
func (s *Service) Save(ctx context.Context, f *Form, token string, in url.Values, honeypot bool, pages ...*Page) (*Saved, error) {
	return s.SaveFrom(ctx, "", f, token, in, honeypot, pages...)
}

// SaveFrom is Save for a respondent at client address client, whose new
// drafts count towards the address's daily allowance (ErrTooManyDrafts).
// A new draft may also be refused with ErrDraftSpaceFull.
func (s *Service) SaveFrom(ctx context.Context, client string, f *Form, token string, in url.Values, honeypot bool, pages ...*Page) (*Saved, error) {
	patch := map[string]*string{}
	var errs []FieldError
	for _, p := range pages {
		pp, e := f.Parse(p, in)
		for k, v := range pp {
			patch[k] = v
		}
		errs = append(errs, e...)
	}
	answers, err := json.Marshal(patch)
	if err != nil {
		return nil, fmt.Errorf("webform: encode answers: %w", err)
	}
	resume := "check"
	if len(pages) > 0 {
		resume = f.Next(pages[len(pages)-1])
	}
	q := db.New(s.Pool)
	if token != "" {
		r, err := q.SaveDraft(ctx, db.SaveDraftParams{
			ConsultationID: f.C.ID, TokenHash: hashToken(token),
			Answers: answers, ResumePage: resume, Honeypot: honeypot, Days: DraftDays,
		})
		if err == nil {
			d, err := draftFrom(r)
			return &Saved{Token: token, Draft: d, Errors: errs}, err
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("webform: save draft: %w", err)
		}
		// Either sent already, or expired (then a new draft begins).
		d, err := s.Draft(ctx, f, token)
		if err == nil && d.SubmittedAt != nil {
			return nil, ErrSubmitted
		}
		if err != nil && !errors.Is(err, ErrNoDraft) {
			return nil, err
		}
	}
	s.maybePurge(ctx)
	if err := s.allowNewDraft(ctx, client, len(answers)); err != nil {
		return nil, err
	}
	for range 5 { // a clash of references is unlikely; five in a row impossible
		token, ref := newToken(), newReference()
		r, err := q.CreateDraft(ctx, db.CreateDraftParams{
			ConsultationID: f.C.ID, TokenHash: hashToken(token), Reference: ref,
			Answers: answers, ResumePage: resume, Honeypot: honeypot, Days: NewDraftDays,
		})
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == pgerrcode.UniqueViolation {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("webform: create draft: %w", err)
		}
		d, err := draftFrom(r)
		return &Saved{Token: token, Draft: d, Errors: errs}, err
	}
	return nil, fmt.Errorf("webform: create draft: no unused reference after 5 tries")
}

// newToken returns 256 random bits for the cookie.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// referenceAlphabet is Crockford's base 32: no I, L, O or U to misread.
const referenceAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newReference returns 40 random bits as "XXXX-XXXX", easy to read out
// on the phone.
func newReference() string {
	b := make([]byte, 8)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	out := make([]byte, 0, 9)
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, referenceAlphabet[c&31])
	}
	return string(out)
}
