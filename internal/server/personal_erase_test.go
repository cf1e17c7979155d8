package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"heard/internal/accounts"
	"heard/internal/results"
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

// received is what every counting path says about the demo's responses:
// the overview's total (summary tables), the total for individuals only
// (counted from the rows that match a filter), the closed answers, the
// responses per day, and whether the summaries agree with a recount.
type received struct {
	total, individuals, closed, days int64
}

func countsNow(t *testing.T, e *env) received {
	t.Helper()
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: e.pool}
	all, err := svc.Counts(ctx, c, results.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	ind, err := svc.Counts(ctx, c, results.Filter{Respondent: results.IndividualsOnly})
	if err != nil {
		t.Fatal(err)
	}
	var r received
	r.total, r.individuals = all.Overview().Total, ind.Overview().Total
	r.closed, _ = closedCounts(t, e)
	if err := e.pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM response_days WHERE consultation_id = $1`, c.ID).Scan(&r.days); err != nil {
		t.Fatal(err)
	}
	var recount int64
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE consultation_id = $1 AND NOT withdrawn`, c.ID).Scan(&recount); err != nil {
		t.Fatal(err)
	}
	if recount != r.total || r.days != r.total {
		t.Errorf("received totals disagree: summary %d, per day %d, recount of counted rows %d", r.total, r.days, recount)
	}
	return r
}

// Erasure under consent takes the response out of every count, received
// totals included; under public task it stays a response received and
// its closed answers stay counted. A withdrawn response moved to another
// group, or deleted, moves no count.
func TestErasureUnderConsentCountsNowhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", accounts.Admin)
	page := "/admin/consultations/cqc-2021/erasures"
	// Two webform responses from individuals, each with closed answers.
	rows, err := e.pool.Query(ctx, `SELECT r.id, count(*) FROM responses r JOIN answers a ON a.response_id = r.id AND a.option_id IS NOT NULL
		WHERE r.channel = 'webform' AND NOT r.on_behalf_of_org GROUP BY r.id ORDER BY r.id LIMIT 2`)
	if err != nil {
		t.Fatal(err)
	}
	var ids, closed []int64
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		ids, closed = append(ids, id), append(closed, n)
	}
	if rows.Err() != nil || len(ids) != 2 || closed[0] == 0 || closed[1] == 0 {
		t.Fatalf("demo responses to erase: %v %v (%v)", ids, closed, rows.Err())
	}
	erase := func(id int64, want string) {
		t.Helper()
		res, body := admin.post(page, url.Values{"response": {strconv.FormatInt(id, 10)}, "confirm": {"yes"}})
		if res.StatusCode != 200 || !strings.Contains(body, want) {
			t.Fatalf("erase %d = %d, want %q on the page", id, res.StatusCode, want)
		}
	}

	before := countsNow(t, e)
	erase(ids[0], "closed answers stay in the counts")
	if got := countsNow(t, e); got != before {
		t.Errorf("under public task: counts %+v, want them unchanged %+v", got, before)
	}

	if res, _ := admin.post("/admin/consultations/cqc-2021/lawful-basis", url.Values{"basis": {"consent"}}); res.StatusCode != 200 {
		t.Fatalf("set lawful basis = %d", res.StatusCode)
	}
	if _, body := admin.get("/admin/consultations/cqc-2021/personal-data"); !strings.Contains(body, "not in the number of responses received") {
		t.Error("the page does not explain that, under consent, an erased response is no longer counted as received")
	}
	erase(ids[1], "its text, files and answers are gone")
	want := received{total: before.total - 1, individuals: before.individuals - 1, closed: before.closed - closed[1], days: before.days - 1}
	if got := countsNow(t, e); got != want {
		t.Errorf("under consent: counts %+v, want %+v", got, want)
	}
	// Moving or deleting the withdrawn response moves no count.
	if _, err := e.pool.Exec(ctx, `UPDATE responses SET respondent_group_id = NULL, channel = 'letter' WHERE id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if got := countsNow(t, e); got != want {
		t.Errorf("after moving the withdrawn response: counts %+v, want %+v", got, want)
	}
	if _, err := e.pool.Exec(ctx, `DELETE FROM responses WHERE id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if got := countsNow(t, e); got != want {
		t.Errorf("after deleting the withdrawn response: counts %+v, want %+v", got, want)
	}
}
