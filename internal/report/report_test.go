package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/personal"
	"heard/internal/report"
	"heard/internal/results"
)

// The report reproduces CQC's published figures sentence by sentence,
// with percentages by the stated rule, and every figure is a link.
func TestReportReproducesPublishedFigures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &report.Service{Pool: pool, Results: &results.Service{Pool: pool}}
	if err := svc.SetNarrative(ctx, c, "smarter-regulation", "Respondents welcomed the move to smarter regulation."); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetNarrative(ctx, c, "martians", "x"); err != report.ErrNoSection {
		t.Errorf("narrative for an unknown section: %v", err)
	}
	rep, err := svc.Build(ctx, c, results.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md, "https://heard.example"); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	for _, want := range []string{
		"We received [790 responses](https://heard.example/consultations/cqc-2021)",
		"[213 (27%)](https://heard.example/consultations/cqc-2021?group=public)",
		"[398 (50%)]", "[65 (8%)]", "[114 (14%)]", "Online webform [611 (77%)]",
		"There were [618 responses](https://heard.example/consultations/cqc-2021/questions/Q1a) to the closed question (Q1a",
		"[496 (80%)](https://heard.example/consultations/cqc-2021/questions/Q1a?answer=Q1a%3Afully&answer=Q1a%3Amostly) answered “fully” or “mostly”",
		"[21 (3%)](https://heard.example/consultations/cqc-2021/questions/Q1a?answer=Q1a%3Anot-at-all) answered “not at all”",
		"There were [608 responses]", "[471 (77%)]", "[30 (5%)]",
		"There were [610 responses]", "[508 (83%)]", "[23 (4%)]",
		"There were [603 responses]", "[473 (78%)]", "[28 (5%)]",
		"[500 (82%)]", "[34 (6%)]",
		"There were [606 responses]", "[306 (50%)]", "[65 (11%)]", "[61 (10%)]",
		"There were [653 responses](https://heard.example/consultations/cqc-2021/questions/Q1b) to the open question (Q1b",
		"[627 responses]", "[586 responses]", "[548 responses]", "[499 responses]", "[577 responses]", "[381 responses]",
		"Respondents welcomed the move to smarter regulation.",
		"rounded half up",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}

	var docx bytes.Buffer
	if err := rep.WriteDOCX(&docx, "https://heard.example"); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(docx.Bytes()), int64(docx.Len()))
	if err != nil {
		t.Fatalf("docx is not a zip: %v", err)
	}
	var doc, rels string
	for _, f := range z.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		switch f.Name {
		case "word/document.xml":
			doc = string(b)
		case "word/_rels/document.xml.rels":
			rels = string(b)
		}
	}
	if !strings.Contains(doc, "496 (80%)") || !strings.Contains(doc, "<w:hyperlink") || !strings.Contains(doc, `w:val="Heading1"`) {
		t.Error("docx lacks the figures, their links or headings")
	}
	if !strings.Contains(rels, "https://heard.example/consultations/cqc-2021/questions/Q1a?answer=Q1a%3Afully&amp;answer=Q1a%3Amostly") {
		t.Error("docx links are not the filtered responses")
	}
}

// Answers analysts flag as worth quoting appear under their theme,
// attributed to a respondent group; the public report keeps only those
// whose respondent agreed to publication.
func TestReportQuotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO unit_states (consultation_id, response_id, question_id, quote_worthy)
		SELECT a.consultation_id, a.response_id, a.question_id, true
		FROM answers a JOIN responses r ON r.id = a.response_id
		WHERE a.question_id = (SELECT id FROM questions WHERE code = 'Q2b' AND consultation_id = $1) AND r.respondent_group_id IS NOT NULL
		ORDER BY a.response_id LIMIT 1`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var text, group string
	if err := pool.QueryRow(ctx, `SELECT a.text, g.label FROM unit_states s JOIN answers a USING (response_id, question_id)
		JOIN responses r ON r.id = s.response_id JOIN respondent_groups g ON g.id = r.respondent_group_id`).Scan(&text, &group); err != nil {
		t.Fatal(err)
	}
	svc := &report.Service{Pool: pool, Results: &results.Service{Pool: pool}}
	for _, tc := range []struct {
		p    results.Policy
		want bool
	}{{results.Policy{}, true}, {results.Policy{Threshold: 10}, false}} {
		rep, err := svc.Build(ctx, c, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		var md bytes.Buffer
		rep.WriteMarkdown(&md, "")
		got := strings.Contains(md.String(), "> “"+text+"” ("+group+")")
		if got != tc.want {
			t.Errorf("threshold %d: quote shown = %v, want %v", tc.p.Threshold, got, tc.want)
		}
	}
}

// A quote carries the redactions of the personal data found in it: the
// report is written to be published, so the number never reaches it.
func TestReportQuotesAreRedacted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	const phone = "07911 123456" // a valid mobile number (07700 900xxx is Ofcom's drama range)
	var rid int64
	if err := pool.QueryRow(ctx, `
		UPDATE answers SET text = 'Please ring me on `+phone+` to talk about inspections.'
		WHERE (response_id, question_id) = (
			SELECT a.response_id, a.question_id FROM answers a JOIN responses r ON r.id = a.response_id
			WHERE a.question_id = (SELECT id FROM questions WHERE code = 'Q2b' AND consultation_id = $1)
			  AND r.respondent_group_id IS NOT NULL AND a.text IS NOT NULL
			ORDER BY a.response_id LIMIT 1)
		RETURNING response_id`, c.ID).Scan(&rid); err != nil {
		t.Fatal(err)
	}
	if err := personal.Scan(ctx, db.New(pool), c.ID, []int64{rid}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `
		INSERT INTO unit_states (consultation_id, response_id, question_id, quote_worthy)
		SELECT consultation_id, response_id, question_id, true FROM answers
		WHERE response_id = $1 AND question_id = (SELECT id FROM questions WHERE code = 'Q2b' AND consultation_id = $2)
		ON CONFLICT DO NOTHING`, rid, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE unit_states SET quote_worthy = true WHERE response_id = $1`, rid); err != nil {
		t.Fatal(err)
	}
	svc := &report.Service{Pool: pool, Results: &results.Service{Pool: pool}}
	rep, err := svc.Build(ctx, c, results.Policy{}) // an analyst's report: exact figures, every flagged quote
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	rep.WriteMarkdown(&md, "")
	if !strings.Contains(md.String(), "to talk about inspections") {
		t.Fatal("the flagged quote is not in the report")
	}
	if strings.Contains(md.String(), phone) || strings.Contains(md.String(), "123456") {
		t.Error("the report quotes a phone number found in the answer")
	}
}
