package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"heard/internal/accounts"
	"heard/internal/dbtest"
)

const password = "correct horse battery staple"

func newService(t *testing.T, emails ...string) *accounts.Service {
	t.Helper()
	svc := accounts.NewService(dbtest.NewPool(t))
	for _, e := range emails {
		if _, err := svc.Create(context.Background(), accounts.Actor{}, e, password, accounts.Admin); err != nil {
			t.Fatal(err)
		}
	}
	return svc
}

func throttled(err error) bool {
	var te *accounts.ThrottledError
	return errors.As(err, &te)
}

// Wrong passwords sent all at once from one client are counted one after
// another: no more are checked than the free failures and the one that
// starts the wait, and the rest, even the right password, wait.
func TestSignInAttemptsAtOnceAreCountedAtomically(t *testing.T) {
	t.Parallel()
	svc := newService(t, "carol@example.org")
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	for range 19 {
		wg.Go(func() {
			_, err := svc.Authenticate(ctx, "carol@example.org", "wrong password here", "198.51.100.1")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, accounts.ErrBadCredentials):
				outcomes["checked"]++
			case throttled(err):
				outcomes["throttled"]++
			case errors.Is(err, accounts.ErrBusy):
				outcomes["busy"]++
			default:
				t.Errorf("attempt: %v", err)
			}
		})
	}
	wg.Wait()
	if outcomes["checked"] > accounts.ClientFreeFailures+1 || outcomes["throttled"] == 0 {
		t.Errorf("19 wrong passwords at once: %v; want at most %d checked, the rest throttled", outcomes, accounts.ClientFreeFailures+1)
	}
	for outcomes["checked"] < accounts.ClientFreeFailures+1 { // those refused as busy were given back
		if _, err := svc.Authenticate(ctx, "carol@example.org", "wrong password here", "198.51.100.1"); throttled(err) {
			break
		}
		outcomes["checked"]++
	}
	if _, err := svc.Authenticate(ctx, "carol@example.org", password, "198.51.100.1"); !throttled(err) {
		t.Fatalf("right password right after: %v, want throttled", err)
	}

	// Attempts while waiting are refused without moving the wait on.
	until := func() string {
		list, err := svc.Throttles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range list {
			if th.Client == "198.51.100.1" {
				return th.BlockedUntil.String()
			}
		}
		return ""
	}
	before := until()
	for range 5 {
		svc.Authenticate(ctx, "carol@example.org", "wrong password here", "198.51.100.1") //nolint:errcheck
	}
	if after := until(); after != before || before == "" {
		t.Errorf("attempts while waiting moved the wait from %s to %s", before, after)
	}
	// Another client is not held up by this one's failures.
	if _, err := svc.Authenticate(ctx, "carol@example.org", password, "198.51.100.2"); err != nil {
		t.Errorf("the right password from another client: %v", err)
	}
}

// A stranger guessing from many addresses makes the account wait for
// everyone but the addresses its owner signed in from lately.
func TestAStrangerCannotKeepTheOwnerOut(t *testing.T) {
	t.Parallel()
	svc := newService(t, "admin@example.org")
	ctx := context.Background()
	if _, err := svc.Authenticate(ctx, "admin@example.org", password, "203.0.113.5"); err != nil {
		t.Fatal(err)
	}
	engaged := false
	for i := range 200 {
		_, err := svc.Authenticate(ctx, "admin@example.org", "a guess", fmt.Sprintf("198.51.100.%d", i))
		if throttled(err) {
			engaged = true
			break
		}
	}
	if !engaged {
		t.Fatal("200 guesses from 200 addresses: the account-wide limit never engaged")
	}
	if _, err := svc.Authenticate(ctx, "admin@example.org", password, "192.0.2.77"); !throttled(err) {
		t.Errorf("a new address during the attack: %v, want throttled", err)
	}
	if _, err := svc.Authenticate(ctx, "admin@example.org", password, "203.0.113.5"); err != nil {
		t.Errorf("the owner, from the address they signed in from before: %v", err)
	}

	// A success clears the client's own count.
	for range 3 {
		svc.Authenticate(ctx, "admin@example.org", "typo", "203.0.113.5") //nolint:errcheck
	}
	if _, err := svc.Authenticate(ctx, "admin@example.org", password, "203.0.113.5"); err != nil {
		t.Fatal(err)
	}
	list, _ := svc.Throttles(ctx)
	for _, th := range list {
		if th.Client == "203.0.113.5" {
			t.Errorf("after signing in, the owner's address still has %d failures", th.Failures)
		}
	}
}
