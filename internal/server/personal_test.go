package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// A detected span is highlighted for analysts, and dismissing or adding
// one needs a reason and is audited.
func TestPersonalDataReview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	analyst := e.user("analyst@example.org", accounts.Analyst)
	// A demo letter with a signed name in it.
	var resp, span int64
	err := e.pool.QueryRow(ctx, `SELECT p.response_id, p.id FROM personal_spans p
		WHERE p.question_id = 0 AND p.kind = 'name' ORDER BY p.id LIMIT 1`).Scan(&resp, &span)
	if err != nil {
		t.Fatalf("the demo has no letter with a detected name: %v", err)
	}
	page := fmt.Sprintf("/consultations/cqc-2021/responses/%d/personal-data", resp)
	_, body := analyst.get(fmt.Sprintf("/consultations/cqc-2021/responses/%d", resp))
	if !strings.Contains(body, page) {
		t.Error("the response page does not link to its personal data review")
	}
	res, body := analyst.get(page)
	d := doc(t, body)
	if res.StatusCode != 200 || d.Find("mark.heard-personal").Length() == 0 {
		t.Fatalf("review page = %d without highlighted personal data", res.StatusCode)
	}
	if !strings.Contains(d.Find("details").Text(), "[name removed]") {
		t.Error("the review does not show the redacted text")
	}

	res, body = analyst.post(fmt.Sprintf("%s/%d", page, span), url.Values{"decision": {"dismissed"}})
	if res.StatusCode != 400 || !strings.Contains(body, "Enter a reason") {
		t.Errorf("dismiss without a reason = %d", res.StatusCode)
	}
	res, body = analyst.post(fmt.Sprintf("%s/%d", page, span), url.Values{"decision": {"dismissed"}, "reason": {"the inspector's name, public"}})
	if res.StatusCode != 200 || doc(t, body).Find("mark.heard-personal--dismissed").Length() != 1 {
		t.Errorf("dismiss = %d; the span is not shown as dismissed", res.StatusCode)
	}
	var text string
	if err := e.pool.QueryRow(ctx, `SELECT full_text FROM response_sources WHERE response_id = $1`, resp).Scan(&text); err != nil {
		t.Fatal(err)
	}
	res, body = analyst.post(page, url.Values{"text": {"0"}, "words": {strings.Fields(text)[0]}, "kind": {"other"}, "reason": {"test"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Removed those words from") {
		t.Errorf("add = %d: %s", res.StatusCode, doc(t, body).Find(".govuk-error-summary").Text())
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('redaction_dismissed', 'redaction_added') AND record_id = $1`, fmt.Sprint(resp)).Scan(&n); err != nil || n < 2 {
		t.Errorf("audit entries = %d (%v), want the dismissal and the additions", n, err)
	}
}
