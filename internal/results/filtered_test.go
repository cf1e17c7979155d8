package results_test

import (
	"context"
	"net/url"
	"testing"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// Filters the summary tables do not keep are counted from the matching
// responses, and agree with a count straight from the tables.
func TestCombinedFiltersCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	count := func(sql string) int64 {
		t.Helper()
		var n int64
		if err := pool.QueryRow(ctx, sql, c.ID).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	for _, tc := range []struct {
		query string
		sql   string // responses matching
	}{
		{"answer=Q1a:not-at-all", `SELECT count(*) FROM answers a JOIN scale_options o ON o.id = a.option_id WHERE a.consultation_id = $1 AND a.question_id = (SELECT id FROM questions WHERE code = 'Q1a' AND consultation_id = $1) AND o.slug = 'not-at-all'`},
		{"answer=Q1a:fully&answer=Q1a:mostly&answer=Q6a:not-at-all", `SELECT count(*) FROM responses r WHERE r.consultation_id = $1
			AND EXISTS (SELECT 1 FROM answers a JOIN scale_options o ON o.id = a.option_id JOIN questions q ON q.id = a.question_id WHERE a.response_id = r.id AND q.code = 'Q1a' AND o.slug IN ('fully', 'mostly'))
			AND EXISTS (SELECT 1 FROM answers a JOIN scale_options o ON o.id = a.option_id JOIN questions q ON q.id = a.question_id WHERE a.response_id = r.id AND q.code = 'Q6a' AND o.slug = 'not-at-all')`},
		{"respondent=organisation&channel=webform", `SELECT count(*) FROM responses WHERE consultation_id = $1 AND on_behalf_of_org AND channel = 'webform'`},
		{"from=2021-02-01&to=2021-02-14&group=public", `SELECT count(*) FROM responses r JOIN respondent_groups g ON g.id = r.respondent_group_id WHERE r.consultation_id = $1 AND g.slug = 'public'
			AND r.received_at >= '2021-02-01T00:00:00Z' AND r.received_at < '2021-02-15T00:00:00Z'`},
	} {
		v, _ := url.ParseQuery(tc.query)
		f, err := results.ParseFilter(c, v)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		tab, err := svc.Counts(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		want := count(tc.sql)
		if got := tab.Overview().Total; got != want {
			t.Errorf("%s: %d responses, want %d", tc.query, got, want)
		}
		if want == 0 {
			t.Errorf("%s: matches nothing; the test proves little", tc.query)
		}
	}
	v, _ := url.ParseQuery("answer=Q1a:not-at-all")
	f, _ := results.ParseFilter(c, v)
	tab, _ := svc.Counts(ctx, c, f)
	if r := tab.Question(c.Question("Q1a")); r.Answered != 21 || r.Options[3].N != 21 {
		t.Errorf("those who answered Not at all to Q1a: %d answered, %d not at all; want 21, 21", r.Answered, r.Options[3].N)
	}
}
