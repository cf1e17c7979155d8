package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/jobs"
	"heard/internal/server"
)

// upload posts a file to the imports page as a browser would.
func (c *client) upload(path, name string, data []byte, fields map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v) //nolint:errcheck // bytes.Buffer
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data) //nolint:errcheck
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func doc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const importsPath = "/consultations/cqc-2021/imports" // under /admin

func TestUploadPreviewConfirm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	csv := "reference,channel,Q1a,Q7\nUP-1,letter,Fully,A typed-up letter.\nUP-2,letter,Mostly,\n"
	res, body := admin.upload("/admin"+importsPath, "typed.csv", []byte(csv), map[string]string{"group": "public"})
	if res.StatusCode != 200 || !strings.Contains(res.Request.URL.Path, "/uploads/") {
		t.Fatalf("upload = %d at %s", res.StatusCode, res.Request.URL)
	}
	preview := res.Request.URL.Path
	text := doc(t, body).Find("main").Text()
	for _, want := range []string{"Responses to import", "UP-1", "Confirm and import"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if total(t, e) != 790 {
		t.Fatal("the preview stored responses")
	}
	// Confirm twice (a double click): one import.
	res, body = admin.post(preview+"/confirm", nil)
	admin.post(preview+"/confirm", nil)
	if res.StatusCode != 200 || !strings.Contains(doc(t, body).Find("main").Text(), "Responses imported2") {
		t.Errorf("after confirm at %s:\n%s", res.Request.URL, doc(t, body).Find("dl").Text())
	}
	if n := total(t, e); n != 792 {
		t.Errorf("%d responses after confirming twice, want 792", n)
	}
	_, body = admin.get("/admin" + importsPath)
	if !strings.Contains(body, "typed.csv") || !strings.Contains(body, "Imported") {
		t.Error("the imports page does not list the batch")
	}
	_, body = admin.get("/admin/audit?action=import_imported")
	if !strings.Contains(body, "typed.csv") {
		t.Error("the import is not in the audit log")
	}

	// A file with problems: the preview says it will be rejected; nothing stored.
	res, body = admin.upload("/admin"+importsPath, "bad.csv", []byte("reference,channel,Q1a\nB-1,letter,Maybe\n"), nil)
	if !strings.Contains(body, `row 2, column Q1a, value &#34;Maybe&#34;`) || !strings.Contains(body, "rejected whole") {
		t.Errorf("preview of a bad file:\n%s", doc(t, body).Find("main").Text())
	}
	admin.post(res.Request.URL.Path+"/confirm", nil)
	if n := total(t, e); n != 792 {
		t.Errorf("%d responses after a rejected file", n)
	}

	// Bad uploads are refused with a message on the form.
	for _, c := range []struct{ name, want string }{{"notes.doc", "must be an .eml"}, {"empty.csv", "is empty"}} {
		data := []byte("x")
		if c.name == "empty.csv" {
			data = nil
		}
		res, body := admin.upload("/admin"+importsPath, c.name, data, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) || !strings.Contains(body, "<title>Error: Imports") {
			t.Errorf("%s: %d", c.name, res.StatusCode)
		}
	}
}

func TestTemplateAndExportDownloads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	res, body := admin.get("/admin/consultations/cqc-2021/template.csv")
	if res.StatusCode != 200 || !strings.HasPrefix(body, "reference,received_on,channel,respondent_group,organisation,Q1a") {
		t.Errorf("template.csv = %d %.80q", res.StatusCode, body)
	}
	if res, _ := admin.get("/admin/consultations/cqc-2021/template.xlsx"); res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("template.xlsx = %d", res.StatusCode)
	}
	analyst := e.user("analyst@example.org", accounts.Analyst)
	res, body = analyst.get("/consultations/cqc-2021/export/responses.json")
	if res.StatusCode != 200 || strings.Count(body, `"source_ref"`) != 790 {
		t.Errorf("export json = %d, %d responses", res.StatusCode, strings.Count(body, `"source_ref"`))
	}
	if res, _ := analyst.get("/consultations/cqc-2021/export/responses.pdf"); res.StatusCode != 404 {
		t.Errorf("export pdf = %d", res.StatusCode)
	}
}

// Large files are imported by a River job, with a progress page.
func TestBackgroundImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	logger := slog.New(slog.DiscardHandler)
	client, err := jobs.NewClient(e.pool, logger, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(context.Background()) //nolint:errcheck
	app := server.New(logger, e.pool, server.Options{InsecureCookies: true})
	app.Jobs = client
	srv := httptest.NewServer(app.Routes())
	defer srv.Close()
	e.srv, e.app = srv, app
	admin := e.user("admin@example.org", accounts.Admin)

	var b strings.Builder
	b.WriteString("reference,channel,Q7\n")
	rows := 0
	for ; b.Len() < batchimport.BackgroundBytes+1000; rows++ {
		fmt.Fprintf(&b, "BG-%05d,letter,%s\n", rows, strings.Repeat("words ", 40))
	}
	res, _ := admin.upload("/admin"+importsPath, "big.csv", []byte(b.String()), nil)
	preview := res.Request.URL.Path
	res, body := admin.post(preview+"/confirm", nil)
	if !strings.Contains(body, "Importing big.csv") && !strings.Contains(body, "Import of big.csv") {
		t.Fatalf("after confirming a large file: %s", doc(t, body).Find("h1").Text())
	}
	// Wait for the job to finish, as long as the test may run.
	for !strings.Contains(body, "Import of big.csv") {
		if d, ok := t.Deadline(); ok && time.Until(d) < 10*time.Second {
			t.Fatalf("the background import did not finish: %s", doc(t, body).Find("main").Text())
		}
		time.Sleep(100 * time.Millisecond)
		_, body = admin.get(preview)
	}
	if n := total(t, e); n != int64(790+rows) {
		t.Errorf("%d responses after the background import of %d rows, want %d", n, rows, 790+rows)
	}
}

func total(t *testing.T, e *env) int64 {
	t.Helper()
	var n int64
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM responses`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An analyst reads an imported letter, corrects a segment's attribution
// (the counts follow) and confirms a suggested group.
func TestCorrectLetter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	// The demo's CQC teams group is suggested for cqc.org.uk senders.
	if _, err := e.pool.Exec(context.Background(), `UPDATE respondent_groups SET email_domains = '{cqc.org.uk}' WHERE slug = 'cqc-teams'`); err != nil {
		t.Fatal(err)
	}
	before := ""
	{
		_, csv := analyst.get("/consultations/cqc-2021/results.csv?channel=email&group=public")
		for _, line := range strings.Split(csv, "\n") {
			if strings.HasPrefix(line, "Q2b,,public,email,") {
				before = strings.TrimPrefix(line, "Q2b,,public,email,")
			}
		}
	}
	mail := "From: Team Lead <lead@cqc.org.uk>\r\nSubject: Team response\r\nDate: Wed, 3 Feb 2021 09:30:00 +0000\r\nMessage-ID: <team@cqc.org.uk>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nSmarter regulation\r\n\r\nWe welcome more use of data.\r\n\r\nKind regards\r\n"
	res, _ := admin.upload("/admin"+importsPath, "team.eml", []byte(mail), map[string]string{"group": "public"})
	res, body := admin.post(res.Request.URL.Path+"/confirm", nil)
	link, ok := doc(t, body).Find(`a[href*="/letters/"]`).Attr("href")
	if !ok {
		t.Fatalf("the batch page does not link to the letter: %s", doc(t, body).Find("main").Text())
	}
	// Q2b answers from public emails: the demo's, plus this letter's section.
	q2b := func() string {
		_, csv := analyst.get("/consultations/cqc-2021/results.csv?channel=email&group=public")
		for _, line := range strings.Split(csv, "\n") {
			if strings.HasPrefix(line, "Q2b,,public,email,") {
				return strings.TrimPrefix(line, "Q2b,,public,email,")
			}
		}
		return "0"
	}
	withLetter := q2b()
	if withLetter == before {
		t.Fatalf("the letter's Smarter regulation section does not count towards Q2b (%s before, %s after)", before, withLetter)
	}
	res, body = analyst.get(link)
	d := doc(t, body)
	if res.StatusCode != 200 || !strings.Contains(d.Find("main").Text(), "Suggested group: CQC teams") {
		t.Fatalf("letter page = %d: %s", res.StatusCode, d.Find("main").Text())
	}
	// A person writing, not an organisation: nothing to confirm.
	if d.Find(`form[action$="/organisation"]`).Length() != 0 {
		t.Error("a team lead's email was taken as sent on behalf of an organisation")
	}
	// The page says why each part was attributed where it was.
	if why := d.Find("#segment-1-why").Text(); !strings.Contains(why, `Why: the line names the theme "Smarter regulation"`) {
		t.Errorf("reason shown for part 1: %q", why)
	}
	action, _ := d.Find(`form[action*="/segments/"]`).First().Attr("action")
	res, body = analyst.post(action, url.Values{"target": {"general"}})
	if !strings.Contains(body, "Attribution saved") {
		t.Errorf("correcting a segment: %d", res.StatusCode)
	}
	if after := q2b(); after == withLetter {
		t.Errorf("after moving the section to general comments, Q2b still counts %s", after)
	}
	res, body = analyst.post(link+"/group", nil)
	if !strings.Contains(body, "Suggested group confirmed") {
		t.Errorf("confirm group: %d", res.StatusCode)
	}
	_, csv := analyst.get("/consultations/cqc-2021/results.csv?channel=email&group=cqc-teams")
	if !strings.Contains(csv, "cqc-teams,email") {
		t.Errorf("after confirming, the response is not counted as CQC teams:\n%s", csv)
	}
	if res, _ := analyst.post(action, url.Values{"target": {"q:Q99"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown target = %d, want 400", res.StatusCode)
	}
	_, body = admin.get("/admin/audit?action=segment_corrected")
	if !strings.Contains(body, "analyst@example.org") {
		t.Error("the correction is not audited")
	}
}

// An analyst confirms or rejects the organisation Heard found in an
// email's signature block.
func TestConfirmOrganisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	for i, org := range []string{"Riverside Care Home Ltd", "Northshire Healthwatch"} {
		mail := fmt.Sprintf("From: Sam Jones <sam%d@example.org>\r\nSubject: Response\r\nDate: Wed, 3 Feb 2021 09:30:00 +0000\r\nMessage-ID: <org%d@example.org>\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\nQ7: Fine.\r\n\r\nKind regards\r\nSam Jones\r\nManager, %s\r\n", i, i, org)
		res, _ := admin.upload("/admin"+importsPath, fmt.Sprintf("org%d.eml", i), []byte(mail), nil)
		_, body := admin.post(res.Request.URL.Path+"/confirm", nil)
		link, _ := doc(t, body).Find(`a[href*="/letters/"]`).Attr("href")
		_, body = analyst.get(link)
		d := doc(t, body)
		if !strings.Contains(d.Find(".govuk-inset-text").Text(), "Sent on behalf of "+org+"? Heard found the name in the signature block") {
			t.Fatalf("letter page: %s", d.Find("main").Text())
		}
		action, _ := d.Find(`form[action$="/organisation"]`).Attr("action")
		form := url.Values{}
		if i == 1 {
			form.Set("reject", "true")
		}
		_, body = analyst.post(action, form)
		d = doc(t, body)
		if d.Find(`form[action$="/organisation"]`).Length() != 0 {
			t.Errorf("%s: still asks for confirmation", org)
		}
		main := d.Find("main").Text()
		if i == 0 && !strings.Contains(main, "Organisation confirmed") {
			t.Errorf("confirm: %s", main)
		}
		if i == 1 && (strings.Contains(main, org) && !strings.Contains(main, "Manager, "+org) || !strings.Contains(main, "No organisation")) {
			t.Errorf("reject: %s", main)
		}
	}
	var onBehalf int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM responses WHERE on_behalf_of_org AND organisation = 'Riverside Care Home Ltd'`).Scan(&onBehalf); err != nil || onBehalf != 1 {
		t.Errorf("confirmed organisation stored on %d responses (%v)", onBehalf, err)
	}
}

// An upload left running by a server that died is shown interrupted, on
// its page and in the Imports list, and the Retry button imports it.
func TestInterruptedUploadCanBeRetried(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	res, _ := admin.upload("/admin"+importsPath, "late.csv", []byte("reference,channel,Q1a\nLATE-1,letter,Mostly\n"), nil)
	page := res.Request.URL.Path
	// What a killed server leaves: running, no import holding it.
	if _, err := e.pool.Exec(context.Background(), `UPDATE import_uploads SET status = 'running'`); err != nil {
		t.Fatal(err)
	}
	_, body := admin.get("/admin" + importsPath)
	if d := doc(t, body); !strings.Contains(d.Find("main").Text(), "late.csv: interrupted: retry or discard it") {
		t.Errorf("imports page: %s", d.Find("main").Text())
	}
	_, body = admin.get(page)
	d := doc(t, body)
	if !strings.Contains(d.Find("h1").Text(), "was interrupted") || d.Find(`form[action$="/retry"] button`).Length() != 1 {
		t.Fatalf("upload page: %s", d.Find("main").Text())
	}
	action, _ := d.Find(`form[action$="/retry"]`).Attr("action")
	_, body = admin.post(action, nil)
	if d := doc(t, body); !strings.Contains(d.Find("h1").Text(), "Import of late.csv") {
		t.Errorf("after retry: %s", d.Find("main").Text())
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM responses WHERE source_ref = 'LATE-1'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d responses after the retry (%v)", n, err)
	}
}

// Letters with no readable text are listed for analysts.
func TestUntypedLettersListedForAnalysts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	scan := "From: Post Room <post@council.example>\r\nSubject: Scanned letter\r\nDate: Mon, 1 Mar 2021 09:00:00 +0000\r\nMessage-ID: <scan@council.example>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"s\"\r\n\r\n--s\r\nContent-Type: image/jpeg; name=\"scan.jpg\"\r\n" +
		"Content-Disposition: attachment; filename=\"scan.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n--s--\r\n"
	res, _ := admin.upload("/admin"+importsPath, "scan.eml", []byte(scan), nil)
	admin.post(res.Request.URL.Path+"/confirm", nil)
	_, body := analyst.get("/consultations/cqc-2021")
	href, ok := doc(t, body).Find(`a[href$="/letters/untyped"]`).Attr("href")
	if !ok {
		t.Fatal("the overview does not link analysts to the letters that need typing up")
	}
	_, body = analyst.get(href)
	if main := doc(t, body).Find("main").Text(); !strings.Contains(main, "Post Room") || !strings.Contains(main, "scan.jpg") {
		t.Errorf("untyped letters page: %s", main)
	}
}

// The upload form says what a CSV file's bytes are.
func TestUploadWithEncoding(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	mac := []byte("reference,channel,Q7\nMAC-1,letter,Caf\x8e society\n") // Mac Roman é
	res, _ := admin.upload("/admin"+importsPath, "mac.csv", mac, map[string]string{"encoding": "macintosh"})
	admin.post(res.Request.URL.Path+"/confirm", nil)
	var text string
	if err := e.pool.QueryRow(context.Background(), `SELECT a.text FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.source_ref = 'MAC-1'`).Scan(&text); err != nil || text != "Café society" {
		t.Errorf("text %q (%v)", text, err)
	}
	res, body := admin.upload("/admin"+importsPath, "x.csv", mac, map[string]string{"encoding": "klingon"})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose a character encoding from the list") {
		t.Errorf("unknown encoding: %d", res.StatusCode)
	}
}

// A NUL byte in what a problem quotes gives a preview, not a 500.
func TestUploadWithNULByte(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	res, body := admin.upload("/admin"+importsPath, "nul.csv", []byte("reference,chan\x00nel\nR1,letter\n"), nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(doc(t, body).Find("main").Text(), `chan\x00nel`) {
		t.Fatalf("upload = %d: %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	_, body = admin.post(res.Request.URL.Path+"/confirm", nil)
	if !strings.Contains(doc(t, body).Find("main").Text(), "Rejected") && !strings.Contains(doc(t, body).Find("main").Text(), `chan\x00nel`) {
		t.Errorf("after confirm: %s", doc(t, body).Find("main").Text())
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM import_batches WHERE status = 'rejected'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d rejected batch records (%v)", n, err)
	}
}
