package results_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
	"heard/internal/results"
)

// reading is a CQC-shaped consultation with a few known answers.
type reading struct {
	pool *pgxpool.Pool
	c    *consultation.Consultation
	svc  *results.Service
	ids  map[string]int64 // source ref → response id
}

type person struct {
	ref, group, channel, org, q1a, age, q1b string
	day                                     int // received 2021-01-day
}

func newReading(t *testing.T, people []person) *reading {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&consultation.Service{Pool: pool}).Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	option := func(code, slug string) *int32 {
		for _, o := range c.Question(code).Scale.Options {
			if o.Slug == slug {
				return &o.ID
			}
		}
		t.Fatalf("no option %s:%s", code, slug)
		return nil
	}
	err = db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for _, p := range people {
			g := c.Group(p.group).ID
			r := ingest.Response{SourceRef: p.ref, Channel: p.channel, GroupID: &g, OnBehalfOfOrg: p.org != "", Organisation: p.org,
				ReceivedAt: time.Date(2021, 1, p.day, 12, 0, 0, 0, time.UTC)}
			if p.q1a != "" {
				r.Answers = append(r.Answers, ingest.Answer{QuestionID: c.Question("Q1a").ID, OptionID: option("Q1a", p.q1a)})
			}
			if p.age != "" {
				r.Answers = append(r.Answers, ingest.Answer{QuestionID: c.Question("age-band").ID, OptionID: option("age-band", p.age)})
			}
			if p.q1b != "" {
				r.Answers = append(r.Answers, ingest.Answer{QuestionID: c.Question("Q1b").ID, Text: &p.q1b})
			}
			if err := w.Add(ctx, r); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	x := &reading{pool: pool, c: c, svc: &results.Service{Pool: pool}, ids: map[string]int64{}}
	rows, _ := pool.Query(ctx, `SELECT source_ref, id FROM responses`)
	for rows.Next() {
		var ref string
		var id int64
		if err := rows.Scan(&ref, &id); err != nil {
			t.Fatal(err)
		}
		x.ids[ref] = id
	}
	return x
}

// list returns the refs listed for query (a URL query string).
func (x *reading) list(t *testing.T, query string, page int) ([]string, results.AnswerList) {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	f, err := results.ParseFilter(x.c, v)
	if err != nil {
		t.Fatal(err)
	}
	l, err := x.svc.ListAnswers(context.Background(), x.c, x.c.Question("Q1b"), f, v.Get("sort"), page)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var refs []string
	for _, a := range l.Answers {
		for ref, id := range x.ids {
			if id == a.ResponseID {
				refs = append(refs, ref)
			}
		}
	}
	return refs, l
}

var people = []person{
	{"a", "providers", "webform", "Sunny Care Ltd", "not-at-all", "", "Inspection must stay on site; we value each inspection.", 10},
	{"b", "providers", "email", "Green Homes", "not-at-all", "", "Our organization worries about inspections of small homes.", 11},
	{"c", "public", "webform", "", "not-at-all", "65-74", "I want inspection reports to be clearer.", 12},
	{"d", "providers", "webform", "Blue Trust", "fully", "", "Inspection is fine as it is.", 13},
	{"e", "providers", "webform", "Red Ltd", "not-at-all", "", "The organisation of care homes matters more than data.", 14},
	{"f", "public", "event", "", "mostly", "18-24", "Care home staff need support, not judgement.", 9},
	{"g", "other", "letter", "", "", "", "Fewer visits would weaken the whole care home system.", 15},
}

func TestListAnswersCombinesFiltersAndSearch(t *testing.T) {
	t.Parallel()
	x := newReading(t, people)
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"", "f a b c d e g"}, // received order: f came first
		{"respondent=organisation&answer=Q1a:not-at-all&q=inspection", "a b"},
		{"q=inspection", "a b c d"},
		{"q=organisation", "b e"}, // British and American spellings find each other
		{"q=organization", "b e"},
		{`q="care homes"`, "f e g"}, // a phrase, stemmed
		{`q="home staff"`, "f"},
		{"q=inspection+-small", "a c d"},
		{"q=judgement+OR+weaken", "f g"},
		{"answer=Q1a:not-at-all&answer=age-band:65-74", "c"},
		{"answer=Q1a:fully&answer=Q1a:mostly", "f d"},
		{"group=public&channel=event", "f"},
		{"respondent=individual", "f c g"},
		{"from=2021-01-11&to=2021-01-12", "b c"},
		{"channel=letter&channel=email", "b g"},
		{"sort=length&group=public", "f c"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got, l := x.list(t, tc.query, 1)
			if strings.Join(got, " ") != tc.want {
				t.Errorf("listed %v, want %s", got, tc.want)
			}
			if l.Total != int64(len(got)) || l.Capped || l.HasNext {
				t.Errorf("total %d capped %v next %v for %d listed", l.Total, l.Capped, l.HasNext, len(got))
			}
		})
	}
}

func TestListAnswersHighlightsMatchesOnly(t *testing.T) {
	t.Parallel()
	x := newReading(t, people[:2])
	_, l := x.list(t, "q=inspection+organisation", 1)
	if len(l.Answers) != 1 {
		t.Fatalf("listed %d answers, want 1", len(l.Answers))
	}
	var marked []string
	for _, f := range l.Answers[0].Highlighted {
		if f.Mark {
			marked = append(marked, f.Text)
		}
	}
	if strings.Join(marked, ",") != "organization,inspections" {
		t.Errorf("marked %q, want the American spelling and the plural", marked)
	}
}

func TestListAnswersPagesAndCounts(t *testing.T) {
	t.Parallel()
	var many []person
	for i := range 45 {
		org := ""
		if i%3 == 0 {
			org = fmt.Sprintf("Org %d", i)
		}
		many = append(many, person{ref: fmt.Sprintf("p%02d", i), group: "public", channel: "webform", org: org, q1b: strings.Repeat("word ", i+1), day: 1 + i%28})
	}
	x := newReading(t, many)
	_, first := x.list(t, "", 1)
	_, last := x.list(t, "", 3)
	if first.Total != 45 || !first.HasNext || len(first.Answers) != 20 || len(last.Answers) != 5 || last.HasNext {
		t.Errorf("page 1: total %d, %d answers, next %v; page 3: %d answers, next %v", first.Total, len(first.Answers), first.HasNext, len(last.Answers), last.HasNext)
	}
	_, orgs := x.list(t, "respondent=organisation", 1)
	if orgs.Total != 15 {
		t.Errorf("organisations: total %d, want 15 (counted, not summarised)", orgs.Total)
	}
	refs, _ := x.list(t, "sort=length", 1)
	if refs[0] != "p44" || refs[1] != "p43" {
		t.Errorf("longest first: %v", refs[:2])
	}
	f, _ := results.ParseFilter(x.c, url.Values{})
	if _, err := x.svc.ListAnswers(context.Background(), x.c, x.c.Question("Q1b"), f, "", 4); err != results.ErrPageOutOfRange {
		t.Errorf("page 4 of 3: err = %v", err)
	}
}

func TestListAnswersCodingFilters(t *testing.T) {
	t.Parallel()
	x := newReading(t, people[:4])
	ctx := context.Background()
	q1b := x.c.Question("Q1b").ID
	var code int32
	if err := x.pool.QueryRow(ctx, `INSERT INTO codes (consultation_id, question_id, code, name, position) VALUES ($1, $2, 'SITE', 'Time on site', 1) RETURNING id`, x.c.ID, q1b).Scan(&code); err != nil {
		t.Fatal(err)
	}
	// a: coded SITE and flagged as a quote; b: coded, no code applies; c, d: not yet coded.
	for _, stmt := range []string{
		`INSERT INTO unit_codes (consultation_id, response_id, question_id, code_id, channel, respondent_group_id, event_id)
		 SELECT consultation_id, id, $2, $3, channel, respondent_group_id, 0 FROM responses WHERE source_ref = 'a' AND consultation_id = $1`,
		`INSERT INTO unit_states (consultation_id, response_id, question_id, code_count, quote_worthy)
		 SELECT consultation_id, id, $2, 1, true FROM responses WHERE source_ref = 'a' AND consultation_id = $1 AND $3 > 0`,
		`INSERT INTO unit_states (consultation_id, response_id, question_id, no_code)
		 SELECT consultation_id, id, $2, true FROM responses WHERE source_ref = 'b' AND consultation_id = $1 AND $3 > 0`,
	} {
		if _, err := x.pool.Exec(ctx, stmt, x.c.ID, q1b, code); err != nil {
			t.Fatal(err)
		}
	}
	for query, want := range map[string]string{
		fmt.Sprintf("code=%d", code): "a",
		"coding=uncoded":             "c d",
		"coding=nocode":              "b c d",
		"quote=yes":                  "a",
		"quote=yes&q=inspection":     "a",
	} {
		if got, _ := x.list(t, query, 1); strings.Join(got, " ") != want {
			t.Errorf("%s: listed %v, want %s", query, got, want)
		}
	}
}

// In SQL, past CountCap matches the list says "more than", and walks in
// order (past FactKeyCap responses when an organisation filter is set:
// up to it the matches are read through response_facts' keys and
// counted). From the copy in memory the same list is counted exactly,
// checking the search on every candidate when there are few.
func TestListAnswersPastTheCap(t *testing.T) {
	t.Parallel()
	var many []person
	for i := range results.FactKeyCap + 10 {
		many = append(many, person{ref: fmt.Sprintf("m%04d", i), group: "public", channel: "webform", org: "Org", q1b: "inspection " + strings.Repeat("x", i%50), day: 1 + i%28})
	}
	x := newReading(t, many)
	mem := x.svc
	x.svc = results.SQLFacts(mem)
	refs, capped := x.list(t, "respondent=organisation&q=inspection", 1)
	if !capped.Capped || capped.Total != results.CountCap || !capped.HasNext || len(refs) != 20 {
		t.Errorf("capped list: total %d capped %v next %v, %d listed", capped.Total, capped.Capped, capped.HasNext, len(refs))
	}
	if refs[0] != "m0000" || refs[1] != "m0028" { // received on the 1st: 0, 28, 56...
		t.Errorf("received order: %v", refs[:3])
	}
	_, all := x.list(t, "", 2)
	if all.Capped || all.Total != int64(len(many)) || len(all.Answers) != 20 {
		t.Errorf("summarised: total %d capped %v, %d listed", all.Total, all.Capped, len(all.Answers))
	}
	refs, _ = x.list(t, "sort=length&respondent=organisation", 1)
	if refs[0] != "m0049" {
		t.Errorf("longest first past the cap: %v", refs[:3])
	}
	// A next page reached from its predecessor starts after that page's
	// last answer (issue #10: deep pages no slower than the second) and
	// lists exactly what counting to it lists, in either order.
	for _, query := range []string{"respondent=organisation&q=inspection", "sort=length&respondent=organisation"} {
		v, _ := url.ParseQuery(query)
		f, err := results.ParseFilter(x.c, v)
		if err != nil {
			t.Fatal(err)
		}
		q1b := x.c.Question("Q1b")
		after := ""
		for page := 1; page <= 3; page++ {
			keyed, err := x.svc.ListAnswersAfter(context.Background(), x.c, q1b, f, v.Get("sort"), page, after)
			if err != nil {
				t.Fatal(err)
			}
			counted, err := x.svc.ListAnswers(context.Background(), x.c, q1b, f, v.Get("sort"), page)
			if err != nil {
				t.Fatal(err)
			}
			if keyed.After == "" || len(keyed.Answers) != 20 {
				t.Fatalf("%s page %d: no key after a walked page (%d answers)", query, page, len(keyed.Answers))
			}
			for i := range keyed.Answers {
				if keyed.Answers[i].ResponseID != counted.Answers[i].ResponseID {
					t.Errorf("%s page %d row %d: after the key %d, counting %d", query, page, i, keyed.Answers[i].ResponseID, counted.Answers[i].ResponseID)
				}
			}
			after = keyed.After
		}
		// The key, not the page number, says where the page starts: it
		// is read, not counted to.
		first, _ := x.svc.ListAnswers(context.Background(), x.c, q1b, f, v.Get("sort"), 1)
		second, _ := x.svc.ListAnswers(context.Background(), x.c, q1b, f, v.Get("sort"), 2)
		jumped, err := x.svc.ListAnswersAfter(context.Background(), x.c, q1b, f, v.Get("sort"), 5, first.After)
		if err != nil {
			t.Fatal(err)
		}
		if jumped.Answers[0].ResponseID != second.Answers[0].ResponseID {
			t.Errorf("%s: page after the first page's key starts at %d, want %d", query, jumped.Answers[0].ResponseID, second.Answers[0].ResponseID)
		}
	}
	x.svc = mem
	exact, l := x.list(t, "respondent=organisation&q=inspection", 1)
	if l.Capped || l.Total != int64(len(many)) || !l.HasNext || len(exact) != 20 || exact[0] != "m0000" || exact[1] != "m0028" {
		t.Errorf("from memory: total %d capped %v next %v, listed %v", l.Total, l.Capped, l.HasNext, exact)
	}
	// Deep pages, either order, list what the SQL lists.
	for _, query := range []string{"respondent=organisation&q=inspection", "sort=length&respondent=organisation&q=inspection"} {
		for _, page := range []int{2, 50, 101} {
			x.svc = mem
			got, _ := x.list(t, query, page)
			x.svc = results.SQLFacts(mem)
			want, _ := x.list(t, query, page)
			if strings.Join(got, " ") != strings.Join(want, " ") || len(got) == 0 {
				t.Errorf("%s page %d: from memory %v, in SQL %v", query, page, got, want)
			}
		}
	}
}
