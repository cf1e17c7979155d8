package server_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/ocr"
	"heard/internal/ocr/ocrtest"
)

// An admin uploads a scanned letter; once OCR has read it, it is listed
// as needing checking, and an analyst checks it beside its scan,
// corrects it, and the counts follow.
func TestCheckScannedLetter(t *testing.T) {
	t.Parallel()
	ocrtest.Require(t, ocr.Available())
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	img := ocrtest.Image("Q7: The impact assessment", "misses carers entirely.")
	ocrtest.Noise(img, 0.3)
	res, body := admin.upload("/admin"+importsPath, "letter.png", ocrtest.PNG(img), map[string]string{"channel": "letter"})
	if res.StatusCode != 200 || !strings.Contains(body, "letter.png") {
		t.Fatalf("upload = %d: %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	res, body = admin.post(res.Request.URL.Path+"/confirm", nil)
	if res.StatusCode != 200 {
		t.Fatalf("confirm = %d", res.StatusCode)
	}
	// Before OCR the scan has no text: it is listed for typing up, its
	// link named by its file, as it has no sender.
	untyped := func() *goquery.Selection {
		_, body := analyst.get("/consultations/cqc-2021/letters/untyped")
		return doc(t, body).Find(`main table a[href*="/letters/"]`)
	}
	if a := untyped(); a.Length() != 1 || strings.TrimSpace(a.Text()) != "letter.png" {
		t.Errorf("before OCR the letters to type up are %d, link text %q", a.Length(), a.Text())
	}
	out, err := (&batchimport.Service{Pool: e.pool}).ReadNextScan(context.Background(), nil)
	if err != nil || out == nil || out.Status != "needs_checking" {
		t.Fatalf("OCR: %+v %v", out, err)
	}
	// Text read by OCR means the letter no longer needs typing up; the
	// noisy scan may give OCR no words at all, and then it still does.
	var read bool
	if err := e.pool.QueryRow(context.Background(), `SELECT full_text <> '' FROM response_sources WHERE response_id = $1`, out.ResponseID).Scan(&read); err != nil {
		t.Fatal(err)
	}
	if a := untyped(); (a.Length() == 0) != read {
		t.Errorf("after OCR (text read: %v) %d letters are listed for typing up", read, a.Length())
	}

	_, body = admin.get("/admin" + importsPath)
	d := doc(t, body)
	link, ok := d.Find(`a[href*="/letters/"]`).Attr("href")
	if !ok || !strings.Contains(d.Find("main").Text(), "Needs checking") {
		t.Fatalf("imports page does not list the scan to check: %s", d.Find("main").Text())
	}
	res, body = analyst.get(link)
	d = doc(t, body)
	src, _ := d.Find(`figure.heard-scan-page img`).Attr("src")
	if res.StatusCode != 200 || src == "" || d.Find(`textarea#scan-text`).Length() != 1 || !strings.Contains(d.Find("main").Text(), "Needs checking") {
		t.Fatalf("letter page = %d: %s", res.StatusCode, d.Find("main").Text())
	}
	res, png := analyst.get(src)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("page image = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	dl, _ := d.Find(`a[href*="/scans/"]`).First().Attr("href")
	if res, _ := analyst.get(dl); res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "letter.png") {
		t.Errorf("scan download = %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}

	q7 := func() int {
		_, csv := analyst.get("/consultations/cqc-2021/results.csv?channel=letter")
		// The count column by its name: results.csv has gained columns
		// after it (suppressed).
		lines := strings.Split(csv, "\n")
		col := slices.Index(strings.Split(lines[0], ","), "count")
		if col < 0 {
			t.Fatalf("results.csv has no count column: %q", lines[0])
		}
		n := 0
		for _, line := range lines[1:] {
			if f := strings.Split(line, ","); f[0] == "Q7" && len(f) > col {
				k, _ := strconv.Atoi(f[col])
				n += k
			}
		}
		return n
	}
	before := q7()
	action, _ := d.Find(`form textarea#scan-text`).Closest("form").Attr("action")
	res, body = analyst.post(action, url.Values{"text": {"Q7: The impact assessment misses carers entirely."}})
	if res.StatusCode != 200 || !strings.Contains(body, "Text saved") || !strings.Contains(doc(t, body).Find("main").Text(), "Checked") {
		t.Fatalf("correction = %d: %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	// Typed by an analyst: no longer listed, nor marked, as needing typing up.
	if strings.Contains(body, batchimport.NoTextWarning) {
		t.Error("the corrected letter still says " + batchimport.NoTextWarning)
	}
	if a := untyped(); a.Length() != 0 {
		t.Errorf("after the correction %d letters are still listed for typing up", a.Length())
	}
	if after := q7(); after != before+1 {
		t.Errorf("Q7 letter answers %d after the correction, want %d", after, before+1)
	}
	// A viewer may not correct letters.
	viewer := e.user("viewer@example.org", accounts.Viewer).noRedirects()
	if res, _ := viewer.post(action, url.Values{"text": {"x"}}); res.StatusCode != 403 {
		t.Errorf("viewer correction = %d", res.StatusCode)
	}
}
