package batchimport_test

import (
	"context"
	"strings"
	"testing"

	"heard/internal/batchimport"
)

// countBatches counts the consultation's batch records.
func (e *env) countBatches() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM import_batches WHERE consultation_id = $1`, e.c.ID).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// A NUL byte or invalid UTF-8 in what a problem quotes, or in a field
// stored beside a response, is escaped before it reaches PostgreSQL: the
// file is imported or refused with a batch record, never a 500.
func TestNULAndInvalidUTF8NeverReachPostgres(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name, file string
		data       []byte
		status     string
		want       string // in the problems
	}{
		{"NUL in a CSV header", "nul-header.csv", []byte("reference,chan\x00nel\nR1,letter\n"), "rejected", `chan\x00nel`},
		{"NUL in a zip entry name", "nul-entry.zip", zipOf(t, [2]string{"good.eml", string(plain)}, [2]string{"bad\x00name.txt", "x"}), "rejected", `bad\x00name.txt`},
		{"invalid UTF-8 in a zip entry name", "bad-entry.zip", zipOf(t, [2]string{"good.eml", string(plain)}, [2]string{"bad\xffname.txt", "x"}), "rejected", `bad\xffname.txt`},
		{"NUL and invalid UTF-8 in an attachment's name", "attached.eml", msg(
			"From: a@example.org", "Message-ID: <att-nul@example.org>", "MIME-Version: 1.0",
			`Content-Type: multipart/mixed; boundary="b"`, "", "--b", "Content-Type: text/plain", "", "Q7: fine.",
			"--b", "Content-Type: application/octet-stream", "Content-Disposition: attachment; filename*=utf-8''scan%00%FF.bin",
			"Content-Transfer-Encoding: base64", "", b64("\x89PNG"), "--b--", ""), "imported", ""},
		{"NUL in a Message-ID", "nul-id.eml", msg("From: a@example.org", "Message-ID: <id\x00x@example.org>", "Content-Type: text/plain", "", "Q7: fine.", ""), "imported", ""},
	}
	for _, c := range cases {
		before := e.countBatches()
		o := batchimport.Options{Consultation: e.c}
		rep, err := e.svc.ImportPath(context.Background(), e.file(c.file, c.data), c.file, o)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if rep.Status != c.status || !strings.Contains(problems(rep), c.want) {
			t.Errorf("%s: status %s, problems:\n%s\nwant %s naming %q", c.name, rep.Status, problems(rep), c.status, c.want)
		}
		if e.countBatches() != before+1 {
			t.Errorf("%s: no batch record", c.name)
		}
		// The preview kept for an upload is stored too.
		o.DryRun = true
		if _, err := e.svc.CreateUpload(context.Background(), c.file, c.data, o); err != nil {
			t.Errorf("%s: upload preview: %v", c.name, err)
		}
	}
}

// scanned is an email whose only content is an image: Heard reads no
// text from it.
func scanned(id string) []byte {
	return msg("From: Post Room <post@council.example>", "Subject: Scanned letter", "Date: Mon, 1 Mar 2021 09:00:00 +0000",
		"Message-ID: <"+id+">", "MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="s"`, "",
		"--s", `Content-Type: image/jpeg; name="scan.jpg"`, `Content-Disposition: attachment; filename="scan.jpg"`,
		"Content-Transfer-Encoding: base64", "", b64("\xff\xd8\xff\xe0 scan of "+id), "--s--", "")
}

// Emails without readable text are never duplicates of each other: each
// is stored, marked as needing typing up, and listed for analysts.
func TestEmptyTextIsNeverADuplicate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mbox := "From post@council.example Mon Mar  1 09:00:00 2021\n" + strings.ReplaceAll(string(scanned("scan-1@council.example")), "\r\n", "\n") +
		"\nFrom post@council.example Mon Mar  1 09:05:00 2021\n" + strings.ReplaceAll(string(scanned("scan-2@council.example")), "\r\n", "\n") + "\n"
	rep := e.importFile("scans.mbox", []byte(mbox), batchimport.Options{})
	if rep.Imported != 2 || len(rep.Duplicates) != 0 {
		t.Fatalf("two scanned letters: imported %d, duplicates %+v\n%s", rep.Imported, rep.Duplicates, problems(rep))
	}
	rep = e.importFile("scan-3.eml", scanned("scan-3@council.example"), batchimport.Options{})
	if rep.Imported != 1 || len(rep.Duplicates) != 0 {
		t.Fatalf("a third scanned letter: imported %d, duplicates %+v", rep.Imported, rep.Duplicates)
	}
	list, err := e.svc.NeedsTyping(context.Background(), e.c)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("%d letters listed as needing typing up, want 3", len(list))
	}
	if !strings.Contains(strings.Join(list[0].Warnings, "\n"), "no readable text — needs typing up") {
		t.Errorf("warnings %q", list[0].Warnings)
	}
	// Text still makes a duplicate.
	if again := e.importFile("one.eml", plain, batchimport.Options{}); again.Imported != 1 {
		t.Fatal(again)
	}
	resent := []byte(strings.Replace(string(plain), "<one@example.org>", "<one-resent@example.org>", 1))
	if rep := e.importFile("resent.eml", resent, batchimport.Options{}); len(rep.Duplicates) != 1 {
		t.Errorf("identical text from one sender was not a duplicate: %+v", rep)
	}
}

// A stated closed answer is not an explanation: only the sender's own
// words count towards an open question.
func TestClosedAnswerAloneIsNoExplanation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := msg("From: Brief <brief@example.org>", "Subject: Answers", "Date: Mon, 1 Mar 2021 09:00:00 +0000",
		"Message-ID: <brief@example.org>", "Content-Type: text/plain; charset=utf-8", "",
		"Q1a: Fully", "", "Q2a - Mostly.", "", "Q3b:", "", "Q4a: Partially", "We need more on staffing.", "")
	rep := e.importFile("brief.eml", m, batchimport.Options{})
	if rep.Imported != 1 {
		t.Fatalf("%+v\n%s", rep, problems(rep))
	}
	for code, want := range map[string]int64{"Q1a": 1, "Q1b": 0, "Q2a": 1, "Q2b": 0, "Q3b": 0, "Q4a": 1, "Q4b": 1} {
		if got := e.answered(code); got != want {
			t.Errorf("%s answered by %d, want %d", code, got, want)
		}
	}
	var text string
	if err := e.pool.QueryRow(context.Background(), `SELECT a.text FROM answers a JOIN questions q ON q.id = a.question_id WHERE q.code = 'Q4b'`).Scan(&text); err != nil || text != "We need more on staffing." {
		t.Errorf("Q4b text %q (%v)", text, err)
	}
}
