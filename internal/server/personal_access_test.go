package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/db"
	"heard/internal/ingest"
)

// plantPerson stores, for one person, a webform response and an email
// with its raw message, and returns the email's response id.
func plantPerson(t *testing.T, e *env, address string) int64 {
	t.Helper()
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	web := "I am a carer. You can reach me at " + address + "."
	mail := "Dear CQC,\nI want more inspections.\nYours sincerely,\nPat Quinlan"
	var emailID int64
	err = db.WithTx(ctx, e.pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		w.AfterBatch = func(_ context.Context, _ *db.Queries, ids []int64, rs []ingest.Response) error {
			for i, r := range rs {
				if r.Channel == "email" {
					emailID = ids[i]
				}
			}
			return nil
		}
		for _, r := range []ingest.Response{
			{SourceRef: "PATQ-0001", Channel: "webform", ReceivedAt: time.Now(), Answers: []ingest.Answer{{QuestionID: c.Question("Q1b").ID, Text: &web}}},
			{SourceRef: "<pat-1@example.net>", Channel: "email", ReceivedAt: time.Now()},
		} {
			if err := w.Add(ctx, r); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	raw := "From: Pat Quinlan <" + address + ">\r\nSubject: Inspections\r\n\r\n" + mail
	if _, err := e.pool.Exec(ctx, `INSERT INTO response_sources (consultation_id, response_id, sender_name, sender_address, subject, full_text, text_hash, raw)
		VALUES ($1, $2, 'Pat Quinlan', $3, 'Inspections', $4, 'x', $5)`, c.ID, emailID, address, mail, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	return emailID
}

// A subject access search by email address finds the person's webform
// response and email, logs the request with its due date, and the ZIP
// holds both, with the email's raw message.
func TestSubjectAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user("admin@example.org", accounts.Admin)
	const address = "pat.quinlan@example.net"
	emailID := plantPerson(t, e, address)

	res, body := admin.post("/admin/subject-access", url.Values{"label": {"Letter of 1 November, ref 7"}, "received": {"2026-11-01"}, "term": {"a"}})
	if res.StatusCode != 400 || !strings.Contains(body, "at least 3 characters") {
		t.Errorf("a one-letter search = %d", res.StatusCode)
	}
	res, body = admin.post("/admin/subject-access", url.Values{"label": {"Letter of 1 November, ref 7"}, "received": {"2026-11-01"}, "term": {address}})
	main := doc(t, body).Find("main").Text()
	if res.StatusCode != 200 || !strings.Contains(main, "Response PATQ-0001") || !strings.Contains(main, "with the original message") {
		t.Fatalf("search = %d: %s", res.StatusCode, main)
	}
	if !strings.Contains(main, "1 December 2026") {
		t.Errorf("the log does not show the due date a month after receipt: %s", main)
	}
	var id int64
	var status string
	if err := e.pool.QueryRow(ctx, `SELECT id, status FROM subject_access_requests`).Scan(&id, &status); err != nil || status != "open" {
		t.Fatalf("request log: %v %s", err, status)
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM subject_access_requests WHERE label LIKE '%pat%'`).Scan(&n); err != nil || n != 0 {
		t.Error("the log keeps the searched words")
	}

	res, zipBody := admin.post("/admin/subject-access/"+strconv.FormatInt(id, 10)+"/bundle", url.Values{"term": {address}})
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("bundle = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(zipBody)), int64(len(zipBody)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	var found struct {
		Responses []struct {
			Reference, Channel string
			RawFile            string `json:"raw_file"`
		}
	}
	if err := json.Unmarshal([]byte(files["subject-access.json"]), &found); err != nil {
		t.Fatalf("subject-access.json: %v", err)
	}
	var refs []string
	for _, r := range found.Responses {
		refs = append(refs, r.Channel+":"+r.Reference)
	}
	if strings.Join(refs, " ") != "webform:PATQ-0001 email:<pat-1@example.net>" {
		t.Errorf("bundle responses = %v", refs)
	}
	raw := files["raw/response-"+strconv.FormatInt(emailID, 10)+".eml"]
	if !strings.Contains(raw, "From: Pat Quinlan <"+address+">") {
		t.Errorf("the bundle lacks the raw message; files: %v", zipNames(files))
	}
	if err := e.pool.QueryRow(ctx, `SELECT status FROM subject_access_requests WHERE id = $1`, id).Scan(&status); err != nil || status != "exported" {
		t.Errorf("after the download the request is %q (%v)", status, err)
	}
}

func zipNames(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
