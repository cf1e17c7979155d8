package server_test

import (
	"context"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// Analysts' exports say whether they are redacted, in the file name and
// inside the file, and the redacted one holds no span that redacts, in
// answers, letters' segments or senders.
func TestExportsSayWhetherTheyAreRedacted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	analyst := e.user("analyst@example.org", accounts.Analyst)
	plantQuotable(t, e, "IND1-0002", "", "My name is Bartholomew Quince and I was born on 12/03/1948. Ring 0117 496 0123 if you need to.")
	plantPerson(t, e, "pat.quinlan@example.net")

	rows, err := e.pool.Query(ctx, `SELECT t.text, p.start_offset, p.end_offset FROM personal_spans p
		JOIN (SELECT response_id, question_id, text::text AS text FROM answers WHERE text IS NOT NULL
		      UNION ALL SELECT response_id, 0, full_text FROM response_sources) t
		  ON t.response_id = p.response_id AND t.question_id = p.question_id
		WHERE p.status <> 'dismissed'`)
	if err != nil {
		t.Fatal(err)
	}
	secret := map[string]bool{}
	for rows.Next() {
		var txt string
		var start, end int
		if err := rows.Scan(&txt, &start, &end); err != nil {
			t.Fatal(err)
		}
		secret[txt[start:end]] = true
	}
	if len(secret) < 5 || !secret["0117 496 0123"] || !secret["pat.quinlan@example.net"] {
		t.Fatalf("only %d spans to look for", len(secret))
	}
	var senders []string
	srows, err := e.pool.Query(ctx, `SELECT sender_address FROM response_sources WHERE sender_address <> '' LIMIT 20`)
	if err != nil {
		t.Fatal(err)
	}
	for srows.Next() {
		var s string
		if err := srows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		senders = append(senders, s)
	}
	if len(senders) == 0 {
		t.Fatal("the demo has no emails with senders")
	}

	for _, format := range []string{"csv", "json", "xlsx"} {
		res, body := analyst.get("/consultations/cqc-2021/export/responses." + format)
		text := readable(t, []byte(body))
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "cqc-2021-responses-not-redacted."+format) ||
			!strings.Contains(text, "not redacted") || !strings.Contains(text, "0117 496 0123") {
			t.Errorf("%s not redacted: %d %q, says so %v, holds the phone number %v", format, res.StatusCode,
				res.Header.Get("Content-Disposition"), strings.Contains(text, "not redacted"), strings.Contains(text, "0117 496 0123"))
		}
		res, body = analyst.get("/consultations/cqc-2021/export/responses-redacted." + format)
		text = readable(t, []byte(body))
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "cqc-2021-responses-redacted."+format) ||
			!strings.Contains(text, "redacted") || strings.Contains(text, "not redacted") || !strings.Contains(text, "[phone number removed]") {
			t.Errorf("%s redacted: %d %q", format, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		for s := range secret {
			if strings.Contains(text, s) {
				t.Errorf("the redacted %s holds %q", format, s)
			}
		}
		for _, s := range senders {
			if strings.Contains(text, s) {
				t.Errorf("the redacted %s holds the sender %q", format, s)
			}
		}
		if format == "csv" && !strings.HasPrefix(text, "personal_data,id,") {
			t.Errorf("the CSV does not start with the personal_data column: %.40q", text)
		}
		if format == "xlsx" && !strings.Contains(text, "About this file") {
			t.Error("the workbook has no About this file sheet")
		}
	}
	// Letters' segments are in the redacted export, redacted.
	_, body := analyst.get("/consultations/cqc-2021/export/responses-redacted.json")
	if !strings.Contains(body, `"segments"`) || !strings.Contains(body, "[name removed]") {
		t.Error("the redacted JSON has no redacted letter segments")
	}
	_, overview := analyst.get("/consultations/cqc-2021")
	if !strings.Contains(overview, "/export/responses-redacted.csv") || !strings.Contains(overview, "personal data removed") {
		t.Error("the overview does not offer the redacted export")
	}
}
