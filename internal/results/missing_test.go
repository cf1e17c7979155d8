package results_test

import (
	"context"
	"testing"

	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

func TestWhoIsMissing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	q := c.Question("ethnic-group")
	// 100 responses answer: White 90, Asian 8, Black 1, Other 1.
	if _, err := pool.Exec(ctx, `DELETE FROM answers WHERE question_id = $1`, q.ID); err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO answers (consultation_id, response_id, question_id, option_id, channel, respondent_group_id)
		SELECT r.consultation_id, r.id, $2,
		       (SELECT id FROM scale_options WHERE scale_id = (SELECT scale_id FROM questions WHERE id = $2) AND slug =
		        CASE WHEN n <= 90 THEN 'white' WHEN n <= 98 THEN 'asian' WHEN n = 99 THEN 'black' ELSE 'other' END),
		       r.channel, r.respondent_group_id
		FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM responses WHERE consultation_id = $1) r
		WHERE n <= 100`, c.ID, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	svc := &results.Service{Pool: pool}
	tab, _ := svc.View(ctx, c, results.Filter{}, results.Policy{})
	reps, err := svc.WhoIsMissing(ctx, tab)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 || reps[0].Question != q || reps[0].Answered != 100 || reps[0].Source == "" {
		t.Fatalf("representation = %+v", reps)
	}
	missing := map[string]bool{}
	for _, r := range reps[0].Rows {
		missing[r.Label] = r.Missing
		if r.Label == "White" && (r.Share != 90 || r.Population != 81.7) {
			t.Errorf("White: %+v", r)
		}
	}
	want := map[string]bool{"White": false, "Asian or Asian British": false, "Black, Black British, Caribbean or African": true, "Mixed or multiple ethnic groups": true, "Other ethnic group": true}
	for k, v := range want {
		if missing[k] != v {
			t.Errorf("%s under-represented = %v, want %v", k, missing[k], v)
		}
	}
	// The public sees small counts withheld, and no flag it could not
	// have worked out itself.
	pub, _ := svc.View(ctx, c, results.Filter{}, results.Policy{Threshold: 10})
	reps, _ = svc.WhoIsMissing(ctx, pub)
	for _, r := range reps[0].Rows {
		if r.N > 0 && r.N < 10 {
			t.Errorf("%s: %d shown to the public", r.Label, r.N)
		}
		if r.Withheld != "" && r.Share != 0 {
			t.Errorf("%s: share shown for a withheld count", r.Label)
		}
	}
}
