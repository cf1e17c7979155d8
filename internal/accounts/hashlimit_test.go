package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"heard/internal/accounts"
	"heard/internal/dbtest"
)

// Password hashes take 64 MiB each: attempts at once beyond the cap wait
// briefly or are refused with ErrBusy, and the memory the process takes
// from the system stays near the cap's worth, not one hash per attempt.
// Not parallel: it measures the process's memory.
func TestConcurrentSignInsAreCappedInMemory(t *testing.T) {
	pool := dbtest.NewPool(t)
	svc := accounts.NewService(pool)
	ctx := context.Background()
	if _, err := svc.Create(ctx, accounts.Actor{}, "a@example.org", "correct horse battery staple", accounts.Admin); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	const attempts = 12
	var wg sync.WaitGroup
	errs := make([]error, attempts)
	for i := range attempts {
		wg.Go(func() {
			_, errs[i] = svc.Authenticate(ctx, fmt.Sprintf("user%d@example.org", i), "wrong password here", "192.0.2.1")
		})
	}
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grew := (int64(after.Sys) - int64(before.Sys)) >> 20
	t.Logf("%d attempts at once: the process took %d MiB more from the system", attempts, grew)
	if grew > 3*64 {
		t.Errorf("%d attempts at once took %d MiB more; want at most about %d hashes' worth", attempts, grew, accounts.DefaultHashSlots)
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, accounts.ErrBusy) && !errors.Is(err, accounts.ErrBadCredentials) {
			t.Errorf("attempt: %v", err)
		}
	}

	// With no wait, a second attempt while one is hashing is refused.
	svc.SetHashLimit(1, 0)
	busy := 0
	var mu sync.Mutex
	for i := range 6 {
		wg.Go(func() {
			if _, err := svc.Authenticate(ctx, fmt.Sprintf("nobody%d@example.org", i), "wrong password here", "192.0.2.2"); errors.Is(err, accounts.ErrBusy) {
				mu.Lock()
				busy++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if busy == 0 {
		t.Error("6 attempts at once with one slot and no wait: none was refused with ErrBusy")
	}
}
