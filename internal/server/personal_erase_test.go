package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// closedCounts is the summary's total of closed answers and the total
// counted straight from the answers table; they must always agree.
func closedCounts(t *testing.T, e *env) (summary, direct int64) {
	t.Helper()
	ctx := context.Background()
	if err := e.pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM answer_counts WHERE option_id <> 0`).Scan(&summary); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM answers WHERE option_id IS NOT NULL`).Scan(&direct); err != nil {
		t.Fatal(err)
	}
	return summary, direct
}

// Erasure replaces the text and raw file with a tombstone and records
// nothing of what was erased; under public task the closed answers stay
// counted, under consent they go, and the counts follow either way.
func TestErasure(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", accounts.Admin)
	emailID := plantPerson(t, e, "pat.quinlan@example.net")
	page := "/admin/consultations/cqc-2021/erasures"

	if res, _ := admin.post(page, url.Values{"response": {strconv.FormatInt(emailID, 10)}}); res.StatusCode != 400 {
		t.Errorf("erasure without confirmation = %d, want 400", res.StatusCode)
	}
	res, body := admin.post(page, url.Values{"response": {strconv.FormatInt(emailID, 10)}, "confirm": {"yes"}})
	if res.StatusCode != 200 || !strings.Contains(body, "closed answers stay in the counts") {
		t.Fatalf("erase = %d: %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	var text, sender string
	var raw []byte
	if err := e.pool.QueryRow(ctx, `SELECT full_text, sender_address, raw FROM response_sources WHERE response_id = $1`, emailID).Scan(&text, &sender, &raw); err != nil {
		t.Fatal(err)
	}
	if text != "[erased]" || sender != "" || raw != nil {
		t.Errorf("after erasure: text %q, sender %q, %d raw bytes", text, sender, len(raw))
	}
	var audited string
	if err := e.pool.QueryRow(ctx, `SELECT detail::text FROM audit_log WHERE action = 'response_erased'`).Scan(&audited); err != nil || strings.Contains(audited, "pat") {
		t.Errorf("audit of the erasure: %q (%v)", audited, err)
	}

	// Under consent, a webform response's closed answers go too.
	if res, _ := admin.post("/admin/consultations/cqc-2021/lawful-basis", url.Values{"basis": {"consent"}, "months": {"12"}}); res.StatusCode != 200 {
		t.Fatalf("set lawful basis = %d", res.StatusCode)
	}
	var webID, closed int64
	if err := e.pool.QueryRow(ctx, `SELECT r.id, count(*) FROM responses r JOIN answers a ON a.response_id = r.id AND a.option_id IS NOT NULL
		WHERE r.channel = 'webform' GROUP BY r.id ORDER BY r.id LIMIT 1`).Scan(&webID, &closed); err != nil {
		t.Fatal(err)
	}
	before, _ := closedCounts(t, e)
	res, body = admin.post(page, url.Values{"response": {strconv.FormatInt(webID, 10)}, "confirm": {"yes"}})
	if res.StatusCode != 200 || !strings.Contains(body, "its text, files and answers are gone") {
		t.Fatalf("erase under consent = %d", res.StatusCode)
	}
	after, direct := closedCounts(t, e)
	if after != before-closed || after != direct {
		t.Errorf("closed answers counted: %d before, %d after erasing %d (%d in the table)", before, after, closed, direct)
	}
	if _, body := admin.get("/admin/consultations/cqc-2021/personal-data"); !strings.Contains(body, "2 responses erased so far") || !strings.Contains(body, "Consent (Article 6(1)(a))") {
		t.Error("the admin page does not show the erasures and the lawful basis")
	}
}
