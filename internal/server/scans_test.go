package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
	if out, err := (&batchimport.Service{Pool: e.pool}).ReadNextScan(context.Background(), nil); err != nil || out == nil || out.Status != "needs_checking" {
		t.Fatalf("OCR: %+v %v", out, err)
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
	if res, _ := analyst.get(link + "/scan"); res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "letter.png") {
		t.Errorf("scan download = %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}

	q7 := func() int {
		_, csv := analyst.get("/consultations/cqc-2021/results.csv?channel=letter")
		n := 0
		for _, line := range strings.Split(csv, "\n") {
			if f := strings.Split(line, ","); f[0] == "Q7" {
				k, _ := strconv.Atoi(f[len(f)-1])
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
	if after := q7(); after != before+1 {
		t.Errorf("Q7 letter answers %d after the correction, want %d", after, before+1)
	}
	// A viewer may not correct letters.
	viewer := e.user("viewer@example.org", accounts.Viewer).noRedirects()
	if res, _ := viewer.post(action, url.Values{"text": {"x"}}); res.StatusCode != 403 {
		t.Errorf("viewer correction = %d", res.StatusCode)
	}
}
