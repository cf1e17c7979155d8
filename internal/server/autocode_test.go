package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"heard/internal/accounts"
	"heard/internal/demo"
)

// Suggested codes over HTTP: an analyst trains Q1b's model (no job queue
// here, so in the request), sees its measured quality and learning
// curve, a code's suggestions with confidence and driving words, accepts
// one, bulk-accepts above a threshold (the preview's count is what gets
// coded), and is told when no threshold was chosen.
func TestSuggestedCodesOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Code(ctx, e.pool, c); err != nil {
		t.Fatal(err)
	}
	ann := e.user("ann@example.org", accounts.Analyst)
	const page = "/consultations/cqc-2021/questions/Q1b/suggestions"

	_, body := ann.get(page)
	if !strings.Contains(body, "No model yet") {
		t.Fatalf("before training the page should say there is no model")
	}
	res, body := ann.post(page+"/train", url.Values{})
	if res.StatusCode != 200 || !strings.Contains(body, "trained:") {
		t.Fatalf("train = %d", res.StatusCode)
	}
	for _, want := range []string{`id="quality-table"`, "All codes", `id="learning-curve"`, "Not enough coded answers with this code to say"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, home := ann.get("/consultations/cqc-2021/questions/Q1b/coding")
	if !regexp.MustCompile(`Suggested codes</a>: F1 [01]\.\d\d \([01]\.\d\d–[01]\.\d\d\) against analysts on \d+ coded answers`).MatchString(home) {
		i := strings.Index(home, "suggestions-link")
		t.Errorf("coding page does not show the model's F1 with its interval: %s", home[i:min(len(home), i+300)])
	}

	var codeID string
	e.pool.QueryRow(ctx, `SELECT code_id::text FROM autocode_suggestions g JOIN questions q ON q.id = g.question_id
		WHERE q.code = 'Q1b' AND g.origin = 'model' GROUP BY code_id ORDER BY count(*) DESC LIMIT 1`).Scan(&codeID)
	_, body = ann.get(page + "?code=" + codeID)
	row := regexp.MustCompile(`name="response" value="(\d+)"`).FindStringSubmatch(body)
	if row == nil || !strings.Contains(body, "<mark>") || !regexp.MustCompile(`\d+%</td>`).MatchString(body) {
		t.Fatalf("code %s: no suggestion with confidence and driving words", codeID)
	}
	res, body = ann.post(page+"/decide", url.Values{"response": {row[1]}, "code": {codeID}, "decision": {"accept"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Code applied to answer "+row[1]) {
		t.Fatalf("accept = %d", res.StatusCode)
	}
	var origin string
	e.pool.QueryRow(ctx, `SELECT origin FROM coding_events WHERE response_id = $1 AND code_id = $2 AND sample_id IS NULL AND action = 'apply'`, row[1], codeID).Scan(&origin)
	if origin != "model" {
		t.Errorf("accepted suggestion recorded with origin %q, want model", origin)
	}

	res, body = ann.post(page+"/bulk", url.Values{"code": {codeID}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "<title>Error:") {
		t.Errorf("bulk without threshold = %d", res.StatusCode)
	}
	preview := regexp.MustCompile(`value="0\.50"[^>]*>\s*<label[^>]*>50% or more: (\d+) answers, expected precision \d+%`).FindStringSubmatch(body)
	if preview == nil {
		t.Fatalf("bulk form lacks the count and expected precision at 50%%")
	}
	res, body = ann.post(page+"/bulk", url.Values{"code": {codeID}, "threshold": {"0.50"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Code applied to "+preview[1]+" answers") {
		t.Errorf("bulk accept = %d; want %s answers coded", res.StatusCode, preview[1])
	}
}
