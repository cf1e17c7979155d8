package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/personal"
)

// plantQuotable stores a webform response whose respondent agreed to
// publication, its Q1b answer flagged as worth quoting, and returns its
// id: the way personal data could reach the public report and the
// published organisations' page.
func plantQuotable(t *testing.T, e *env, ref, org, text string) int64 {
	t.Helper()
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	err = db.WithTx(ctx, e.pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		w.AfterBatch = func(_ context.Context, _ *db.Queries, ids []int64, _ []ingest.Response) error {
			id = ids[0]
			return nil
		}
		g := c.Groups[0].ID
		if err := w.Add(ctx, ingest.Response{SourceRef: ref, Channel: "webform", ReceivedAt: time.Now(), GroupID: &g, OnBehalfOfOrg: org != "",
			Organisation: org, Answers: []ingest.Answer{{QuestionID: c.Question("Q1b").ID, Text: &text}}}); err != nil {
			return err
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO webform_drafts (consultation_id, token_hash, reference, answers, expires_at, submitted_at, publication_consent)
		VALUES ($1, decode(md5($2) || md5($2 || 'b'), 'hex'), $2, '{}', now() + interval '30 days', now(), 'yes')`, c.ID, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO unit_states (consultation_id, response_id, question_id, quote_worthy)
		VALUES ($1, $2, $3, true) ON CONFLICT DO NOTHING`, c.ID, id, c.Question("Q1b").ID); err != nil {
		t.Fatal(err)
	}
	return id
}

// readable is what a reader of a download sees: HTML and CSV as text,
// XLSX and DOCX unzipped, with character references decoded.
func readable(t *testing.T, body []byte) string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return html.UnescapeString(string(body))
	}
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("a download that looks like a ZIP does not open: %v", err)
	}
	var b strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(r)
		r.Close()
		b.WriteString(html.UnescapeString(string(x)))
		b.WriteByte('\n')
	}
	return b.String()
}

// No personal data that redacts (detected and not dismissed, confirmed,
// or added by an analyst) appears on any page or download the public or
// viewers can reach: every GET route and every link from them, as the
// public (results and organisations' responses published) and as a
// viewer, HTML and CSV/XLSX/Markdown/DOCX downloads alike. A span an
// analyst dismissed is meant to be published, and must be found by the
// same walk: that proves the walk reads the published texts.
func TestNoRedactedPersonalDataReachesThePublicOrViewers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", accounts.Admin)
	orgID := plantQuotable(t, e, "ORG1-0001", "Carers North",
		"We support this. Contact our chair, Mrs Adaeze Okonkwo, on 07911 123456 or adaeze@carers-north.org.uk, NHS number 943 476 5919, at LS1 4AB. Our office is at Rosebank Lodge.\n\nKind regards,\nDavid Fairweather")
	plantQuotable(t, e, "IND1-0002", "",
		"My name is Bartholomew Quince and I was born on 12/03/1948. My NI number is AB 12 34 56 C. Ring 0117 496 0123 if you need to.")
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	// Only the planted answers are quoted, so the report certainly
	// carries them (it quotes five per theme).
	if _, err := e.pool.Exec(ctx, `UPDATE unit_states SET quote_worthy = false WHERE consultation_id = $1 AND response_id NOT IN
		(SELECT id FROM responses WHERE source_ref IN ('ORG1-0001', 'IND1-0002'))`, c.ID); err != nil {
		t.Fatal(err)
	}
	svc := &personal.Service{Pool: e.pool}
	var adminID int64
	if err := e.pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'admin@example.org'`).Scan(&adminID); err != nil {
		t.Fatal(err)
	}
	actor := personal.Actor{UserID: adminID, Email: "admin@example.org"}
	if _, err := svc.Add(ctx, actor, c.ID, orgID, c.Question("Q1b").ID, "Rosebank Lodge", personal.KindOther, "the office's address"); err != nil {
		t.Fatal(err)
	}
	texts, err := svc.Texts(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	dismissed := "David Fairweather"
	for _, tx := range texts {
		for _, sp := range tx.Spans {
			if tx.Text[sp.Start:sp.End] == dismissed {
				if err := svc.Decide(ctx, actor, c.ID, orgID, sp.ID, personal.StatusDismissed, "signs for the organisation, published with consent"); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	// Every redacting span in the consultation, from every text.
	rows, err := e.pool.Query(ctx, `SELECT t.text, p.start_offset, p.end_offset FROM personal_spans p
		JOIN (SELECT response_id, question_id, text::text AS text FROM answers WHERE text IS NOT NULL
		      UNION ALL SELECT response_id, 0, full_text FROM response_sources) t
		  ON t.response_id = p.response_id AND t.question_id = p.question_id
		WHERE p.consultation_id = $1 AND p.status <> 'dismissed'`, c.ID)
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
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for _, must := range []string{"Adaeze Okonkwo", "07911 123456", "adaeze@carers-north.org.uk", "943 476 5919", "LS1 4AB", "Rosebank Lodge",
		"Bartholomew Quince", "12/03/1948", "AB 12 34 56 C", "0117 496 0123"} {
		if !secret[must] {
			t.Errorf("%q was not found or added as personal data: the walk would not look for it", must)
		}
	}
	if secret[dismissed] {
		t.Fatalf("the dismissed name %q still redacts", dismissed)
	}

	if res, _ := admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"true"}, "confirm": {"yes"}}); res.StatusCode != 200 {
		t.Fatalf("publish results = %d", res.StatusCode)
	}
	if res, _ := admin.post("/admin/consultations/cqc-2021/organisation-responses", url.Values{"published": {"true"}}); res.StatusCode != 200 {
		t.Fatalf("publish organisations' responses = %d", res.StatusCode)
	}

	var seeds []string
	for _, p := range getRoutes(t, e) {
		seeds = append(seeds, concrete(p, 1))
		if strings.Contains(p, "{format}") {
			seeds = append(seeds, strings.ReplaceAll(concrete(strings.ReplaceAll(p, "{format}", "FMT"), 1), "FMT", "xlsx"),
				strings.ReplaceAll(concrete(strings.ReplaceAll(p, "{format}", "FMT"), 1), "FMT", "json"))
		}
	}
	for _, who := range []struct {
		name string
		c    *client
	}{{"public", e.anonymous()}, {"viewer", e.user("viewer@example.org", accounts.Viewer)}} {
		seen := map[string]bool{}
		read := map[string]bool{} // 200 responses read, by path
		sawDismissed := false
		queue := append([]string{"/"}, seeds...)
		for len(queue) > 0 && len(seen) < 600 {
			p := queue[0]
			queue = queue[1:]
			u, err := url.Parse(p)
			if err != nil || seen[pageKey(u)] || strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/assets/") || u.Path == "/sign-out" {
				continue
			}
			seen[pageKey(u)] = true
			res, body := who.c.get(u.RequestURI())
			if res.StatusCode != 200 {
				continue
			}
			read[u.Path] = true
			text := readable(t, []byte(body))
			for s := range secret {
				if strings.Contains(text, s) {
					t.Errorf("%s: %s shows personal data that should be redacted: %q", who.name, u.RequestURI(), s)
				}
			}
			sawDismissed = sawDismissed || strings.Contains(text, dismissed)
			if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
				d.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
					if href, _ := a.Attr("href"); strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
						queue = append(queue, href)
					}
				})
			}
		}
		for _, must := range []string{"/consultations/cqc-2021/report", "/consultations/cqc-2021/report.md", "/consultations/cqc-2021/report.docx",
			"/consultations/cqc-2021/results.csv", "/consultations/cqc-2021/results.xlsx", "/consultations/cqc-2021/codes.csv"} {
			if !read[must] {
				t.Errorf("%s: the walk did not read %s", who.name, must)
			}
		}
		if who.name == "public" && !read["/consultations/cqc-2021/organisation-responses"] {
			t.Errorf("public: the walk did not read the organisations' responses")
		}
		if !sawDismissed {
			t.Errorf("%s: the dismissed name was on no page: the walk did not read the published texts", who.name)
		}
		t.Logf("%s: %d pages and downloads read", who.name, len(read))
	}
}
