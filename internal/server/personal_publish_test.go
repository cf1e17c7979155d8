package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/db"
	"heard/internal/ingest"
)

// No span that redacts (detected, confirmed or added) ever appears on the
// public page of organisations' responses, and the page exists only
// once an admin publishes it.
func TestPublishedOrganisationResponsesLeakNoPersonalData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", accounts.Admin)
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	// An organisation's webform response full of personal data, with
	// consent to publication.
	text := "We support this. Contact our chair, Mrs Adaeze Okonkwo, on 07911 123456 or adaeze@carers-north.org.uk, NHS number 943 476 5919, at LS1 4AB.\n\nKind regards,\nDavid Fairweather"
	err = db.WithTx(ctx, e.pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		if err := w.Add(ctx, ingest.Response{SourceRef: "ORG1-0001", Channel: "webform", ReceivedAt: time.Now(), OnBehalfOfOrg: true,
			Organisation: "Carers North", Answers: []ingest.Answer{{QuestionID: c.Question("Q1b").ID, Text: &text}}}); err != nil {
			return err
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO webform_drafts (consultation_id, token_hash, reference, answers, expires_at, submitted_at, publication_consent)
		VALUES ($1, decode(md5('org1') || md5('org1b'), 'hex'), 'ORG1-0001', '{}', now() + interval '30 days', now(), 'yes')`, c.ID); err != nil {
		t.Fatal(err)
	}

	anon := e.anonymous()
	if res, _ := anon.get("/consultations/cqc-2021/organisation-responses"); res.StatusCode != 404 {
		t.Errorf("unpublished page = %d, want 404", res.StatusCode)
	}
	if res, body := admin.post("/admin/consultations/cqc-2021/organisation-responses", url.Values{"published": {"true"}}); res.StatusCode != 200 || !strings.Contains(body, "now published") {
		t.Fatalf("publish = %d", res.StatusCode)
	}
	res, body := anon.get("/consultations/cqc-2021/organisation-responses")
	if res.StatusCode != 200 {
		t.Fatalf("published page = %d", res.StatusCode)
	}
	page := doc(t, body).Find("main").Text()
	if !strings.Contains(page, "Carers North") || !strings.Contains(page, "[phone number removed]") || !strings.Contains(page, "[name removed]") {
		t.Errorf("the page lacks the organisation's redacted response: %s", page)
	}

	// Every redacting span of every response on the page.
	rows, err := e.pool.Query(ctx, `SELECT a.text, p.start_offset, p.end_offset FROM personal_spans p
		JOIN answers a ON a.response_id = p.response_id AND a.question_id = p.question_id
		JOIN responses r ON r.id = p.response_id AND r.on_behalf_of_org AND r.channel = 'webform'
		JOIN webform_drafts d ON d.consultation_id = r.consultation_id AND d.reference = r.source_ref AND d.publication_consent = 'yes'
		WHERE p.status <> 'dismissed'`)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for rows.Next() {
		var txt string
		var start, end int
		if err := rows.Scan(&txt, &start, &end); err != nil {
			t.Fatal(err)
		}
		words := txt[start:end]
		checked++
		if strings.Contains(page, words) || strings.Contains(body, words) {
			t.Errorf("%q, marked as personal data, is on the public page", words)
		}
	}
	if rows.Err() != nil || checked < 6 {
		t.Errorf("checked %d spans (%v), want at least the 6 planted", checked, rows.Err())
	}

	admin.post("/admin/consultations/cqc-2021/organisation-responses", url.Values{"published": {"false"}})
	if res, _ := anon.get("/consultations/cqc-2021/organisation-responses"); res.StatusCode != 404 {
		t.Errorf("unpublished again = %d, want 404", res.StatusCode)
	}
}
