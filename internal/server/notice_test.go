package server_test

import (
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// The green banner says only what Heard itself did: words in the address
// (?done=…) never appear, and a real notice shows once, after the action.
func TestBannersComeFromTheServerNotTheAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	res, body := admin.post("/consultations/cqc-2021/events", url.Values{
		"name": {"Town hall"}, "day": {"3"}, "month": {"2"}, "year": {"2021"}, "format": {"drop-in"},
		"where": {"in-person"}, "place": {"Leeds"}, "attendees": {"12"}, "groups": {"public"},
	})
	if !strings.Contains(body, "Event recorded") {
		t.Fatalf("creating an event: %d at %s: %s", res.StatusCode, res.Request.URL, doc(t, body).Find("main").Text())
	}
	eventPath := res.Request.URL.Path
	if res.Request.URL.RawQuery != "" {
		t.Errorf("the notice travelled in the address: %s", res.Request.URL)
	}
	if _, body := admin.get(eventPath); strings.Contains(body, "Event recorded") {
		t.Error("the notice shows again on reload")
	}

	mail := "From: Ann <ann@example.org>\r\nSubject: My view\r\nDate: Wed, 3 Feb 2021 09:30:00 +0000\r\nMessage-ID: <ann@example.org>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nSmarter regulation\r\n\r\nMore data, please.\r\n"
	res, _ = admin.upload("/admin"+importsPath, "ann.eml", []byte(mail), map[string]string{"group": "public"})
	_, body = admin.post(res.Request.URL.Path+"/confirm", nil)
	letter, ok := doc(t, body).Find(`a[href*="/letters/"]`).Attr("href")
	if !ok {
		t.Fatal("the batch page does not link to the letter")
	}
	_, body = admin.get(letter)
	action, _ := doc(t, body).Find(`form[action*="/segments/"]`).First().Attr("action")
	res, body = admin.post(action, url.Values{"target": {"general"}})
	if !strings.Contains(body, "Attribution saved") || res.Request.URL.RawQuery != "" {
		t.Errorf("correcting a segment: %d at %s", res.StatusCode, res.Request.URL)
	}

	const planted = "Your account is suspended, call 0900 123 456"
	for _, p := range []string{
		"/admin/users", "/admin/consultations", "/consultations/cqc-2021/events", eventPath,
		letter, "/admin/consultations/cqc-2021", "/admin/consultations/cqc-2021/publish",
	} {
		res, body := admin.get(p + "?done=" + url.QueryEscape(planted))
		if res.StatusCode != 200 {
			t.Errorf("GET %s = %d", p, res.StatusCode)
		}
		if strings.Contains(body, "0900 123 456") {
			t.Errorf("%s shows text from the address in its banner", p)
		}
	}
}
