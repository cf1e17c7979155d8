package server_test

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"heard/internal/accounts"
)

// csvCounts sums results.csv's count column by the given key columns.
func csvCounts(t *testing.T, body string, key func(rec []string) string) map[string]int {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("results.csv does not parse: %v", err)
	}
	if got := strings.Join(recs[0], ","); got != "question,option,respondent_group,channel,count,suppressed" {
		t.Fatalf("results.csv header = %q", got)
	}
	out := map[string]int{}
	for _, r := range recs[1:] {
		if r[5] != "false" {
			t.Fatalf("results.csv row %v: an analyst's rows are never suppressed", r)
		}
		n, err := strconv.Atoi(r[4])
		if err != nil || n <= 0 {
			t.Fatalf("results.csv row %v: count must be a positive integer", r)
		}
		out[key(r)] += n
	}
	return out
}

// The published figures, read back from results.csv over HTTP by an
// analyst (exact counts; viewers see small numbers withheld).
func TestResultsCSVReproducesPublishedFigures(t *testing.T) {
	t.Parallel()
	c := newEnv(t).user("analyst@example.org", accounts.Analyst)
	res, body := c.get("/consultations/cqc-2021/results.csv")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("results.csv: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	byQuestion := csvCounts(t, body, func(r []string) string { return r[0] })
	byOption := csvCounts(t, body, func(r []string) string { return r[0] + "/" + r[1] })
	want := map[string]int{"Q1a": 618, "Q1b": 653, "Q2a": 608, "Q2b": 627, "Q3a": 610, "Q3b": 586,
		"Q4a": 603, "Q4b": 548, "Q5a": 608, "Q5b": 499, "Q6a": 606, "Q6b": 577, "Q7": 381}
	for q, n := range want {
		if byQuestion[q] != n {
			t.Errorf("%s answered = %d, want %d", q, byQuestion[q], n)
		}
	}
	for q, w := range map[string][2]int{"Q1a": {496, 21}, "Q2a": {471, 30}, "Q3a": {508, 23}, "Q4a": {473, 28}, "Q5a": {500, 34}, "Q6a": {306, 65}} {
		if fm := byOption[q+"/fully"] + byOption[q+"/mostly"]; fm != w[0] {
			t.Errorf("%s fully or mostly = %d, want %d", q, fm, w[0])
		}
		if na := byOption[q+"/not-at-all"]; na != w[1] {
			t.Errorf("%s not at all = %d, want %d", q, na, w[1])
		}
	}
	if dk := byOption["Q6a/dont-know"]; dk != 61 {
		t.Errorf("Q6a don't know = %d, want 61", dk)
	}

	// Filters narrow the same counts: the channels' Q1b answers add up
	// to the total.
	sum := 0
	for _, ch := range []string{"webform", "email", "letter", "event"} {
		_, body := c.get("/consultations/cqc-2021/results.csv?channel=" + ch)
		for k, n := range csvCounts(t, body, func(r []string) string {
			if r[3] != ch {
				t.Fatalf("channel=%s returned a %s row", ch, r[3])
			}
			return r[0]
		}) {
			if k == "Q1b" {
				sum += n
			}
		}
	}
	if sum != 653 {
		t.Errorf("Q1b across channel filters = %d, want 653", sum)
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	c := newEnv(t).user("analyst@example.org", accounts.Analyst)
	page := func(path string, status int) *goquery.Document {
		t.Helper()
		res, body := c.get(path)
		if res.StatusCode != status {
			t.Fatalf("GET %s = %d, want %d", path, res.StatusCode, status)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}

	home := page("/", 200)
	if href, _ := home.Find("main a[href='/consultations/cqc-2021']").Attr("href"); href == "" {
		t.Error("home page does not link to the CQC 2021 consultation")
	}

	ov := page("/consultations/cqc-2021", 200)
	text := ov.Find("main").Text()
	for _, want := range []string{"790", "213", "27%", "398", "50%", "611", "618 answered; 496 fully or mostly (80%)", "rounded half up", "all channels and all respondent groups"} {
		if !strings.Contains(text, want) {
			t.Errorf("overview lacks %q", want)
		}
	}

	if ov.Find(`a[href="/consultations/cqc-2021/export/responses.csv"]`).Length() != 1 {
		t.Error("analysts get no export link on the overview")
	}

	q3 := page("/consultations/cqc-2021/questions/Q3a", 200)
	text = q3.Find("main").Text()
	for _, want := range []string{"610", "508 fully or mostly (83%)", "did not answer", "webform, engagement events"} {
		if !strings.Contains(text, want) {
			t.Errorf("Q3a page lacks %q", want)
		}
	}
	// The page also carries the breakdowns' stacked charts and tables, so
	// the answers' chart and its table are picked out by their names.
	chart := q3.Find(`svg.heard-chart[role=img][aria-labelledby="chart-Q3a-title"]`)
	if chart.Length() != 1 || chart.Find("title#chart-Q3a-title").Length() != 1 || chart.Find("rect").Length() != 5 {
		t.Error("Q3a page lacks an accessible bar chart with a bar per option")
	}
	figures := q3.Find("table caption").FilterFunction(func(_ int, c *goquery.Selection) bool {
		return strings.TrimSpace(c.Text()) == "Answers to Q3a"
	}).Closest("table")
	// A row per option (the chart's bars) and the total.
	if figures.Length() != 1 || figures.Find("tbody tr").Length() != 6 || !strings.Contains(figures.Text(), "610") {
		t.Error("Q3a page lacks the table of the chart's figures")
	}

	// Filtered: only events, only the public.
	f := page("/consultations/cqc-2021/questions/Q1a?channel=event&group=public", 200)
	text = f.Find("main").Text()
	if !strings.Contains(text, "channel engagement events and respondent group People who use services") {
		t.Errorf("filtered page does not say what it covers: %q", f.Find(".govuk-inset-text").Text())
	}
	if f.Find("input[name=channel][value=event][checked]").Length() != 1 {
		t.Error("filter form does not keep the chosen channel checked")
	}

	// Open question: paginated answers, next page continues.
	o := page("/consultations/cqc-2021/questions/Q7", 200)
	if n := o.Find(".heard-quote").Length(); n != 20 {
		t.Errorf("Q7 first page shows %d answers, want 20", n)
	}
	next, ok := o.Find("a[rel=next]").Attr("href")
	if !ok {
		t.Fatal("Q7 has no next page link")
	}
	o2 := page(next, 200)
	if o2.Find(".heard-quote").First().Text() == o.Find(".heard-quote").First().Text() {
		t.Error("next page repeats the first page")
	}

	page("/consultations/nope", 404)
	page("/consultations/cqc-2021/questions/Q99", 404)
	page("/consultations/cqc-2021?group=martians", 400)
	page("/consultations/cqc-2021/questions/Q7?page=banana", 400)
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	c := newEnv(t).anonymous()
	res, _ := c.get("/")
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("missing X-Content-Type-Options")
	}
	res, _ = c.get("/static/govuk-frontend.min.css")
	if res.StatusCode != 200 {
		t.Errorf("GOV.UK Frontend CSS: %d", res.StatusCode)
	}
}
