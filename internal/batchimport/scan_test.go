package batchimport_test

import (
	"context"
	"fmt"
	"image"
	"slices"
	"strings"
	"testing"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	mt "heard/internal/msg/msgtest"
	"heard/internal/ocr"
	"heard/internal/ocr/ocrtest"
)

func requireOCR(t *testing.T) {
	t.Helper()
	ocrtest.Require(t, ocr.Available())
}

// readAll runs the background reader until no scan waits, as the job does.
func (e *env) readAll() int {
	e.t.Helper()
	n := 0
	for {
		out, err := e.svc.ReadNextScan(context.Background(), nil)
		if err != nil {
			e.t.Fatal(err)
		}
		if out == nil {
			return n
		}
		n++
	}
}

var scannedLetter = []string{
	"Dear Sir or Madam,",
	"Q5a: Fully",
	"Q1b: We welcome the focus on people",
	"and communities in this strategy.",
}

// TestImportScans imports a zip of scans (two images, a two-page PDF)
// that OCR reads in the background into counted responses.
func TestImportScans(t *testing.T) {
	requireOCR(t)
	e := newEnv(t)
	z := zipOf(t,
		[2]string{"post/letter1.png", string(ocrtest.PNG(ocrtest.Image(scannedLetter...)))},
		[2]string{"post/letter2.jpg", string(ocrtest.JPEG(ocrtest.Image("Q3b: Learning from safety matters most.")))},
		[2]string{"post/letter3.pdf", string(ocrtest.PDF(ocrtest.Image("Q2a: Mostly"), ocrtest.Image("Q2b: Use data with care.")))},
	)
	rep := e.importFile("post.zip", z, batchimport.Options{})
	if rep.Status != "imported" || rep.Imported != 3 || rep.Scans != 3 {
		t.Fatalf("import: %+v %s", rep, problems(rep))
	}
	if got := e.total(); got != 3 {
		t.Errorf("total %d before OCR, want 3 (a letter counts as received at once)", got)
	}
	if got := e.answered("Q5a"); got != 0 {
		t.Errorf("Q5a answered %d before OCR", got)
	}
	if n := e.readAll(); n != 3 {
		t.Errorf("read %d scans, want 3", n)
	}
	for code, want := range map[string]int64{"Q5a": 1, "Q1b": 1, "Q2a": 1, "Q2b": 1, "Q3b": 1} {
		if got := e.answered(code); got != want {
			t.Errorf("%s answered %d after OCR, want %d", code, got, want)
		}
	}
	scans, err := e.svc.Scans(context.Background(), e.c)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 0 {
		t.Errorf("clean scans listed as needing a person: %+v", scans)
	}
	var id int64
	if err := e.pool.QueryRow(context.Background(), `select response_id from letter_scans where file_name = 'letter3.pdf'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	scs, err := e.svc.ResponseScans(context.Background(), e.c, id)
	if err != nil {
		t.Fatal(err)
	}
	sc := scs[0]
	if len(scs) != 1 || len(sc.PageStats) != 2 || sc.Pages != 2 || sc.PagesDone != 2 || sc.Status != "read" || sc.MeanConfidence == nil || *sc.MeanConfidence < 80 {
		t.Errorf("scan: %+v", sc)
	}
	if img, typ, err := e.svc.ScanPage(context.Background(), e.c, id, sc.ID, 2); err != nil || typ != "image/png" || len(img) == 0 {
		t.Errorf("page 2 image: %d bytes, %q, %v", len(img), typ, err)
	}

	// The same scans again are duplicates, not new letters.
	rep = e.importFile("post-again.zip", z, batchimport.Options{})
	if rep.Imported != 0 || len(rep.Duplicates) != 3 {
		t.Errorf("again: %+v", rep)
	}
}

// TestCorrectScan: a badly read scan is listed as needing checking; the
// analyst's correction replaces its text, the counts follow, and it is
// audited.
func TestCorrectScan(t *testing.T) {
	requireOCR(t)
	e := newEnv(t)
	img := ocrtest.Image("Q4a: Not at all", "Q4b: Too costly for small providers.")
	ocrtest.Noise(img, 0.3)
	rep := e.importFile("smudged.png", ocrtest.PNG(img), batchimport.Options{})
	if rep.Imported != 1 {
		t.Fatalf("import: %+v %s", rep, problems(rep))
	}
	e.readAll()
	scans, err := e.svc.Scans(context.Background(), e.c)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 1 || scans[0].Status != "needs_checking" {
		t.Fatalf("scans: %+v", scans)
	}
	id := scans[0].ResponseID
	err = e.svc.CorrectScanText(context.Background(), e.c, accounts.Actor{ClientIP: "test"}, id,
		"Q4a: Not at all\r\nQ4b: Too costly for small providers.")
	if err != nil {
		t.Fatal(err)
	}
	if e.answered("Q4a") != 1 || e.answered("Q4b") != 1 {
		t.Errorf("after correction Q4a %d Q4b %d, want 1 and 1", e.answered("Q4a"), e.answered("Q4b"))
	}
	scs, _ := e.svc.ResponseScans(context.Background(), e.c, id)
	if sc := scs[0]; sc.Status != "checked" {
		t.Errorf("scan after correction: %s", sc.Status)
	}
	var n int
	e.pool.QueryRow(context.Background(), `select count(*) from audit_log where action = 'letter_text_corrected' and record_id = $1`, fmt.Sprint(id)).Scan(&n) //nolint:errcheck
	if n != 1 {
		t.Errorf("%d audit entries", n)
	}
	// A second correction moves the counts again.
	if err := e.svc.CorrectScanText(context.Background(), e.c, accounts.Actor{ClientIP: "test"}, id, "We have no view on the questions."); err != nil {
		t.Fatal(err)
	}
	if e.answered("Q4a") != 0 || e.answered("Q4b") != 0 {
		t.Errorf("after second correction Q4a %d Q4b %d", e.answered("Q4a"), e.answered("Q4b"))
	}
}

// TestBadScans: each bad scan is a clear problem, nothing is stored, and
// the batch is recorded.
func TestBadScans(t *testing.T) {
	requireOCR(t)
	e := newEnv(t)
	pages := make([]*image.Gray, 200)
	for i := range pages {
		pages[i] = image.NewGray(image.Rect(0, 0, 20, 20))
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"locked.pdf", ocrtest.EncryptedPDF(ocrtest.Image("secret")), "password-protected"},
		{"bundle.pdf", ocrtest.PDF(pages...), "200 pages, more than the limit of 50"},
		{"broken.pdf", []byte("%PDF-1.4 nothing"), "not a readable PDF"},
		{"broken.png", []byte("\x89PNG\r\n\x1a\nnothing"), "not a readable PNG, JPEG or TIFF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := e.importFile(tt.name, tt.data, batchimport.Options{})
			if rep.Status != "rejected" || rep.BatchID == 0 || !strings.Contains(problems(rep), tt.want) {
				t.Errorf("%+v: %s", rep, problems(rep))
			}
		})
	}
	if e.total() != 0 {
		t.Errorf("total %d, want 0", e.total())
	}
	if _, err := e.svc.ImportPath(context.Background(), e.file("x.png", nil), "x.png", batchimport.Options{Consultation: e.c, Channel: "email"}); err == nil {
		t.Error("a scan through the email channel was accepted")
	}
}

// TestScanWithoutTesseract: without OCR installed the scan is kept, said
// to need typing up, and typing it up counts it. Not parallel: it
// empties PATH.
func TestScanWithoutTesseract(t *testing.T) {
	e := newEnv(t)
	t.Setenv("PATH", t.TempDir())
	rep := e.importFile("letter.png", ocrtest.PNG(ocrtest.Image("Q7: Typed later.")), batchimport.Options{})
	if rep.Status != "imported" || rep.Imported != 1 {
		t.Fatalf("import: %+v %s", rep, problems(rep))
	}
	scans, err := e.svc.Scans(context.Background(), e.c)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 1 || scans[0].Status != "needs_typing" {
		t.Fatalf("scans: %+v", scans)
	}
	scs, _ := e.svc.ResponseScans(context.Background(), e.c, scans[0].ResponseID)
	if sc := scs[0]; !strings.Contains(sc.Error, "Tesseract") {
		t.Errorf("the scan does not say why it was not read: %q", sc.Error)
	}
	if out, err := e.svc.ReadNextScan(context.Background(), nil); out != nil || err != nil {
		t.Errorf("a scan needing typing was read: %+v %v", out, err)
	}
	if list, err := e.svc.NeedsTyping(context.Background(), e.c); err != nil || len(list) != 1 {
		t.Errorf("before typing up, %d letters need typing up (%v)", len(list), err)
	}
	if err := e.svc.CorrectScanText(context.Background(), e.c, accounts.Actor{}, scans[0].ResponseID, "Q7: Typed later."); err != nil {
		t.Fatal(err)
	}
	// Typed up: no longer listed, and its warning is gone.
	if list, err := e.svc.NeedsTyping(context.Background(), e.c); err != nil || len(list) != 0 {
		t.Errorf("after typing up, %d letters still need typing up (%v)", len(list), err)
	}
	l, err := e.svc.Letter(context.Background(), e.c, scans[0].ResponseID)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(l.Warnings, batchimport.NoTextWarning) {
		t.Errorf("after typing up the letter still warns: %q", l.Warnings)
	}
	if e.answered("Q7") != 1 {
		t.Errorf("Q7 answered %d after typing up", e.answered("Q7"))
	}
}

// TestScannedAttachments: a letter scanned and attached to an email (a
// PNG to an .eml, an image-only PDF to an Outlook .msg) is read by OCR
// after the import and its text joins the email's.
func TestScannedAttachments(t *testing.T) {
	requireOCR(t)
	e := newEnv(t)
	png := ocrtest.PNG(ocrtest.Image("Q6b: Inequalities must be tackled."))
	eml := msg("From: Post Room <post@example.org>", "Subject: Scanned letter", "Date: Mon, 1 Feb 2021 10:00:00 +0000",
		"Message-ID: <scan-att@example.org>", "MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="b"`, "",
		"--b", "Content-Type: text/plain", "", "Q1b: Forwarding a letter we received.", "--b",
		"Content-Type: image/png", `Content-Disposition: attachment; filename="letter.png"`, "Content-Transfer-Encoding: base64", "",
		b64(string(png)), "--b--", "")
	rep := e.importFile("scan.eml", eml, batchimport.Options{})
	if rep.Imported != 1 || rep.Scans != 1 {
		t.Fatalf("eml: %+v %s", rep, problems(rep))
	}
	outlook := (&mt.Message{Props: []mt.Prop{
		mt.P(mt.PidSubject, "Scan"), mt.P(mt.PidSenderSMTP, "clerk@example.org"), mt.P(mt.PidInternetMsgID, "<scan-msg@example.org>"),
		mt.P(mt.PidBody, "See the attached letter."),
	}, Attachments: []mt.Attachment{{Props: []mt.Prop{mt.P(mt.PidAttachLongName, "post.pdf"),
		mt.P(mt.PidAttachData, ocrtest.PDF(ocrtest.Image("Q3b: Learn from every incident.")))}}}}).Bytes()
	rep = e.importFile("scan.msg", outlook, batchimport.Options{})
	if rep.Imported != 1 || rep.Scans != 1 {
		t.Fatalf("msg: %+v %s", rep, problems(rep))
	}
	if e.answered("Q1b") != 1 || e.answered("Q6b") != 0 || e.answered("Q3b") != 0 {
		t.Errorf("before OCR: Q1b %d Q6b %d Q3b %d", e.answered("Q1b"), e.answered("Q6b"), e.answered("Q3b"))
	}
	if n := e.readAll(); n != 2 {
		t.Errorf("read %d scans, want 2", n)
	}
	if e.answered("Q1b") != 1 || e.answered("Q6b") != 1 || e.answered("Q3b") != 1 {
		t.Errorf("after OCR: Q1b %d Q6b %d Q3b %d", e.answered("Q1b"), e.answered("Q6b"), e.answered("Q3b"))
	}
	var text string
	if err := e.pool.QueryRow(context.Background(), `SELECT full_text FROM response_sources WHERE message_id = 'scan-att@example.org'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "Q1b: Forwarding") || !strings.Contains(text, "[Attachment: letter.png (OCR)]") {
		t.Errorf("email text: %q", text)
	}
}
