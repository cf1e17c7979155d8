package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"heard/internal/dbtest"
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
