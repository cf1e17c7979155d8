package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
	"heard/internal/consultation"
)

// An open answer is limited to consultation.MaxAnswerChars counted in
// code points, whichever way it arrives: 20,000 emoji (each one code
// point, two UTF-16 units, four bytes) are accepted and stored whole;
// 20,001 are refused, and every channel says the answer is 20,001
// characters long.
func TestOneAnswerLimitCountedOneWayEverywhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := strings.Repeat("😀", consultation.MaxAnswerChars)
	over := at + "😀"
	stored := func(ref string) int {
		t.Helper()
		var n int
		err := e.pool.QueryRow(context.Background(), `
			SELECT coalesce(max(length(a.text)), -1) FROM responses r JOIN answers a ON a.response_id = r.id
			WHERE r.source_ref LIKE $1 AND a.text IS NOT NULL`, ref).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("webform", func(t *testing.T) {
		e.setForm("open", -7, 30)
		c := e.anonymous()
		res, body := c.post(respond+"/people-and-communities", url.Values{"q-Q1b": {over}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "It is 20,001 characters now") {
			t.Errorf("20,001 emoji: %d", res.StatusCode)
		}
		res, _ = c.post(respond+"/people-and-communities", url.Values{"q-Q1b": {at}})
		if res.Request.URL.Path != respond+"/smarter-regulation" {
			t.Errorf("20,000 emoji: %d at %s", res.StatusCode, res.Request.URL.Path)
		}
		if _, body := c.get(respond + "/people-and-communities"); !strings.Contains(body, at) {
			t.Error("the answer at the limit was not kept whole in the draft")
		}
	})

	t.Run("CSV import", func(t *testing.T) {
		admin := e.user("importer@example.org", accounts.Admin)
		res, body := admin.upload("/admin"+importsPath, "over.csv", []byte("reference,channel,Q1b\nLIM-OVER,letter,"+over+"\n"), nil)
		if res.StatusCode != 200 || !strings.Contains(body, "is 20001 characters long, over the limit of 20000") {
			t.Errorf("20,001 emoji in a CSV: %d, problem not reported", res.StatusCode)
		}
		res, body = admin.upload("/admin"+importsPath, "at.csv", []byte("reference,channel,Q1b\nLIM-AT,letter,"+at+"\n"), nil)
		if res.StatusCode != 200 || strings.Contains(body, "over the limit") {
			t.Fatalf("20,000 emoji in a CSV: %d", res.StatusCode)
		}
		if res, _ := admin.post(res.Request.URL.Path+"/confirm", nil); res.StatusCode != 200 {
			t.Fatalf("confirm = %d", res.StatusCode)
		}
		if n := stored("LIM-AT"); n != consultation.MaxAnswerChars {
			t.Errorf("the imported answer is %d characters in PostgreSQL, want 20,000", n)
		}
		if n := stored("LIM-OVER"); n != -1 {
			t.Error("the over-long CSV answer was stored")
		}
	})

	t.Run("event entry screen", func(t *testing.T) {
		analyst := e.user("facilitator@example.org", accounts.Analyst)
		event := recordEvent(t, analyst, "Limit test", "5")
		res, body := analyst.post(event+"/responses", url.Values{"key": {entryKey(t, analyst, event)}, "answer-Q1b": {over}, "then": {"finish"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Answer to Q1b must be 20000 characters or fewer (it is 20001)") {
			t.Errorf("20,001 emoji at an event: %d", res.StatusCode)
		}
		key := entryKey(t, analyst, event)
		res, _ = analyst.post(event+"/responses", url.Values{"key": {key}, "answer-Q1b": {at}, "then": {"finish"}})
		if res.StatusCode != 200 || res.Request.URL.Path != event {
			t.Fatalf("20,000 emoji at an event: %d at %s", res.StatusCode, res.Request.URL)
		}
		if n := stored("event-%-screen-" + key); n != consultation.MaxAnswerChars {
			t.Errorf("the typed-up answer is %d characters in PostgreSQL, want 20,000", n)
		}
	})
}
