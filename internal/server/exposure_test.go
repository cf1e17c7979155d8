package server_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"heard/internal/accounts"
	"heard/internal/server"
)

// A consultation still in draft is being prepared: the public neither
// sees it listed nor reaches its form or results, even if its results
// were marked published. Signed-in staff still see it.
func TestDraftConsultationsAreNotPublic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.pool.Exec(context.Background(), `UPDATE consultations SET status = 'draft', results_published = true WHERE slug = 'cqc-2021'`); err != nil {
		t.Fatal(err)
	}
	anon := e.anonymous().noRedirects()
	if _, body := anon.get("/"); strings.Contains(body, "cqc-2021") {
		t.Error("the public list shows a draft consultation")
	}
	for _, p := range []string{
		"/consultations/cqc-2021/respond", "/consultations/cqc-2021/respond/check",
		"/consultations/cqc-2021/respond/confirmation", "/consultations/cqc-2021/respond/saved",
	} {
		if res, body := anon.get(p); res.StatusCode != http.StatusNotFound || strings.Contains(body, "CQC strategy") {
			t.Errorf("anonymous GET %s of a draft = %d, want 404 without its title", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/consultations/cqc-2021", "/consultations/cqc-2021/results.csv", "/consultations/cqc-2021/questions/Q1a"} {
		if res, _ := anon.get(p); res.StatusCode == http.StatusOK {
			t.Errorf("anonymous GET %s of a draft with published results = 200", p)
		}
	}
	viewer := e.user("viewer@example.org", accounts.Viewer)
	if _, body := viewer.get("/"); !strings.Contains(body, "cqc-2021") {
		t.Error("signed-in staff no longer see the draft in the list")
	}
	if res, _ := viewer.get("/consultations/cqc-2021"); res.StatusCode != http.StatusOK {
		t.Errorf("viewer overview of a draft = %d", res.StatusCode)
	}
}

// Behind a trusted proxy that terminated TLS, HSTS is sent; a client
// cannot ask for it when no proxy is trusted, nor over plain http.
func TestHSTSBehindATrustedProxy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	behind := server.New(slog.New(slog.DiscardHandler), e.pool, server.Options{InsecureCookies: true, TrustedProxies: 1})
	defer behind.Close()
	proxied := httptest.NewServer(behind.Routes())
	defer proxied.Close()
	hsts := func(base, proto string) string {
		req, _ := http.NewRequest("GET", base+"/healthz", nil)
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("Strict-Transport-Security")
	}
	if hsts(proxied.URL, "https") == "" {
		t.Error("no HSTS when the trusted proxy says https")
	}
	if h := hsts(proxied.URL, "http"); h != "" {
		t.Errorf("HSTS %q when the trusted proxy says http", h)
	}
	if h := hsts(e.srv.URL, "https"); h != "" {
		t.Errorf("HSTS %q from a client's own X-Forwarded-Proto with no trusted proxy", h)
	}
}

// A body that stops arriving is the client's slowness: 408, not 500.
func TestSlowRequestBodyIs408(t *testing.T) {
	t.Parallel()
	e, logs := newLoggedEnv(t, server.Options{})
	cookies := adminCookies(t, e)
	slow := httptest.NewUnstartedServer(e.app.Routes())
	slow.Config.ReadTimeout = 300 * time.Millisecond
	slow.Start()
	defer slow.Close()
	for _, tc := range []struct{ path, contentType string }{
		{"/sign-in", "application/x-www-form-urlencoded"},
		{"/consultations/cqc-2021/respond/about-you", "application/x-www-form-urlencoded"},
		{"/admin/consultations/cqc-2021/imports", "multipart/form-data; boundary=XX"},
	} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(slow.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte("POST " + tc.path + " HTTP/1.1\r\nHost: example\r\nContent-Type: " + tc.contentType + "\r\nCookie: " + strings.Join(cookies, "; ") + "\r\nContent-Length: 1000\r\n\r\nemail=a")) //nolint:errcheck
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))                                                                                                                                              //nolint:errcheck
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Errorf("POST %s with a stalled body: %v", tc.path, err)
		} else if res.StatusCode != http.StatusRequestTimeout {
			t.Errorf("POST %s with a stalled body = %d, want 408", tc.path, res.StatusCode)
		}
		conn.Close()
	}
	if l := logs.String(); l != "" {
		t.Errorf("a slow client was logged as an error:\n%s", l)
	}
}

// adminCookies signs in an admin and returns their cookies, for requests
// written by hand on a raw connection.
func adminCookies(t *testing.T, e *env) []string {
	t.Helper()
	admin := e.user("admin@example.org", accounts.Admin)
	var cookies []string
	for _, c := range admin.http.Jar.Cookies(mustURL(t, e.srv.URL)) {
		cookies = append(cookies, c.String())
	}
	return cookies
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// An upload that keeps arriving is not cut off by the server's
// ReadTimeout or WriteTimeout, which run from the start of the request:
// over a slow link a large file takes longer than either. The body here
// arrives over 1.5 s against a ReadTimeout of 300 ms and a WriteTimeout
// of 600 ms, and the upload is stored and previewed.
func TestSlowButSteadyUploadArrives(t *testing.T) {
	t.Parallel()
	e, logs := newLoggedEnv(t, server.Options{})
	cookies := adminCookies(t, e)
	slow := httptest.NewUnstartedServer(e.app.Routes())
	slow.Config.ReadTimeout = 300 * time.Millisecond
	slow.Config.WriteTimeout = 600 * time.Millisecond
	slow.Start()
	defer slow.Close()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "slow.csv")
	fw.Write([]byte("reference,channel,Q1a,Q7\n")) //nolint:errcheck // bytes.Buffer
	for i := range 200 {
		fmt.Fprintf(fw, "SLOW-%d,letter,Fully,A letter typed up by hand.\n", i)
	}
	mw.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(slow.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /admin/consultations/cqc-2021/imports HTTP/1.1\r\nHost: example\r\nContent-Type: %s\r\nCookie: %s\r\nContent-Length: %d\r\n\r\n", mw.FormDataContentType(), strings.Join(cookies, "; "), body.Len())
	data := body.Bytes()
	const pieces = 10
	for i := range pieces {
		time.Sleep(150 * time.Millisecond)
		if _, err := conn.Write(data[i*len(data)/pieces : (i+1)*len(data)/pieces]); err != nil {
			t.Fatalf("the server stopped reading after %d of %d pieces: %v", i, pieces, err)
		}
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second)) //nolint:errcheck
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a slow upload: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/imports/uploads/") {
		t.Fatalf("slow upload = %d (Location %q), want 303 to its preview\n%s", res.StatusCode, res.Header.Get("Location"), logs)
	}
}
