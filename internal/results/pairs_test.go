package results_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// One answer filter (with groups, channels, organisations) and the
// compare page's crosses are read from the answer_pairs summary,
// organisation or individual and received dates from answer_days, and
// the timeline under those and one answer from answer_days too; they
// must give exactly what counting the responses one by one gives, with
// merged repeats and withdrawn responses left out of both. The two are
// compared cell by cell.
func TestSummariesAgreeWithCountingResponses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	// Some equality answers to compare by (the demo's webform has them
	// too; these make every option appear with every group).
	if _, err := pool.Exec(ctx, `
		INSERT INTO answers (consultation_id, response_id, question_id, option_id, channel, respondent_group_id)
		SELECT r.consultation_id, r.id, q.id, (array_agg_opts.ids)[1 + (r.id / 2) % cardinality(array_agg_opts.ids)], r.channel, r.respondent_group_id
		FROM responses r
		JOIN questions q ON q.consultation_id = r.consultation_id AND q.code IN ('age-band', 'disability')
		CROSS JOIN LATERAL (SELECT array_agg(id ORDER BY position) AS ids FROM scale_options WHERE scale_id = q.scale_id) array_agg_opts
		WHERE r.consultation_id = $1 AND r.id % 3 <> 0
		  AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id AND a.question_id = q.id)`, c.ID); err != nil {
		t.Fatal(err)
	}
	// A merged repeat and a withdrawn response (consent: answers gone)
	// count in neither path.
	for _, sql := range []string{
		`UPDATE responses SET merged_into = (SELECT min(id) FROM responses WHERE consultation_id = $1)
		 WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id DESC LIMIT 7)`,
		`DELETE FROM answers WHERE response_id IN (SELECT id FROM responses WHERE consultation_id = $1 AND on_behalf_of_org ORDER BY id LIMIT 3)`,
		`UPDATE responses SET withdrawn = true WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 AND on_behalf_of_org ORDER BY id LIMIT 3)`,
		// A campaign of 60 (one of them merged away): "campaigns left
		// out" is a summary less its members, "once" keeps the first.
		`WITH k AS (INSERT INTO campaigns (consultation_id, name) VALUES ($1, 'Test campaign') RETURNING id)
		 INSERT INTO campaign_members (consultation_id, campaign_id, response_id, similarity)
		 SELECT $1, k.id, r.id, 0.9 FROM k, responses r WHERE r.consultation_id = $1 AND r.id % 7 = 2 ORDER BY r.id DESC LIMIT 60`,
	} {
		if _, err := pool.Exec(ctx, sql, c.ID); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	all, err := svc.Counts(ctx, c, results.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if left, err := svc.Counts(ctx, c, results.Filter{Campaigns: results.CampaignsExclude}); err != nil || left.Overview().Total != all.Overview().Total-59 {
		t.Errorf("campaigns left out: %d responses, want %d (%v)", left.Overview().Total, all.Overview().Total-59, err)
	}
	oneByOne := results.OneByOne(svc)
	var event string
	if err := pool.QueryRow(ctx, `SELECT event_id::text FROM responses WHERE consultation_id = $1 AND event_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, c.ID).Scan(&event); err != nil {
		t.Fatalf("the demo has no event responses: %v", err)
	}
	for _, query := range []string{
		"answer=Q1a:not-at-all",
		"answer=Q6a:fully&answer=Q6a:mostly&group=public",
		"answer=age-band:25-34&respondent=organisation",
		"answer=disability:yes&channel=webform&channel=event&respondent=individual",
		"", "group=public", "respondent=organisation", "channel=email&respondent=individual",
		"from=2021-02-01", "to=2021-01-20&respondent=organisation",
		"from=2021-01-15&to=2021-02-15&group=public&channel=webform",
		"from=2021-02-10&to=2021-02-10", "respondent=individual&from=2021-01-28&to=2021-02-03",
		"answer=Q6a:not-at-all&from=2021-02-01&respondent=individual",
		// One answer with dates: answer_pair_days (migrations/000031).
		"answer=disability:yes&from=2021-01-15&to=2021-02-15&group=public&channel=webform",
		"answer=Q1a:fully&answer=Q1a:mostly&to=2021-01-31&respondent=organisation",
		// Counted from response_facts: two answers, events, campaigns.
		"answer=disability:yes&answer=Q6a:not-at-all", "answer=age-band:25-34&answer=Q1a:fully&answer=Q1a:mostly&channel=webform",
		"answer=disability:yes&answer=disability:no&answer=age-band:18-24&answer=Q6a:fully&answer=Q6a:mostly&answer=Q6a:not-at-all&answer=Q1a:fully&answer=Q1a:mostly",
		"event=" + event, "event=" + event + "&answer=Q1a:fully", "campaigns=exclude&respondent=individual", "campaigns=once&from=2021-02-01",
		"campaigns=exclude", "campaigns=once&group=public", "campaigns=exclude&answer=Q1a:fully&channel=webform",
		"campaigns=exclude&answer=Q1a:fully&from=2021-02-01", "campaigns=exclude&event=" + event,
	} {
		v, _ := url.ParseQuery(query)
		f, err := results.ParseFilter(c, v)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		fast, err := svc.Counts(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := oneByOne.Counts(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		tf, err := svc.Timeline(ctx, fast)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := oneByOne.Timeline(ctx, want)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ts, tf); diff != "" {
			t.Errorf("%s: timeline differs (-one by one +summary):\n%s", query, diff)
		}
		if len(want.Responses) == 0 {
			t.Errorf("%s: matches nothing; the test proves little", query)
		}
		if diff := cmp.Diff(want.Answers, fast.Answers); diff != "" {
			t.Errorf("%s: answer counts differ (-one by one +summary):\n%s", query, diff)
		}
		if diff := cmp.Diff(want.Responses, fast.Responses); diff != "" {
			t.Errorf("%s: response counts differ (-one by one +summary):\n%s", query, diff)
		}
		// The filters no summary keeps: the copy in memory and the SQL
		// over response_facts give the same cells in the same order.
		inSQL, err := results.SQLFacts(svc).Counts(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(inSQL.Answers, fast.Answers); diff != "" {
			t.Errorf("%s: answer counts differ (-SQL +in memory or summary):\n%s", query, diff)
		}
		if diff := cmp.Diff(inSQL.Responses, fast.Responses); diff != "" {
			t.Errorf("%s: response counts differ (-SQL +in memory or summary):\n%s", query, diff)
		}
		for _, code := range []string{"Q1a", "Q6a"} {
			q := c.Question(code)
			bf, err := svc.Breakdowns(ctx, fast, q, true)
			if err != nil {
				t.Fatal(err)
			}
			bs, err := oneByOne.Breakdowns(ctx, want, q, true)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(bs, bf); diff != "" {
				t.Errorf("%s: %s compared differs (-one by one +summary):\n%s", query, code, diff)
			}
		}
	}
}
