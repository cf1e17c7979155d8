package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"heard/internal/dbtest"
	"heard/internal/demo"
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
