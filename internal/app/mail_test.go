package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"heard/internal/app"
	"heard/internal/dbtest"
	"heard/internal/imaptest"
	mt "heard/internal/msg/msgtest"
	"heard/internal/ocr"
	"heard/internal/ocr/ocrtest"
)

// An admin imports a folder of Outlook messages and a letter scanned to
// PDF with a loose page scanned to PNG, from the command line.
func TestImportOutlookAndScans(t *testing.T) {
	t.Parallel()
	ocrtest.Require(t, ocr.Available())
	url := dbtest.URL(t)
	if code, _, errOut := run(t, url, "demo"); code != 0 {
		t.Fatal(errOut)
	}
	dir := t.TempDir()
	var files []string
	for i, body := range []string{"Q2b: Use data openly.", "Q3b: Share learning."} {
		m := &mt.Message{Props: []mt.Prop{
			mt.P(mt.PidSubject, "Response"), mt.P(mt.PidSenderName, "Sender"), mt.P(mt.PidSenderSMTP, "s@example.org"),
			mt.P(mt.PidClientSubmitTime, time.Date(2021, 2, 1, 9, i, 0, 0, time.UTC)), mt.P(mt.PidInternetMsgID, "<cli-"+string(rune('a'+i))+"@example.org>"),
			mt.P(mt.PidBody, body),
		}}
		p := filepath.Join(dir, "outlook", string(rune('a'+i))+".msg")
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, m.Bytes(), 0o600)
		files = append(files, p)
	}
	args := append([]string{"import", "--consultation", "cqc-2021"}, files...)
	code, out, errOut := run(t, url, args...)
	if code != 0 || strings.Count(out, ": imported") != 2 {
		t.Fatalf("import .msg = %d\n%s%s", code, out, errOut)
	}

	scan := filepath.Join(dir, "scan.pdf")
	os.WriteFile(scan, ocrtest.PDF(ocrtest.Image("Q6a: Mostly"), ocrtest.Image("Q6b: Inequalities must be tackled.")), 0o600)
	page := filepath.Join(dir, "page.png")
	os.WriteFile(page, ocrtest.PNG(ocrtest.Image("Q7: The impact assessment is thorough.")), 0o600)
	code, out, errOut = run(t, url, "import", "--consultation", "cqc-2021", "--channel", "letter", scan, page)
	for _, want := range []string{"scan.pdf: imported", "scans to read (OCR): 1", "OCR scan.pdf (response", "page 2 of 2", "scan.pdf: read, mean confidence", "page.png: read"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if code != 0 {
		t.Errorf("import scans = %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = run(t, url, "import", "--consultation", "cqc-2021", "--channel", "email", page)
	if code == 0 || !strings.Contains(out+errOut, "letter channel") {
		t.Errorf("scan as email = %d %s", code, out)
	}
}

func runWith(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// An admin connects a consultation to a real Dovecot mailbox from the
// command line and fetches its new emails as responses.
func TestMailboxCommands(t *testing.T) {
	t.Parallel()
	srv := imaptest.Start(t)
	url := dbtest.URL(t)
	if code, _, errOut := run(t, url, "demo"); code != 0 {
		t.Fatal(errOut)
	}
	env := map[string]string{"DATABASE_URL": url, "HEARD_SECRET_KEY": strings.Repeat("s", 32)}
	srv.Deliver(t, "",
		[]byte("From: A <a@example.org>\r\nMessage-ID: <mbx-1@example.org>\r\nSubject: Response\r\nDate: Mon, 1 Feb 2021 10:00:00 +0000\r\n\r\nQ1b: People first.\r\n"),
		[]byte("From: B <b@example.org>\r\nMessage-ID: <mbx-2@example.org>\r\nSubject: Response\r\nDate: Mon, 1 Feb 2021 11:00:00 +0000\r\n\r\nQ2b: Smarter.\r\n"))
	connect := []string{"mailbox", "connect", "--consultation", "cqc-2021", "--host", "127.0.0.1", "--port", strconv.Itoa(srv.Port), "--security", "none", "--user", srv.User}

	noKey := map[string]string{"DATABASE_URL": url}
	if code, _, errOut := runWith(t, noKey, srv.Password+"\n", connect...); code != 1 || !strings.Contains(errOut, "HEARD_SECRET_KEY is not set") {
		t.Errorf("connect without a key = %d %s", code, errOut)
	}
	if code, _, errOut := runWith(t, env, "wrong\n", connect...); code != 1 || !strings.Contains(errOut, "refused the login") {
		t.Errorf("connect with a wrong password = %d %s", code, errOut)
	}
	code, out, errOut := runWith(t, env, srv.Password+"\n", connect...)
	if code != 0 || !strings.Contains(out, "connected cqc-2021") || strings.Contains(out, srv.Password) {
		t.Fatalf("connect = %d %s%s", code, out, errOut)
	}
	code, out, _ = runWith(t, env, "", "mailbox", "list")
	if code != 0 || !strings.Contains(out, "cqc-2021\tconsultation@127.0.0.1") || strings.Contains(out, srv.Password) {
		t.Errorf("list = %d %s", code, out)
	}
	code, out, errOut = runWith(t, env, "", "mailbox", "fetch", "--consultation", "cqc-2021")
	if code != 0 || !strings.Contains(out, "imported:            2") || !strings.Contains(out, "2 fetched, 2 imported, 0 already stored, 0 refused") {
		t.Errorf("fetch = %d %s%s", code, out, errOut)
	}
	code, out, _ = runWith(t, env, "", "mailbox", "fetch", "--consultation", "cqc-2021")
	if code != 0 || !strings.Contains(out, "0 fetched") {
		t.Errorf("second fetch = %d %s", code, out)
	}
	if code, out, _ = runWith(t, env, "", "mailbox", "disconnect", "--consultation", "cqc-2021"); code != 0 || !strings.Contains(out, "disconnected") {
		t.Errorf("disconnect = %d %s", code, out)
	}
	if code, _, errOut = runWith(t, env, "", "mailbox", "fetch", "--consultation", "cqc-2021"); code != 1 || !strings.Contains(errOut, "no mailbox is connected") {
		t.Errorf("fetch after disconnect = %d %s", code, errOut)
	}
}
