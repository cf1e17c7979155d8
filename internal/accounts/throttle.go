package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// Sign-in throttling slows guessing without letting a stranger keep an
// account's owner out. Failures are counted per email and client address,
// and per email from all clients together; each count allows some free
// failures, then makes the next attempt wait, doubling with every
// failure up to a ceiling. A client the account signed in from in the
// last 30 days is exempt from the account-wide count, so guessing from
// elsewhere cannot lock its owner out. An attempt while blocked is
// refused without being checked or counted, and counts are forgotten a
// day after the last failure. The README states the same policy.
const (
	ClientFreeFailures  = 4
	ClientBaseDelay     = 15 * time.Second
	ClientMaxDelay      = 15 * time.Minute
	AccountFreeFailures = 20
	AccountBaseDelay    = time.Second
	AccountMaxDelay     = time.Minute
	ThrottleMemory      = 24 * time.Hour
)

// ThrottledError refuses a sign-in attempt until Until.
type ThrottledError struct{ Until time.Time }

func (e *ThrottledError) Error() string {
	return "accounts: too many failed sign-in attempts; wait until " + e.Until.Format(time.RFC3339)
}

// limit is one of the two counts an attempt is checked against.
type limit struct {
	client    string // "" for the email from all clients
	free      int32
	base, max time.Duration
}

func (l limit) delay(failures int32) time.Duration {
	if failures <= l.free {
		return 0
	}
	n := failures - l.free - 1
	if n >= 20 {
		return l.max
	}
	return min(l.base<<n, l.max)
}

func throttleKey(email string) string {
	return strings.ToLower(truncate(strings.TrimSpace(email), 254))
}

// claim counts an attempt as a failure before its password is checked,
// so that attempts at once cannot all slip past the limits: each waits
// for the row lock of the one before. A success gives it back.
func (s *Service) claim(ctx context.Context, key string, limits []limit) error {
	now := time.Now()
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		for _, l := range limits {
			t, err := q.LockSignInThrottle(ctx, db.LockSignInThrottleParams{Email: key, Client: l.client})
			if err != nil {
				return fmt.Errorf("accounts: sign-in throttle of %s: %w", key, err)
			}
			if t.BlockedUntil.After(now) {
				return &ThrottledError{Until: t.BlockedUntil}
			}
			failures := t.Failures + 1
			if now.Sub(t.LastFailureAt) > ThrottleMemory {
				failures = 1
			}
			if err := q.SetSignInThrottle(ctx, db.SetSignInThrottleParams{
				Email: key, Client: l.client, Failures: failures, LastFailureAt: now, BlockedUntil: now.Add(l.delay(failures)),
			}); err != nil {
				return fmt.Errorf("accounts: count sign-in attempt of %s: %w", key, err)
			}
		}
		return nil
	})
}

// giveBack returns attempts counted by claim: all of them when the
// password was never checked; on a success, the client's count is
// cleared and the account-wide one loses this attempt.
func (s *Service) giveBack(ctx context.Context, q *db.Queries, key string, limits []limit, success bool) error {
	for _, l := range limits {
		var err error
		if success && l.client != "" {
			_, err = q.ClearSignInThrottle(ctx, db.ClearSignInThrottleParams{Email: key, Client: l.client})
		} else {
			err = q.ReturnSignInAttempt(ctx, db.ReturnSignInAttemptParams{Email: key, Client: l.client})
		}
		if err != nil {
			return fmt.Errorf("accounts: give back sign-in attempt of %s: %w", key, err)
		}
	}
	return nil
}

// Throttle is one count of failed sign-ins, for the admins' page.
type Throttle struct {
	Email, Client string // Client "" is the email from all clients
	Failures      int
	LastFailure   time.Time
	BlockedUntil  time.Time
}

// Blocked reports whether the throttle refuses attempts at now.
func (t Throttle) Blocked(now time.Time) bool { return t.BlockedUntil.After(now) }

// Throttles lists the counts with failures in the last day, blocked first.
func (s *Service) Throttles(ctx context.Context) ([]Throttle, error) {
	rows, err := db.New(s.Pool).ListSignInThrottles(ctx)
	if err != nil {
		return nil, fmt.Errorf("accounts: list sign-in throttles: %w", err)
	}
	out := make([]Throttle, len(rows))
	for i, r := range rows {
		out[i] = Throttle{Email: r.Email, Client: r.Client, Failures: int(r.Failures), LastFailure: r.LastFailureAt, BlockedUntil: r.BlockedUntil}
	}
	return out, nil
}

// ClearThrottle forgets the failures of email from client ("" for the
// account-wide count), so that sign-in is open again at once.
func (s *Service) ClearThrottle(ctx context.Context, by Actor, email, client string) error {
	key := throttleKey(email)
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		n, err := q.ClearSignInThrottle(ctx, db.ClearSignInThrottleParams{Email: key, Client: client})
		if err != nil {
			return fmt.Errorf("accounts: clear sign-in throttle of %s: %w", key, err)
		}
		if n == 0 {
			return ErrNotFound
		}
		e := by.Entry(audit.SignInThrottleCleared)
		e.RecordType, e.RecordID = "sign_in_throttle", key
		e.Detail = map[string]any{"email": key, "client": client}
		return audit.Record(ctx, q, e)
	})
}

// errorsAsThrottled is errors.As for *ThrottledError.
func errorsAsThrottled(err error) (*ThrottledError, bool) {
	var te *ThrottledError
	ok := errors.As(err, &te)
	return te, ok
}
