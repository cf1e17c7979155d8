package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"heard/internal/accounts"
	"heard/internal/personal"
)

// The retention job deletes exactly what the admin page said it would,
// and keeps the anonymous counts.
func TestRetentionDeletesWhatThePageSaid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", accounts.Admin)
	plantPerson(t, e, "pat.quinlan@example.net")
	page := "/admin/consultations/cqc-2021/personal-data"

	_, body := admin.get(page)
	if !strings.Contains(doc(t, body).Find("#retention-plan").Text(), "No retention period is set") {
		t.Error("without a period the page does not say nothing is deleted")
	}
	if res, _ := admin.post("/admin/consultations/cqc-2021/lawful-basis", url.Values{"basis": {"public_task"}, "months": {"0"}}); res.StatusCode != 400 {
		t.Errorf("0 months = %d, want 400", res.StatusCode)
	}
	if res, _ := admin.post("/admin/consultations/cqc-2021/lawful-basis", url.Values{"basis": {"public_task"}, "months": {"6"}}); res.StatusCode != 200 {
		t.Fatalf("set retention = %d", res.StatusCode)
	}
	_, body = admin.get(page)
	said := doc(t, body).Find("#retention-plan + ul").Text()
	var responses, raw, drafts int64
	if err := e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM response_sources WHERE raw IS NOT NULL),
		(SELECT count(*) FROM webform_drafts WHERE NOT purged)`).Scan(&responses, &raw, &drafts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{fmt.Sprintf("the texts of %d responses", responses), fmt.Sprintf("%d original email files", raw), fmt.Sprintf("%d webform drafts", drafts)} {
		if !strings.Contains(said, want) {
			t.Errorf("the page says %q, want %q", said, want)
		}
	}
	if raw == 0 {
		t.Fatal("the planted email has no raw file")
	}
	before, _ := closedCounts(t, e)

	// The demo closed in 2021: six months on has passed.
	n, err := personal.RunRetention(ctx, e.pool, time.Now())
	if err != nil || n != 1 {
		t.Fatalf("RunRetention = %d, %v", n, err)
	}
	var erased, rawLeft, draftsLeft, texts int64
	if err := e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM erasures WHERE cause = 'retention'), (SELECT count(*) FROM response_sources WHERE raw IS NOT NULL),
		(SELECT count(*) FROM webform_drafts WHERE NOT purged), (SELECT count(*) FROM answers WHERE text IS NOT NULL AND text <> '[erased]')`).Scan(&erased, &rawLeft, &draftsLeft, &texts); err != nil {
		t.Fatal(err)
	}
	if erased != responses || rawLeft != 0 || draftsLeft != 0 || texts != 0 {
		t.Errorf("after retention: %d erased (page said %d), %d raw files, %d drafts, %d texts left", erased, responses, rawLeft, draftsLeft, texts)
	}
	if after, direct := closedCounts(t, e); after != before || direct != before {
		t.Errorf("closed answers counted: %d before, %d after (%d in the table)", before, after, direct)
	}
	_, body = admin.get(page)
	if !strings.Contains(doc(t, body).Find("#retention-plan").Text(), "was applied on") {
		t.Error("the page does not say the period was applied")
	}
	if n, _ := personal.RunRetention(ctx, e.pool, time.Now()); n != 0 {
		t.Errorf("a second run applied %d consultations, want 0", n)
	}
}
