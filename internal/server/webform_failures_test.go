package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestWebformValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	c := e.anonymous()

	// One character over the limit: the page comes back with the error
	// summary, the inline message and the text; the text is saved too.
	long := strings.Repeat("x", 20_001)
	res, body := c.post(respond+"/people-and-communities", url.Values{"q-Q1b": {long}})
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(doc.Find("title").Text(), "Error: People and communities") {
		t.Errorf("over the limit: %d, title %q", res.StatusCode, doc.Find("title").Text())
	}
	const msg = "Your answer must be 20,000 characters or fewer. It is 20,001 characters now"
	if href, _ := doc.Find(".govuk-error-summary a").Attr("href"); href != "#q-Q1b" || !strings.Contains(doc.Find(".govuk-error-summary").Text(), msg) {
		t.Errorf("error summary links to %q: %q", href, doc.Find(".govuk-error-summary").Text())
	}
	if !strings.Contains(doc.Find("#q-Q1b-error").Text(), msg) || doc.Find("textarea#q-Q1b").Text() != long {
		t.Error("the inline message or the typed text is missing")
	}
	if d, _ := doc.Find("textarea#q-Q1b").Attr("aria-describedby"); !strings.Contains(d, "q-Q1b-error") {
		t.Errorf("textarea aria-describedby = %q", d)
	}
	if _, body := c.get(respond + "/people-and-communities"); !strings.Contains(body, long) {
		t.Error("the over-long text was not saved")
	}
	// At the limit, in three-byte characters (about 180 KB form-encoded): accepted.
	res, _ = c.post(respond+"/people-and-communities", url.Values{"q-Q1b": {strings.Repeat("€", 20_000)}})
	if res.Request.URL.Path != respond+"/smarter-regulation" {
		t.Errorf("20,000 characters: %d at %s", res.StatusCode, res.Request.URL.Path)
	}
	// A body over 1 MiB is refused before it is read.
	res, _ = c.post(respond+"/people-and-communities", url.Values{"q-Q1b": {strings.Repeat("x", 1<<20)}})
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 1 MiB answer = %d, want 413", res.StatusCode)
	}

	// An organisation without its name; consent left unanswered.
	res, body = c.post(respond+"/about-you", url.Values{"respondent-type": {"organisation"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter the name of your organisation") || !strings.Contains(body, `href="#organisation"`) {
		t.Errorf("organisation without a name: %d", res.StatusCode)
	}
	res, body = c.post(respond+"/publishing", url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Select whether we may publish your response") || !strings.Contains(body, `href="#consent"`) {
		t.Errorf("no consent: %d", res.StatusCode)
	}
	// Sending with problems left: check your answers, linking to them.
	res, body = c.post(respond+"/submit", nil)
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(doc.Find("title").Text(), "Error: Check your answers") {
		t.Errorf("submit with problems: %d %q", res.StatusCode, doc.Find("title").Text())
	}
	var links []string
	doc.Find(".govuk-error-summary a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
	if strings.Join(links, " ") != respond+"/about-you?return=check#organisation "+respond+"/publishing?return=check#consent" {
		t.Errorf("error summary links: %v", links)
	}
	// Fixing a problem from there returns to check your answers.
	res, _ = c.post(respond+"/publishing", url.Values{"consent": {"no"}, "return": {"check"}})
	if res.Request.URL.Path != respond+"/check" {
		t.Errorf("after a change: at %s, want check", res.Request.URL.Path)
	}
}

func TestWebformClosedAndNotYetOpen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.anonymous()
	// The demo consultation is closed: 7 January to 4 March 2021.
	for _, path := range []string{respond, respond + "/people-and-communities", respond + "/check"} {
		res, body := c.get(path)
		if res.StatusCode != 200 || !strings.Contains(body, "This consultation has closed") || !strings.Contains(body, "7 January 2021") || !strings.Contains(body, "4 March 2021") {
			t.Errorf("GET %s when closed: %d", path, res.StatusCode)
		}
	}
	if res, body := c.post(respond+"/people-and-communities", url.Values{"q-Q1a": {"fully"}}); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "has closed") {
		t.Errorf("saving a page when closed: %d", res.StatusCode)
	}
	e.setForm("open", 3, 30)
	if _, body := c.get(respond); !strings.Contains(body, "This consultation is not open yet") || !strings.Contains(body, "It opens on") {
		t.Error("a consultation opening in 3 days does not say so")
	}

	// A response sent after the close is refused, with the answers shown.
	e.setForm("open", -7, 30)
	viewer := e.viewer()
	before := e.webformCounts(viewer)["Q1b/"]
	c.fillForm()
	e.setForm("open", -30, -1)
	res, body := c.post(respond+"/submit", nil)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Your response was not sent") || !strings.Contains(body, "Especially carers") {
		t.Errorf("submit after close: %d\n%s", res.StatusCode, body)
	}
	if after := e.webformCounts(viewer)["Q1b/"]; after != before {
		t.Errorf("a late response was counted: %d → %d", before, after)
	}
}

// A filled-in honeypot looks like success to the bot but stores nothing.
func TestWebformHoneypot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	for _, onPage := range []bool{true, false} {
		c := e.anonymous()
		c.fillForm()
		if onPage {
			c.post(respond+"/equality-impact", url.Values{"q-Q7": {"Buy cheap watches"}, "website": {"http://spam.example"}})
			c.post(respond+"/publishing", url.Values{"consent": {"yes"}})
		}
		form := url.Values{}
		if !onPage {
			form.Set("website", "http://spam.example")
		}
		ref := c.submit(form)
		if n := e.responsesFor(t, ref); n != 0 {
			t.Errorf("honeypot on page %v: %d responses stored", onPage, n)
		}
	}
}

// Submits are limited per client address; the page says so.
func TestWebformSubmitRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -7, 30)
	c := e.anonymous().noRedirects()
	for i := range 11 {
		res, body := c.post(respond+"/submit", nil)
		if i < 10 && res.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("submit %d was limited", i+1)
		}
		if i == 10 && (res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Your answers saved so far are kept")) {
			t.Errorf("the 11th submit in a minute: %d", res.StatusCode)
		}
	}
}
