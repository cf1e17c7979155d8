package server_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// While the database is down, every page of the form, not only saving
// and sending, says that nothing typed is lost and when to try again.
func TestEveryFormPageSaysNothingIsLostDuringAnOutage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	c := e.anonymous()
	c.fillForm()
	outage := e.outage()
	outage(true)

	// The "not sent yet" page links to Check your answers: follow it.
	_, body := c.post(respond+"/submit", nil)
	link, ok := doc(t, body).Find(`a[href$="/check"]`).Attr("href")
	if !ok {
		t.Fatalf("the not-sent-yet page has no link to check your answers:\n%s", body)
	}
	for _, p := range []string{link, respond, respond + "/smarter-regulation", respond + "/confirmation", respond + "/saved"} {
		res, body := c.get(p)
		main := doc(t, body).Find("main").Text()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(main, "Nothing you have typed is lost") || !strings.Contains(main, "Try again in a few minutes") {
			t.Errorf("GET %s during the outage: %d, Retry-After %q:\n%s", p, res.StatusCode, res.Header.Get("Retry-After"), main)
		}
	}
	outage(false)
	if res, _ := c.get(respond + "/check"); res.StatusCode != http.StatusOK {
		t.Errorf("check your answers after the outage: %d", res.StatusCode)
	}
}

// A send repeated many times at once (double clicks, a retrying
// browser) always ends at the confirmation, past the send rate limit.
func TestRepeatedSendsAlwaysShowTheConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	c := e.anonymous()
	c.fillForm()
	var wg sync.WaitGroup
	var mu sync.Mutex
	at := map[string]int{}
	for range 20 {
		wg.Go(func() {
			res, _ := c.post(respond+"/submit", nil)
			mu.Lock()
			defer mu.Unlock()
			at[res.Request.URL.Path+" "+http.StatusText(res.StatusCode)]++
		})
	}
	wg.Wait()
	if at[respond+"/confirmation OK"] != 20 {
		t.Errorf("20 sends at once ended at %v; want all 20 at the confirmation", at)
	}
	ref := c.submit(nil)
	if n := e.responsesFor(t, ref); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
}
