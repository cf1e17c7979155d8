package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// Authenticate checks an email and password. Every attempt is audited.
// Attempts are throttled per email and client, and per email (see
// throttle.go), whether or not the email belongs to a user; a throttled
// attempt gets a *ThrottledError without its password being checked.
func (s *Service) Authenticate(ctx context.Context, email, password, clientIP string) (User, error) {
	q := db.New(s.Pool)
	row, err := q.GetUserByEmail(ctx, email)
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("accounts: find %s: %w", email, err)
	}
	key := throttleKey(email)
	limits := []limit{{client: clientIP, free: ClientFreeFailures, base: ClientBaseDelay, max: ClientMaxDelay}}
	known := false
	if found {
		if known, err = q.SignedInFromLately(ctx, db.SignedInFromLatelyParams{UserID: &row.ID, ClientIp: clientIP}); err != nil {
			return User{}, fmt.Errorf("accounts: sign-in history of %s: %w", email, err)
		}
	}
	if !known {
		limits = append(limits, limit{client: "", free: AccountFreeFailures, base: AccountBaseDelay, max: AccountMaxDelay})
	}

	entry := audit.Entry{Actor: truncate(email, 254), ClientIP: clientIP}
	if found {
		entry.UserID = &row.ID
	}
	if err := s.claim(ctx, key, limits); err != nil {
		if te, ok := errorsAsThrottled(err); ok {
			entry.Action = audit.SignInLocked
			if err := audit.Record(ctx, q, entry); err != nil {
				return User{}, err
			}
			return User{}, te
		}
		return User{}, err
	}

	// The hash slot is taken after the claim, so that refused attempts
	// never wait for one.
	if err := s.hashes.acquire(ctx); err != nil {
		if gerr := s.giveBack(context.WithoutCancel(ctx), q, key, limits, false); gerr != nil {
			return User{}, gerr
		}
		return User{}, err
	}
	hash := s.dummyHash
	if found {
		hash = row.PasswordHash
	}
	ok, err := checkPassword(hash, truncate(password, MaxPasswordLen))
	s.hashes.release()
	if err != nil {
		return User{}, err
	}
	if !found || !ok || row.DisabledAt != nil {
		entry.Action = audit.SignInFailed
		if err := audit.Record(ctx, q, entry); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := s.giveBack(ctx, q, key, limits, true); err != nil {
			return err
		}
		entry.Action, entry.Actor = audit.SignIn, row.Email
		return audit.Record(ctx, q, entry)
	})
	if err != nil {
		return User{}, err
	}
	return fromRow(row), nil
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
