package server_test

import (
	"context"
	"net/url"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/demo"
)

const respond = "/consultations/cqc-2021/respond"

// setForm reloads the CQC 2021 consultation (with its 790 demo
// responses) with status and dates relative to today in London.
func (e *env) setForm(status string, opensIn, closesIn int) {
	e.t.Helper()
	def, err := demo.Definition()
	if err != nil {
		e.t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	today := time.Now().In(london)
	def.Status = status
	def.OpensOn, def.ClosesOn = today.AddDate(0, 0, opensIn).Format(time.DateOnly), today.AddDate(0, 0, closesIn).Format(time.DateOnly)
	if _, err := (&consultation.Service{Pool: e.pool}).Load(context.Background(), def); err != nil {
		e.t.Fatal(err)
	}
}

// formPages are the CQC form's pages, in order, with what a respondent
// enters on each.
var formPages = []struct {
	slug   string
	values url.Values
}{
	{"people-and-communities", url.Values{"q-Q1a": {"fully"}, "q-Q1b": {"People's voices should shape inspections.\nEspecially carers'."}}},
	{"smarter-regulation", url.Values{"q-Q2a": {"mostly"}}},
	{"safety-through-learning", url.Values{"q-Q3b": {"Learning, not blame."}}},
	{"accelerating-improvement", url.Values{}},
	{"assessing-systems", url.Values{"q-Q5a": {"not-at-all"}, "q-Q5b": {"Who is accountable?"}}},
	{"tackling-inequalities", url.Values{"q-Q6a": {"dont-know"}}},
	{"equality-impact", url.Values{"q-Q7": {"More on digital exclusion, please."}}},
	{"about-you", url.Values{"respondent-type": {"organisation"}, "organisation": {"Older People's Forum (test)"}, "group": {"public"}}},
	{"equality", url.Values{"q-age-band": {"75-plus"}, "q-unpaid-carer": {"yes"}, "q-religion": {"prefer-not-to-say"}}},
	{"publishing", url.Values{"consent": {"yes"}}},
}

// fillForm saves every page as a respondent would, following the
// redirects from page to page, and ends on check your answers.
func (c *client) fillForm() {
	c.t.Helper()
	for i, p := range formPages {
		res, body := c.post(respond+"/"+p.slug, p.values)
		next := respond + "/check"
		if i+1 < len(formPages) {
			next = respond + "/" + formPages[i+1].slug
		}
		if res.StatusCode != 200 || res.Request.URL.Path != next {
			c.t.Fatalf("after saving %s: %d at %s, want %s\n%s", p.slug, res.StatusCode, res.Request.URL.Path, next, body)
		}
	}
}

var referenceRe = regexp.MustCompile(`Your reference number<br\s*/?><strong>([0-9A-Z]{4}-[0-9A-Z]{4})</strong>`)

// submit sends the draft and returns the reference on the confirmation.
func (c *client) submit(form url.Values) string {
	c.t.Helper()
	res, body := c.post(respond+"/submit", form)
	m := referenceRe.FindStringSubmatch(body)
	if res.StatusCode != 200 || res.Request.URL.Path != respond+"/confirmation" || m == nil {
		c.t.Fatalf("submit: %d at %s\n%s", res.StatusCode, res.Request.URL.Path, body)
	}
	return m[1]
}

// webformCounts reads results.csv as an analyst and sums its webform rows
// by question/option.
func (e *env) webformCounts(viewer *client) map[string]int {
	e.t.Helper()
	_, body := viewer.get("/consultations/cqc-2021/results.csv?channel=webform")
	return csvCounts(e.t, body, func(r []string) string { return r[0] + "/" + r[1] })
}

// viewer is who reads the counts in these tests: an analyst, since
// viewers see small numbers withheld (results/suppress.go) and these
// tests count single responses.
func (e *env) viewer() *client {
	e.t.Helper()
	return e.user("analyst@example.org", accounts.Analyst)
}

// responsesFor counts the stored responses with a webform reference.
func (e *env) responsesFor(t *testing.T, reference string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM responses WHERE channel = 'webform' AND source_ref = $1`, reference).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// outage returns a switch that takes the test's database away for real:
// it stops taking connections and its open ones are terminated. The
// database comes back when the test ends, so that it can be dropped.
func (e *env) outage() func(on bool) {
	e.t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		e.t.Fatal(err)
	}
	name := e.pool.Config().ConnConfig.Database
	set := func(on bool) {
		e.t.Helper()
		allow := "true"
		if on {
			allow = "false"
		}
		if _, err := admin.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{name}.Sanitize()+` ALLOW_CONNECTIONS `+allow); err != nil {
			e.t.Fatal(err)
		}
		if on {
			if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	e.t.Cleanup(func() {
		set(false)
		admin.Close(ctx)
	})
	return set
}
