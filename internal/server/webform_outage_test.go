package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// When the database goes away mid-response, nothing is lost: a page
// comes back with what was typed, a submit says nothing was sent and
// nothing lost, and once the database is back the same submit works,
// storing one response. The outage is real: the test database stops
// taking connections and its open ones are terminated.
func TestWebformSurvivesADatabaseOutage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	c := e.anonymous()
	c.fillForm()

	outage := e.outage()
	outage(true)

	typed := "Typed during the outage: keep me."
	res, body := c.post(respond+"/equality-impact", url.Values{"q-Q7": {typed}})
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "not saved yet") || !strings.Contains(body, typed) {
		t.Errorf("saving a page during the outage: %d\n%s", res.StatusCode, body)
	}
	res, body = c.post(respond+"/submit", nil)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Nothing has been lost") || !strings.Contains(body, "Send response again") {
		t.Errorf("submitting during the outage: %d\n%s", res.StatusCode, body)
	}

	outage(false)
	ref := c.submit(nil)
	if n := e.responsesFor(t, ref); n != 1 {
		t.Errorf("%d responses after the retry, want 1", n)
	}
	// Every answer saved before the outage made it.
	if _, body := c.get(respond + "/confirmation"); !strings.Contains(body, "More on digital exclusion, please.") || !strings.Contains(body, "Older People&#39;s Forum (test)") {
		t.Error("answers saved before the outage are missing from the confirmation")
	}
}
