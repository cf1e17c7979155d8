package server_test

import (
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"heard/internal/accounts"
	"heard/internal/imaptest"
	"heard/internal/mailbox"
	"heard/internal/server"
)

// An admin connects a test mailbox on a real Dovecot in the browser,
// fetches it, and sees the new emails arrive as responses on the
// imports page, with what was skipped and refused.
func TestConnectMailboxInBrowser(t *testing.T) {
	t.Parallel()
	srv := imaptest.Start(t)
	e := newEnv(t)
	key, _ := mailbox.ParseKey(strings.Repeat("x", 32))
	app := server.New(slog.New(slog.DiscardHandler), e.pool, server.Options{InsecureCookies: true, SecretKey: key})
	hs := httptest.NewServer(app.Routes())
	defer hs.Close()
	e.srv, e.app = hs, app
	admin := e.user("admin@example.org", accounts.Admin)

	srv.Deliver(t, "",
		[]byte("From: A <a@example.org>\r\nMessage-ID: <web-1@example.org>\r\nSubject: Views\r\nDate: Mon, 1 Feb 2021 10:00:00 +0000\r\n\r\nQ1b: People first.\r\n"),
		[]byte("From: B <b@example.org>\r\nMessage-ID: <web-1@example.org>\r\nSubject: Same ID\r\nDate: Mon, 1 Feb 2021 10:05:00 +0000\r\n\r\nQ2b: Another text.\r\n"))
	page := "/admin/consultations/cqc-2021/mailbox"
	form := url.Values{"host": {"127.0.0.1"}, "port": {strconv.Itoa(srv.Port)}, "security": {"none"}, "user": {srv.User}, "password": {"wrong"}, "folder": {"INBOX"}}
	res, body := admin.post(page, form)
	d := doc(t, body)
	if res.StatusCode != 400 || !strings.Contains(d.Find(".govuk-error-summary").Text(), "refused this user name and password") {
		t.Fatalf("wrong password = %d: %s", res.StatusCode, d.Find("main").Text())
	}
	if strings.Contains(body, `value="wrong"`) {
		t.Error("the password is shown back")
	}
	form.Set("password", srv.Password)
	// A folder the server does not have, and a port nothing listens on:
	// each problem is linked to the field to correct (typed errors, not
	// the error's text, say which).
	for _, c := range []struct{ field, value, href, says string }{
		{"folder", "No such folder", "#folder", `Cannot open folder "No such folder"`},
		{"port", "1", "#host", "Cannot connect to 127.0.0.1:1"},
	} {
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set(c.field, c.value)
		res, body = admin.post(page, bad)
		summary := doc(t, body).Find(".govuk-error-summary")
		if href, _ := summary.Find("a").Attr("href"); res.StatusCode != 400 || href != c.href || !strings.Contains(summary.Text(), c.says) {
			t.Errorf("%s %q = %d, error links to %q: %s", c.field, c.value, res.StatusCode, href, summary.Text())
		}
	}
	res, body = admin.post(page, form)
	if res.StatusCode != 200 || !strings.Contains(body, "Mailbox connected") {
		t.Fatalf("connect = %d: %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	before := total(t, e)
	res, body = admin.post(page+"/fetch", nil)
	if !strings.Contains(body, "Fetched 2: 1 imported, 1 already stored, 0 refused") {
		t.Fatalf("fetch now = %d: %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	if n := total(t, e); n != before+1 {
		t.Errorf("%d responses after the fetch, want %d", n, before+1)
	}
	_, body = admin.get("/admin" + importsPath)
	main := doc(t, body).Find("main").Text()
	for _, want := range []string{"consultation on 127.0.0.1", "Skipped as already stored", "duplicate", "web-1@example.org", "mailbox INBOX UIDs 1-2.zip"} {
		if !strings.Contains(main, want) {
			t.Errorf("imports page lacks %q", want)
		}
	}
	res, body = admin.post(page+"/disconnect", nil)
	if !strings.Contains(body, "Mailbox disconnected") || strings.Contains(doc(t, body).Find("main").Text(), "Fetch now") {
		t.Errorf("disconnect = %d", res.StatusCode)
	}
}
