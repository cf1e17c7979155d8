package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// ErrLastAdmin: the change would leave no active admin.
var ErrLastAdmin = errors.New("this would leave no active admin: make someone else an admin first")

// change runs fn on user id in a transaction and audits it.
func (s *Service) change(ctx context.Context, by Actor, id int64, action string, detail map[string]any,
	fn func(q *db.Queries, before db.User) (db.User, error)) (User, error) {
	var after db.User
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		before, err := q.GetUser(ctx, id)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("accounts: get user %d: %w", id, err)
		}
		after, err = fn(q, before)
		if err != nil {
			return err
		}
		e := by.Entry(action)
		e.RecordType, e.RecordID, e.Detail = "user", fmt.Sprint(id), detail
		if e.Detail == nil {
			e.Detail = map[string]any{}
		}
		e.Detail["email"] = before.Email
		return audit.Record(ctx, q, e)
	})
	if err != nil {
		return User{}, err
	}
	return fromRow(after), nil
}

// leavesAnAdmin refuses a change that removes the last active admin.
func leavesAnAdmin(ctx context.Context, q *db.Queries, u db.User) error {
	if u.Role != db.UserRoleAdmin || u.DisabledAt != nil {
		return nil
	}
	n, err := q.CountAdmins(ctx)
	if err != nil {
		return fmt.Errorf("accounts: count admins: %w", err)
	}
	if n <= 1 {
		return ErrLastAdmin
	}
	return nil
}

// SetRole changes a user's role; it takes effect on their next request.
func (s *Service) SetRole(ctx context.Context, by Actor, id int64, role Role) (User, error) {
	if role.rank() == 0 {
		return User{}, &ValidationError{Field: "role", Message: "choose viewer, analyst or admin"}
	}
	return s.change(ctx, by, id, audit.UserRoleChanged, map[string]any{"role": role}, func(q *db.Queries, u db.User) (db.User, error) {
		if role != Admin {
			if err := leavesAnAdmin(ctx, q, u); err != nil {
				return db.User{}, err
			}
		}
		return q.SetUserRole(ctx, db.SetUserRoleParams{ID: id, Role: db.UserRole(role)})
	})
}

// Disable stops a user signing in and ends all their sessions at once.
func (s *Service) Disable(ctx context.Context, by Actor, id int64) (User, error) {
	return s.change(ctx, by, id, audit.UserDisabled, nil, func(q *db.Queries, u db.User) (db.User, error) {
		if u.DisabledAt != nil {
			return u, nil
		}
		if err := leavesAnAdmin(ctx, q, u); err != nil {
			return db.User{}, err
		}
		return q.DisableUser(ctx, id)
	})
}

// Enable lets a disabled user sign in again.
func (s *Service) Enable(ctx context.Context, by Actor, id int64) (User, error) {
	return s.change(ctx, by, id, audit.UserEnabled, nil, func(q *db.Queries, _ db.User) (db.User, error) {
		return q.EnableUser(ctx, id)
	})
}

// SetPassword replaces a user's password, ends their sessions and
// re-enables the account.
func (s *Service) SetPassword(ctx context.Context, by Actor, id int64, password string) (User, error) {
	if err := checkNewPassword(password); err != nil {
		return User{}, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	return s.change(ctx, by, id, audit.PasswordSet, nil, func(q *db.Queries, _ db.User) (db.User, error) {
		return q.SetUserPassword(ctx, db.SetUserPasswordParams{ID: id, PasswordHash: hash})
	})
}
