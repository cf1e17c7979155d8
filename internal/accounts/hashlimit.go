package accounts

import (
	"context"
	"errors"
	"time"
)

// Each argon2id hash holds argonMemory (64 MiB) while it runs, so
// hashing is capped: 19 sign-in attempts at once took the server from
// 90 MB to 551 MB. An attempt waits up to HashWait for a free slot, then
// gets ErrBusy (which the web answers with 503 and Retry-After).
const (
	DefaultHashSlots = 2
	DefaultHashWait  = 500 * time.Millisecond
)

// ErrBusy: too many passwords are being checked at once; try again in a
// few seconds.
var ErrBusy = errors.New("accounts: too many passwords being checked at once")

// hashLimit is a semaphore of hash slots.
type hashLimit struct {
	slots chan struct{}
	wait  time.Duration
}

func newHashLimit(n int, wait time.Duration) hashLimit {
	return hashLimit{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// acquire takes a slot, waiting at most l.wait; release gives it back.
func (l hashLimit) acquire(ctx context.Context) error {
	if l.slots == nil {
		return nil // a Service not made by NewService: no cap, rather than never a hash
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	if l.wait <= 0 {
		return ErrBusy
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l hashLimit) release() {
	if l.slots != nil {
		<-l.slots
	}
}

// SetHashLimit changes how many password hashes may run at once and how
// long an attempt waits for one. Call it before serving.
func (s *Service) SetHashLimit(slots int, wait time.Duration) {
	s.hashes = newHashLimit(slots, wait)
}

// hash is HashPassword within the limit.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if err := s.hashes.acquire(ctx); err != nil {
		return "", err
	}
	defer s.hashes.release()
	return HashPassword(password)
}
