package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"heard/internal/accounts"
	"heard/internal/fixture"
	"heard/internal/results"
)

// An analyst combines filters and search on an open question, and every
// answer listed links to its whole response; viewers get counts only.
func TestAnalystsFindAnswersAndOpenTheirResponse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	viewer := e.user("viewer@example.org", accounts.Viewer)
	addInspectionAnswers(t, e)
	list := "/consultations/cqc-2021/questions/Q1b?respondent=organisation&answer=Q1a:not-at-all&q=inspection"

	// What the list must hold, counted independently of the list query.
	var want int
	if err := e.pool.QueryRow(context.Background(), `
		SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id
		JOIN questions q ON q.id = a.question_id AND q.code = 'Q1b'
		WHERE r.on_behalf_of_org AND to_tsvector('english', a.text) @@ to_tsquery('english', 'inspection')
		  AND EXISTS (SELECT 1 FROM answers b JOIN questions bq ON bq.id = b.question_id AND bq.code = 'Q1a'
		              JOIN scale_options o ON o.id = b.option_id AND o.slug = 'not-at-all'
		              WHERE b.response_id = a.response_id)`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if want < 3 {
		t.Fatalf("only %d answers to find", want)
	}
	res, body := analyst.get(list)
	d := doc(t, body)
	if res.StatusCode != 200 {
		t.Fatalf("list = %d", res.StatusCode)
	}
	// Answers only: the page also quotes the demo's events' group notes,
	// which are not answers and link to no response.
	if n := d.Find(`.heard-quote:has(a[href*="/responses/"])`).Length(); n != min(want, 20) {
		t.Errorf("listed %d answers, want %d", n, min(want, 20))
	}
	if got := d.Find("#answers-showing").Text(); !strings.Contains(got, fmt.Sprintf("of %d answers", want)) {
		t.Errorf("showing line = %q, want the total %d", got, want)
	}
	d.Find(".heard-quote mark").Each(func(_ int, m *goquery.Selection) {
		if !strings.HasPrefix(strings.ToLower(m.Text()), "inspect") {
			t.Errorf("highlighted %q, which is not the word searched for", m.Text())
		}
	})
	if d.Find(".heard-quote mark").Length() == 0 {
		t.Error("no match is highlighted")
	}
	// The filter form keeps what was chosen.
	for _, sel := range []string{`input[name=answer][value="Q1a:not-at-all"][checked]`, `input[name=respondent][value=organisation][checked]`, `input[name=q][value=inspection]`} {
		if d.Find(sel).Length() != 1 {
			t.Errorf("the form does not keep %s", sel)
		}
	}
	href, ok := d.Find(`.heard-quote a[href*="/responses/"]`).First().Attr("href")
	if !ok {
		t.Fatal("the answer does not link to its response")
	}
	if !strings.Contains(href, "list=Q1b") || !strings.Contains(href, "at=1") || !strings.Contains(href, "q=inspection") {
		t.Errorf("the response link does not carry the list: %s", href)
	}
	res, body = analyst.get(href)
	rd := doc(t, body)
	main := rd.Find("main").Text()
	if res.StatusCode != 200 || !strings.Contains(main, "Not at all") || !strings.Contains(main, "On behalf of an organisation") || !strings.Contains(main, "Publication consent") {
		t.Errorf("response page = %d: %s", res.StatusCode, main)
	}
	if want > 1 {
		next, ok := rd.Find("a[rel=next]").Attr("href")
		if !ok || !strings.Contains(next, "at=2") {
			t.Errorf("no next response in the list: %q", next)
		}
	}
	back, _ := rd.Find(`a[href*="/questions/Q1b"]`).First().Attr("href")
	if !strings.Contains(back, "answer=Q1a%3Anot-at-all") {
		t.Errorf("the way back loses the filter: %q", back)
	}

	// Viewers: counts only, never an answer, a response or a name.
	_, body = viewer.get(list)
	if strings.Contains(body, "heard-quote") || strings.Contains(body, "/responses/") {
		t.Error("a viewer sees individual answers")
	}
	id := regexp.MustCompile(`/responses/(\d+)`).FindStringSubmatch(href)[1]
	for _, path := range []string{"/consultations/cqc-2021/responses/" + id, "/consultations/cqc-2021/letters", "/consultations/cqc-2021/themes/smarter-regulation/letters"} {
		if res, _ := viewer.noRedirects().get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer GET %s = %d, want 403", path, res.StatusCode)
		}
	}
}

// addInspectionAnswers adds fixture.InspectionAnswers to the demo.
func addInspectionAnswers(t *testing.T, e *env) {
	t.Helper()
	if err := fixture.InspectionAnswers(context.Background(), e.pool); err != nil {
		t.Fatal(err)
	}
}

func TestAnswerListPagesAndRejectsNonsense(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	_, body := analyst.get("/consultations/cqc-2021/questions/Q7?page=2")
	d := doc(t, body)
	if got := d.Find("#answers-showing").Text(); !strings.HasPrefix(got, "Showing 21–40 of ") {
		t.Errorf("page 2 says %q", got)
	}
	if d.Find(".govuk-pagination__item--current a[aria-current=page]").Text() != "2" {
		t.Error("page 2 is not marked current")
	}
	if d.Find("a[rel=prev]").Length() != 1 || d.Find("a[rel=next]").Length() != 1 {
		t.Error("page 2 lacks previous or next")
	}
	_, body = analyst.get("/consultations/cqc-2021/questions/Q7?sort=length")
	var lengths []int
	doc(t, body).Find(".heard-quote > p.govuk-body").Each(func(_ int, s *goquery.Selection) {
		lengths = append(lengths, len([]rune(strings.TrimSpace(s.Text()))))
	})
	for i := 1; i < len(lengths); i++ {
		if lengths[i] > lengths[i-1] {
			t.Errorf("longest first, but answer %d (%d) is longer than answer %d (%d)", i+1, lengths[i], i, lengths[i-1])
		}
	}
	for _, q := range []string{"page=0", "page=9999", "page=501", "sort=random", "answer=Q1a:hardly", "from=yesterday", "respondent=robot"} {
		if res, _ := analyst.get("/consultations/cqc-2021/questions/Q7?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400", q, res.StatusCode)
		}
	}
}

// The letters list, a letter's segments on its response page, a theme's
// passages, and an analyst setting who sent it (audited, counted).
func TestLettersListAndRespondentCorrection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	mail := "From: Pat Jones <pat@example.org>\r\nSubject: Our response\r\nDate: Wed, 3 Feb 2021 09:30:00 +0000\r\nMessage-ID: <pat@example.org>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nDear CQC,\r\n\r\nSmarter regulation\r\n\r\nWe welcome more use of data but worry about inspection visits.\r\n\r\nKind regards\r\n"
	res, _ := admin.upload("/admin"+importsPath, "pat.eml", []byte(mail), map[string]string{"group": "public"})
	admin.post(res.Request.URL.Path+"/confirm", nil)

	_, body := analyst.get("/consultations/cqc-2021")
	if !strings.Contains(body, `href="/consultations/cqc-2021/letters"`) {
		t.Error("the overview does not link to the letters")
	}
	// The list is oldest first and the demo has letters of its own: open
	// the page the new letter falls on.
	at := letterAt(t, e, "pat@example.org")
	_, body = analyst.get(fmt.Sprintf("/consultations/cqc-2021/letters?page=%d", (at-1)/results.LettersPerPage+1))
	d := doc(t, body)
	link, ok := d.Find(`a[href*="/responses/"]`).Eq((at - 1) % results.LettersPerPage).Attr("href")
	if !ok || !strings.Contains(d.Find("main").Text(), "Pat Jones") {
		t.Fatalf("the letters list lacks the letter: %s", d.Find("main").Text())
	}
	_, body = analyst.get(link)
	rd := doc(t, body)
	if seg := rd.Find("mark.heard-segment").Text(); !strings.Contains(seg, "We welcome more use of data") {
		t.Errorf("segments not highlighted: %q", seg)
	}
	if !strings.Contains(rd.Find(".heard-attribution").Text(), "theme Smarter regulation") {
		t.Errorf("a segment does not say what it is attributed to: %q", rd.Find(".heard-attribution").Text())
	}

	countProviders := func() string {
		_, csv := analyst.get("/consultations/cqc-2021/results.csv?channel=email&group=providers")
		for _, line := range strings.Split(csv, "\n") {
			if strings.HasPrefix(line, "Q2b,,providers,email,") {
				return line
			}
		}
		return ""
	}
	before := countProviders()
	action, _ := rd.Find(`form[action$="/respondent"]`).Attr("action")
	res, body = analyst.post(action, url.Values{"group": {"providers"}, "organisation": {"  Acme   Care  "}})
	if res.StatusCode != 200 || !strings.Contains(body, "On behalf of an organisation: Acme Care") || !strings.Contains(body, "saved") {
		t.Errorf("after setting the respondent: %d %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	if after := countProviders(); after == before {
		t.Errorf("the count of providers' Q2b email answers did not follow (%q)", after)
	}
	_, body = admin.get("/admin/audit?action=letter_respondent_set")
	if !strings.Contains(body, "analyst@example.org") {
		t.Error("the change is not audited")
	}
	if res, _ := analyst.post(action, url.Values{"group": {"martians"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown group = %d, want 400", res.StatusCode)
	}

	// The demo's letters mention inspection too: narrowed to the day the
	// letter was received, its passage is on the first page.
	_, body = analyst.get("/consultations/cqc-2021/themes/smarter-regulation/letters?q=inspections&from=2021-02-03&to=2021-02-03")
	td := doc(t, body)
	pat := td.Find(".heard-quote").FilterFunction(func(_ int, q *goquery.Selection) bool {
		return strings.Contains(q.Text(), "worry about inspection visits")
	})
	if pat.Length() != 1 || pat.Find("mark").Text() != "inspection" {
		t.Errorf("the theme's passages do not find the letter: %s", td.Find("main").Text())
	}
}

// letterAt is the place (from 1) of the letter from sender in the
// letters list.
func letterAt(t *testing.T, e *env, sender string) int {
	t.Helper()
	at, err := fixture.LetterAt(context.Background(), e.pool, sender)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
