package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"heard/internal/accounts"
	"heard/internal/server"
)

// A whole response through HTTP: it is counted in results.csv at once,
// with its group and equality answers, and sending twice stores it once.
func TestWebformResponseIsCountedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	viewer := e.viewer()
	before := e.webformCounts(viewer)
	c := e.anonymous()

	res, body := c.get(respond)
	if res.StatusCode != 200 || !strings.Contains(body, "Start now") || !strings.Contains(body, "It takes around 30 minutes") {
		t.Fatalf("start page: %d", res.StatusCode)
	}
	c.fillForm()
	_, body = c.get(respond + "/check")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if n := doc.Find(".govuk-summary-card").Length(); n != 10 {
		t.Errorf("check your answers has %d sections, want 10", n)
	}
	if href, _ := doc.Find(`a[href*="/about-you?return=check#organisation"]`).Attr("href"); href == "" {
		t.Error("no change link to the organisation's name")
	}
	for _, want := range []string{"Older People&#39;s Forum (test)", "75 or over", "Not answered", "Especially carers"} {
		if !strings.Contains(body, want) {
			t.Errorf("check your answers lacks %q", want)
		}
	}

	ref := c.submit(nil)
	// A double click, a retry and a refresh of the confirmation: one response.
	if again := c.submit(nil); again != ref {
		t.Errorf("second submit gave %s, want %s", again, ref)
	}
	if res, body := c.get(respond + "/confirmation"); res.StatusCode != 200 || !strings.Contains(body, ref) || !strings.Contains(body, "Especially carers") {
		t.Errorf("confirmation on refresh: %d", res.StatusCode)
	}
	if n := e.responsesFor(t, ref); n != 1 {
		t.Fatalf("%d responses with reference %s", n, ref)
	}
	after := e.webformCounts(viewer)
	for k, d := range map[string]int{"Q1a/fully": 1, "Q1b/": 1, "Q2a/mostly": 1, "Q4a/fully": 0, "Q5a/not-at-all": 1, "Q7/": 1,
		"age-band/75-plus": 1, "unpaid-carer/yes": 1, "religion/prefer-not-to-say": 1, "sex/female": 0} {
		if after[k]-before[k] != d {
			t.Errorf("results.csv %s went from %d to %d, want +%d", k, before[k], after[k], d)
		}
	}
	_, csvBody := viewer.get("/consultations/cqc-2021/results.csv?channel=webform&group=public")
	if !strings.Contains(csvBody, "age-band,75-plus,public,webform,1") {
		t.Error("the response is not counted under its group")
	}
	// The start page now says a response was sent, with its reference.
	if _, body := c.get(respond); !strings.Contains(body, ref) || !strings.Contains(body, "Send another response") {
		t.Error("start page after sending lacks the reference")
	}
	// Another response from the same browser starts a new draft.
	c.post(respond+"/new", nil)
	c.fillForm()
	if ref2 := c.submit(nil); ref2 == ref {
		t.Error("a second response reused the first one's reference")
	}
}

// In production the draft cookie is __Host-, Secure, HttpOnly, Lax, 30 days.
func TestWebformCookieAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	secure := server.New(slog.New(slog.DiscardHandler), e.pool, server.Options{})
	defer secure.Close()
	srv := httptest.NewTLSServer(secure.Routes())
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.PostForm(srv.URL+respond+"/people-and-communities", url.Values{"q-Q1a": {"fully"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := res.Header.Get("Set-Cookie")
	for _, want := range []string{"__Host-heard_respond_cqc-2021=", "Path=/", "Max-Age=2592000", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("draft cookie %q lacks %s", cookie, want)
		}
	}
}

// Leaving and coming back resumes where the respondent was.
func TestWebformSaveAndComeBackLater(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	c := e.anonymous()
	c.post(respond+"/people-and-communities", url.Values{"q-Q1a": {"partially"}, "q-Q1b": {"\nStarts with a blank line."}})
	res, body := c.post(respond+"/smarter-regulation", url.Values{"q-Q2a": {"fully"}, "action": {"later"}})
	if res.Request.URL.Path != respond+"/saved" || !strings.Contains(body, "Your answers have been saved") {
		t.Fatalf("save and come back later: %s", res.Request.URL.Path)
	}
	_, body = c.get(respond)
	if !strings.Contains(body, "Continue your response") || !strings.Contains(body, `href="`+respond+`/safety-through-learning"`) {
		t.Error("the start page does not offer to continue at the next page")
	}
	_, body = c.get(respond + "/people-and-communities")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if _, checked := doc.Find(`input[name="q-Q1a"][value="partially"]`).Attr("checked"); !checked {
		t.Error("the saved choice is not selected")
	}
	if got := doc.Find("textarea#q-Q1b").Text(); got != "\nStarts with a blank line." {
		t.Errorf("the saved text comes back as %q", got)
	}
	// Another browser sees an empty form.
	_, body = e.anonymous().get(respond + "/people-and-communities")
	if strings.Contains(body, "blank line") {
		t.Error("another browser sees this draft")
	}
}

// Analysts see, beside each webform answer, whether the respondent agreed
// to publication, and the export carries it.
func TestWebformConsentShownToAnalysts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	c := e.anonymous()
	c.fillForm() // says yes to publication
	ref := c.submit(nil)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM responses WHERE source_ref = $1`, ref).Scan(&id); err != nil {
		t.Fatal(err)
	}
	_, body := analyst.get(fmt.Sprintf("/consultations/cqc-2021/responses/%d", id))
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if page := doc.Find("main").Text(); !strings.Contains(page, "More on digital exclusion") || !strings.Contains(page, "may be published and quoted") {
		t.Errorf("the response's consent is not shown: %q", page)
	}
	_, export := analyst.get("/consultations/cqc-2021/export/responses.json")
	if !strings.Contains(export, `"source_ref":"`+ref+`"`) || !strings.Contains(export, `"publication_consent":"yes"`) {
		t.Error("the export lacks the publication consent")
	}
}
