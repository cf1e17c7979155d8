package server_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"heard/internal/accounts"
)

func TestReportPageDownloadsNarrativeAndFreeze(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.user("analyst@example.org", accounts.Analyst)
	res, body := a.get("/consultations/cqc-2021/report")
	if res.StatusCode != 200 {
		t.Fatalf("report = %d", res.StatusCode)
	}
	for _, want := range []string{"Responding to our consultation", "496 (80%)", `href="/consultations/cqc-2021/questions/Q1a?answer=Q1a%3Afully&amp;answer=Q1a%3Amostly"`, "Save narrative"} {
		if !strings.Contains(body, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	res, body = a.post("/consultations/cqc-2021/report/narrative", url.Values{"section": {"people-and-communities"}, "body": {"Most respondents supported this theme."}})
	if res.StatusCode != 200 || !strings.Contains(body, "Most respondents supported this theme.") {
		t.Errorf("narrative not saved: %d", res.StatusCode)
	}
	res, body = a.get("/consultations/cqc-2021/report.md")
	if res.StatusCode != 200 || !strings.Contains(body, "# Responding to our consultation") || !strings.Contains(body, "Most respondents supported this theme.") {
		t.Errorf("report.md = %d", res.StatusCode)
	}
	res, body = a.get("/consultations/cqc-2021/report.docx")
	if res.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Errorf("report.docx = %d, not a zip", res.StatusCode)
	}
	res, body = a.post("/consultations/cqc-2021/report/freeze", url.Values{})
	if res.StatusCode != 200 || !strings.Contains(body, "The report has been frozen") || !strings.Contains(body, "/report/frozen/") {
		t.Fatalf("freeze = %d", res.StatusCode)
	}
	i := strings.Index(body, "/consultations/cqc-2021/report/frozen/")
	href := body[i : i+strings.IndexByte(body[i:], '"')]
	// Coding goes on; the frozen copy keeps its text.
	if _, err := e.pool.Exec(context.Background(), `DELETE FROM responses WHERE id IN (SELECT id FROM responses ORDER BY id LIMIT 50)`); err != nil {
		t.Fatal(err)
	}
	_, frozen := a.get(href)
	if !strings.Contains(frozen, "Frozen on") || !strings.Contains(frozen, "790 responses") || !strings.Contains(frozen, "codeframe") {
		t.Errorf("frozen report changed or lacks its stamp")
	}
	if _, now := a.get("/consultations/cqc-2021/report"); !strings.Contains(now, "740 responses") {
		t.Error("the live report did not move on")
	}

	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Log("no Chromium: PDF not tested")
		return
	}
	res, body = a.get("/consultations/cqc-2021/report.pdf")
	if res.StatusCode != 200 || !bytes.HasPrefix([]byte(body), []byte("%PDF")) {
		t.Errorf("report.pdf = %d %q", res.StatusCode, body[:min(len(body), 40)])
	}
}

// The public report withholds small numbers like every other page.
func TestPublicReportIsProtected(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.pool.Exec(context.Background(), `UPDATE consultations SET results_published = true, suppress_public = 25`); err != nil {
		t.Fatal(err)
	}
	res, body := e.anonymous().get("/consultations/cqc-2021/report")
	if res.StatusCode != 200 {
		t.Fatalf("public report = %d", res.StatusCode)
	}
	if !strings.Contains(body, "fewer than 25") && !strings.Contains(body, "withheld") {
		t.Error("public report at threshold 25 withholds nothing")
	}
	if strings.Contains(body, "Save narrative") || strings.Contains(body, "answer=Q1a") {
		t.Error("public report offers analysts' tools or answer filters")
	}
	if res, _ := e.anonymous().noRedirects().post("/consultations/cqc-2021/report/freeze", url.Values{}); res.StatusCode != 401 {
		t.Errorf("anonymous freeze = %d", res.StatusCode)
	}
}
