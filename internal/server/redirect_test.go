package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"heard/internal/accounts"
)

// A destination after sign-in stays on this site, judged as a browser
// would read it: browsers drop tabs and newlines and treat a backslash
// as a slash, so "/\t/evil.example/" is "//evil.example/" to them.
func TestSignInNextStaysOnThisSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	signedIn := e.user("viewer@example.org", accounts.Viewer).noRedirects()
	cases := []struct{ next, want string }{
		{"/consultations/cqc-2021", "/consultations/cqc-2021"},
		{"/admin/audit?action=sign_in&page=2", "/admin/audit?action=sign_in&page=2"},
		{"//evil.example/", "/"},
		{"/\t/evil.example/", "/"},
		{"/\n/evil.example/", "/"},
		{"/\r/evil.example/", "/"},
		{"\t//evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"\\\\evil.example/", "/"},
		{"/a\\b", "/"},
		{"/\x00/evil.example/", "/"},
		{"/\x7f/evil.example/", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{" /evil", "/"},
		{"evil.example", "/"},
		{"/\xff", "/"},
		{"", "/"},
	}
	for _, c := range cases {
		res := roundTrip(t, signedIn, "GET", "/sign-in?next="+url.QueryEscape(c.next), nil)
		if !utf8.ValidString(c.next) || strings.ContainsRune(c.next, 0) {
			// Refused before sign-in looks at it (TestMalformedAddressesAreRefusedQuietly).
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("signed in, GET /sign-in?next=%q: %d, want 400", c.next, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.want {
			t.Errorf("signed in, GET /sign-in?next=%q: %d to %q, want %q", c.next, res.StatusCode, res.Header.Get("Location"), c.want)
		}
	}
	anon := e.anonymous().noRedirects()
	for _, c := range cases {
		res := roundTrip(t, e.anonymous(), "POST", "/sign-in", url.Values{"email": {"viewer@example.org"}, "password": {testPassword}, "next": {c.next}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.want {
			t.Errorf("POST /sign-in next=%q: %d to %q, want %q", c.next, res.StatusCode, res.Header.Get("Location"), c.want)
		}
	}

	// A page that needs sign-in carries its whole address, query and all,
	// through the sign-in form.
	res, _ := anon.get("/admin/audit?action=sign_in&page=2")
	if loc := res.Header.Get("Location"); loc != "/sign-in?next="+url.QueryEscape("/admin/audit?action=sign_in&page=2") {
		t.Errorf("anonymous /admin/audit?… sent to %q", loc)
	}
}

// roundTrip sends one request with c's cookies and returns the response
// as sent, without following or even parsing a redirect: Go's client
// refuses a Location with control characters, which a browser follows.
func roundTrip(t *testing.T, c *client, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}
