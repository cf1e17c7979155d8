package results_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// One answer filter (with groups, channels, organisations) and the
// compare page's crosses are read from the answer_pairs summary; they
// must give exactly what counting the responses one by one gives. A
// received-from date before the consultation selects the same responses
// but forces the one-by-one path, so the two are compared cell by cell.
func TestPairSummaryAgreesWithCountingResponses(t *testing.T) {
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
	early := time.Date(1900, 1, 1, 0, 0, 0, 0, results.London)
	for _, query := range []string{
		"answer=Q1a:not-at-all",
		"answer=Q6a:fully&answer=Q6a:mostly&group=public",
		"answer=age-band:25-34&respondent=organisation",
		"answer=disability:yes&channel=webform&channel=event&respondent=individual",
		"", "group=public", "respondent=organisation", "channel=email&respondent=individual",
	} {
		v, _ := url.ParseQuery(query)
		f, err := results.ParseFilter(c, v)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		slow := f
		slow.From = early
		fast, err := svc.Counts(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := svc.Counts(ctx, c, slow)
		if err != nil {
			t.Fatal(err)
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
		for _, code := range []string{"Q1a", "Q6a"} {
			q := c.Question(code)
			bf, err := svc.Breakdowns(ctx, fast, q, true)
			if err != nil {
				t.Fatal(err)
			}
			bs, err := svc.Breakdowns(ctx, want, q, true)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(bs, bf); diff != "" {
				t.Errorf("%s: %s compared differs (-one by one +summary):\n%s", query, code, diff)
			}
		}
	}
}
