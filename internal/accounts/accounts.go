// Package accounts holds the back office's users, their roles and
// passwords, and sign-in with lockout. Every change is audited.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/audit"
	"heard/internal/db"
	"heard/internal/fielderr"
)

// Role is what a user may do. Each role can do all that the ones below it can.
type Role string

// The roles, lowest first.
const (
	Viewer  Role = "viewer"  // dashboards and reports; no individual responses or personal data
	Analyst Role = "analyst" // read and code responses, all dashboards and exports
	Admin   Role = "admin"   // manage consultations, imports and users
)

// Roles lists every role, lowest first.
var Roles = []Role{Viewer, Analyst, Admin}

func (r Role) rank() int {
	switch r {
	case Viewer:
		return 1
	case Analyst:
		return 2
	case Admin:
		return 3
	}
	return 0
}

// AtLeast reports whether r includes min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.rank() == 0 {
		return "", &ValidationError{Field: "role", Message: fmt.Sprintf("%q is not a role: choose viewer, analyst or admin", s)}
	}
	return r, nil
}

// User is a back-office account.
type User struct {
	ID       int64
	Email    string
	Role     Role
	Disabled bool
	Epoch    int32
	Created  time.Time
}

func fromRow(u db.User) User {
	return User{ID: u.ID, Email: u.Email, Role: Role(u.Role), Disabled: u.DisabledAt != nil, Epoch: u.SessionEpoch, Created: u.CreatedAt}
}

// Errors callers map to responses.
var (
	// ErrBadCredentials is the one answer for an unknown email, a wrong
	// password and a disabled account, so sign-in reveals nothing.
	ErrBadCredentials = errors.New("the email address or password is not right")
	// ErrNotFound: no such user.
	ErrNotFound = errors.New("user not found")
)

// ValidationError names the field at fault.
type ValidationError struct {
	Field, Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// FieldProblems names the field at fault, its message as a sentence
// (fielderr.Error).
func (e *ValidationError) FieldProblems() []fielderr.Problem { return fielderr.One(e.Field, e.Message) }

// Actor is who is making a change: a signed-in user, or the command line.
type Actor struct {
	User     *User
	ClientIP string
}

// Entry starts an audit entry for action done by a: the user's id and
// email, or "command line".
func (a Actor) Entry(action string) audit.Entry {
	e := audit.Entry{Action: action, Actor: "command line", ClientIP: a.ClientIP}
	if a.User != nil {
		e.UserID, e.Actor = &a.User.ID, a.User.Email
	}
	return e
}

// Service manages users.
type Service struct {
	Pool *pgxpool.Pool
	// dummyHash is checked for unknown emails so that a wrong email takes
	// as long as a wrong password.
	dummyHash string
	hashes    hashLimit

	mu          sync.Mutex
	lastForgets time.Time // when stale sign-in throttles were last deleted
}

// NewService returns a Service over pool.
func NewService(pool *pgxpool.Pool) *Service {
	h, _ := HashPassword("not a real password, only for timing")
	return &Service{Pool: pool, dummyHash: h, hashes: newHashLimit(DefaultHashSlots, DefaultHashWait)}
}

func normaliseEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return "", &ValidationError{Field: "email", Message: "enter an email address in the correct format, like name@example.org"}
	}
	return email, nil
}

func checkNewPassword(p string) error {
	switch n := len([]rune(p)); {
	case n < MinPasswordLen:
		return &ValidationError{Field: "password", Message: fmt.Sprintf("the password must be at least %d characters", MinPasswordLen)}
	case len(p) > MaxPasswordLen:
		return &ValidationError{Field: "password", Message: fmt.Sprintf("the password must be at most %d bytes", MaxPasswordLen)}
	}
	return nil
}

// Create adds a user.
func (s *Service) Create(ctx context.Context, by Actor, email, password string, role Role) (User, error) {
	email, err := normaliseEmail(email)
	if err != nil {
		return User{}, err
	}
	if role.rank() == 0 {
		return User{}, &ValidationError{Field: "role", Message: "choose viewer, analyst or admin"}
	}
	if err := checkNewPassword(password); err != nil {
		return User{}, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	var u db.User
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		u, err = q.CreateUser(ctx, db.CreateUserParams{Email: email, PasswordHash: hash, Role: db.UserRole(role)})
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == pgerrcode.UniqueViolation {
			return &ValidationError{Field: "email", Message: "a user with this email address already exists"}
		}
		if err != nil {
			return fmt.Errorf("accounts: create %s: %w", email, err)
		}
		e := by.Entry(audit.UserCreated)
		e.RecordType, e.RecordID, e.Detail = "user", fmt.Sprint(u.ID), map[string]any{"email": email, "role": role}
		return audit.Record(ctx, q, e)
	})
	if err != nil {
		return User{}, err
	}
	return fromRow(u), nil
}

// Get returns the user with id.
func (s *Service) Get(ctx context.Context, id int64) (User, error) {
	u, err := db.New(s.Pool).GetUser(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("accounts: get user %d: %w", id, err)
	}
	return fromRow(u), nil
}

// GetByEmail returns the user with email (any case).
func (s *Service) GetByEmail(ctx context.Context, email string) (User, error) {
	u, err := db.New(s.Pool).GetUserByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("accounts: get user %s: %w", email, err)
	}
	return fromRow(u), nil
}

// List returns every user by email.
func (s *Service) List(ctx context.Context) ([]User, error) {
	rows, err := db.New(s.Pool).ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("accounts: list users: %w", err)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = fromRow(r)
	}
	return out, nil
}
