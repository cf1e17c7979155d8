package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// Authenticate checks an email and password. Every attempt is audited;
// after LockoutFailures failures within LockoutWindow the email is
// refused with ErrLocked, whether or not it belongs to a user.
func (s *Service) Authenticate(ctx context.Context, email, password, clientIP string) (User, error) {
	// The slot is taken before the transaction, so that attempts waiting
	// for one do not hold database connections.
	if err := s.hashes.acquire(ctx); err != nil {
		return User{}, err
	}
	defer s.hashes.release()
	var user User
	var result error
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		failures, err := q.RecentFailedSignIns(ctx, db.RecentFailedSignInsParams{Email: email, Since: time.Now().Add(-LockoutWindow)})
		if err != nil {
			return fmt.Errorf("accounts: count failed sign-ins: %w", err)
		}
		entry := audit.Entry{Actor: truncate(email, 254), ClientIP: clientIP}
		if failures >= LockoutFailures {
			entry.Action, result = audit.SignInLocked, ErrLocked
			return audit.Record(ctx, q, entry)
		}
		row, err := q.GetUserByEmail(ctx, email)
		hash := s.dummyHash
		found := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("accounts: find %s: %w", email, err)
		}
		if found {
			hash = row.PasswordHash
		}
		ok, err := checkPassword(hash, truncate(password, MaxPasswordLen))
		if err != nil {
			return err
		}
		if !found || !ok || row.DisabledAt != nil {
			entry.Action, result = audit.SignInFailed, ErrBadCredentials
			if found {
				entry.UserID = &row.ID
			}
			return audit.Record(ctx, q, entry)
		}
		user = fromRow(row)
		entry.Action, entry.UserID, entry.Actor = audit.SignIn, &row.ID, row.Email
		return audit.Record(ctx, q, entry)
	})
	if err != nil {
		return User{}, err
	}
	return user, result
}

// RecordSignOut audits a sign-out.
func (s *Service) RecordSignOut(ctx context.Context, u User, clientIP string) error {
	return audit.Record(ctx, db.New(s.Pool), audit.Entry{UserID: &u.ID, Actor: u.Email, Action: audit.SignOut, ClientIP: clientIP})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
