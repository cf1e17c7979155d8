package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// LinkLifetime is how long a set-password link works, once.
const LinkLifetime = 24 * time.Hour

// Purposes of a set-password link.
const (
	Invite = "invite" // a new user chooses their first password
	Reset  = "reset"  // an existing user chooses a new one
)

// ErrLinkInvalid: the link is unknown, used, replaced or expired, or its
// user is disabled. One answer for all, so a link reveals nothing.
var ErrLinkInvalid = errors.New("this link has expired or has already been used")

// Link is a set-password link as shown, once, to the admin who made it.
// Only the token's SHA-256 is stored.
type Link struct {
	User    User
	Token   string
	Purpose string
	Expires time.Time
}

// InviteUser adds a user without a password they know (a random one
// nobody sees) and returns the one-time link with which they set their
// own. Nobody ever has to send a password.
func (s *Service) InviteUser(ctx context.Context, by Actor, email string, role Role) (Link, error) {
	u, err := s.Create(ctx, by, email, GeneratePassword(), role)
	if err != nil {
		return Link{}, err
	}
	return s.newLink(ctx, by, u.ID, Invite)
}

// ResetLink returns a new one-time link for user id to set a new
// password, replacing any unused one. Their current password keeps
// working until the link is used.
func (s *Service) ResetLink(ctx context.Context, by Actor, id int64) (Link, error) {
	return s.newLink(ctx, by, id, Reset)
}

func (s *Service) newLink(ctx context.Context, by Actor, id int64, purpose string) (Link, error) {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails (Go ≥ 1.24)
	token := base64.RawURLEncoding.EncodeToString(b)
	l := Link{Token: token, Purpose: purpose, Expires: time.Now().Add(LinkLifetime)}
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		u, err := q.GetUser(ctx, id)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("accounts: get user %d: %w", id, err)
		}
		if u.DisabledAt != nil {
			return &ValidationError{Field: "email", Message: "this account is disabled: enable it first"}
		}
		l.User = fromRow(u)
		if err := q.RevokePasswordLinks(ctx, id); err != nil {
			return fmt.Errorf("accounts: revoke links of %d: %w", id, err)
		}
		var createdBy *int64
		if by.User != nil {
			createdBy = &by.User.ID
		}
		err = q.CreatePasswordLink(ctx, db.CreatePasswordLinkParams{
			UserID: id, TokenHash: hashToken(token), Purpose: purpose, CreatedBy: createdBy, ExpiresAt: l.Expires,
		})
		if err != nil {
			return fmt.Errorf("accounts: create link for %d: %w", id, err)
		}
		e := by.Entry(audit.PasswordLinkCreated)
		e.RecordType, e.RecordID = "user", fmt.Sprint(id)
		e.Detail = map[string]any{"email": u.Email, "purpose": purpose, "expires": l.Expires.UTC().Format("2 Jan 2006 15:04 UTC")}
		return audit.Record(ctx, q, e)
	})
	if err != nil {
		return Link{}, err
	}
	return l, nil
}

// LinkFor returns the user and purpose of a link that still works.
func (s *Service) LinkFor(ctx context.Context, token string) (User, string, error) {
	row, err := db.New(s.Pool).ValidPasswordLink(ctx, hashToken(token))
	if errors.Is(err, pgx.ErrNoRows) || err == nil && row.DisabledAt != nil {
		return User{}, "", ErrLinkInvalid
	}
	if err != nil {
		return User{}, "", fmt.Errorf("accounts: read link: %w", err)
	}
	return User{ID: row.ID, Email: row.Email}, row.Purpose, nil
}

// UseLink sets the password of the link's user and uses the link up, in
// one transaction: of two submits at once only one succeeds. Their other
// sessions end, as with any new password.
func (s *Service) UseLink(ctx context.Context, token, password, clientIP string) (User, error) {
	if err := checkNewPassword(password); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	var u db.User
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		l, err := q.UsePasswordLink(ctx, hashToken(token))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrLinkInvalid
		}
		if err != nil {
			return fmt.Errorf("accounts: use link: %w", err)
		}
		before, err := q.GetUser(ctx, l.UserID)
		if err != nil {
			return fmt.Errorf("accounts: get user %d: %w", l.UserID, err)
		}
		if before.DisabledAt != nil {
			return ErrLinkInvalid
		}
		if u, err = q.SetUserPassword(ctx, db.SetUserPasswordParams{ID: l.UserID, PasswordHash: hash}); err != nil {
			return fmt.Errorf("accounts: set password of %d: %w", l.UserID, err)
		}
		me := fromRow(before)
		e := Actor{User: &me, ClientIP: clientIP}.Entry(audit.PasswordLinkUsed)
		e.RecordType, e.RecordID = "user", fmt.Sprint(u.ID)
		e.Detail = map[string]any{"email": u.Email, "purpose": l.Purpose}
		return audit.Record(ctx, q, e)
	})
	if err != nil {
		return User{}, err
	}
	return fromRow(u), nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// PasswordIs reports whether password is user id's current password,
// without signing in or recording anything: for the demo admin, whose
// password `make run` keeps between runs.
func (s *Service) PasswordIs(ctx context.Context, id int64, password string) (bool, error) {
	u, err := db.New(s.Pool).GetUser(ctx, id)
	if err != nil {
		return false, fmt.Errorf("accounts: get user %d: %w", id, err)
	}
	return checkPassword(u.PasswordHash, password)
}

// Pending is a set-password link that is not used yet and still works.
type Pending struct {
	Purpose string
	Expires time.Time
}

// PendingLinks returns, by user id, the links not used yet: an invited
// user who has not set a password shows as such on the users page.
func (s *Service) PendingLinks(ctx context.Context) (map[int64]Pending, error) {
	rows, err := db.New(s.Pool).PendingPasswordLinks(ctx)
	if err != nil {
		return nil, fmt.Errorf("accounts: pending links: %w", err)
	}
	out := make(map[int64]Pending, len(rows))
	for _, r := range rows {
		out[r.UserID] = Pending{Purpose: r.Purpose, Expires: r.ExpiresAt}
	}
	return out, nil
}
