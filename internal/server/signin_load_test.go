package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// Beyond the cap on password hashes at once, sign-in answers 503 with
// Retry-After rather than running another 64 MiB hash.
func TestSignInBeyondTheHashCapIs503(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.app.Accounts.SetHashLimit(1, 0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	retryAfter := true
	for i := range 8 {
		wg.Go(func() {
			c := e.anonymous()
			res, _ := c.post("/sign-in", url.Values{"email": {fmt.Sprintf("n%d@example.org", i)}, "password": {"wrong password here"}})
			mu.Lock()
			defer mu.Unlock()
			statuses[res.StatusCode]++
			if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
				retryAfter = false
			}
		})
	}
	wg.Wait()
	if statuses[http.StatusServiceUnavailable] == 0 || statuses[http.StatusServiceUnavailable]+statuses[http.StatusUnauthorized] != 8 {
		t.Errorf("8 sign-ins at once with one hash slot: %v, want some 503 and the rest 401", statuses)
	}
	if !retryAfter {
		t.Error("503 without Retry-After")
	}
}
