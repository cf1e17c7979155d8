package results_test

import (
	"context"
	"net/url"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"heard/internal/db"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

func TestPercentRoundsHalfUp(t *testing.T) {
	for _, c := range []struct{ n, total, want int64 }{
		{496, 618, 80}, {508, 610, 83}, {473, 603, 78}, {1, 2, 50}, {1, 8, 13}, {1, 200, 1}, {1, 201, 0}, {0, 0, 0}, {5, 5, 100},
	} {
		if got := results.Percent(c.n, c.total); got != c.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", c.n, c.total, got, c.want)
		}
	}
}

// The summary tables must equal a recount of the base tables after every
// kind of change: insert, a change of group, channel, organisation or
// received date, delete, corrections, merges and withdrawals.
func TestSummaryStaysExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	q := db.New(pool)
	svc := &results.Service{Pool: pool}
	var event string
	if err := pool.QueryRow(ctx, `SELECT event_id::text FROM responses WHERE consultation_id = $1 AND event_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, c.ID).Scan(&event); err != nil {
		t.Fatalf("the demo has no event responses: %v", err)
	}
	check := func(when string) {
		t.Helper()
		// The filters no summary keeps are counted from a copy of
		// response_facts held in memory (memfacts.go), read again block
		// by block when fact_versions (migrations/000035) says a block
		// changed: after every change, its figures (and the timeline and
		// the compare page under them) must be what counting the
		// responses one by one gives now.
		for _, query := range []string{
			"answer=Q1a:fully&answer=Q1a:mostly&answer=Q6a:not-at-all&answer=Q6a:partially",
			"answer=Q1a:fully&answer=Q1a:mostly&event=" + event,
			"answer=Q6a:fully&answer=Q6a:mostly&answer=Q6a:partially&answer=Q2a:fully&channel=webform&channel=letter&respondent=individual&from=2021-01-20",
			"event=" + event + "&group=public",
		} {
			v, _ := url.ParseQuery(query)
			f, err := results.ParseFilter(c, v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.Counts(ctx, c, f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := results.OneByOne(svc).Counts(ctx, c, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Responses) == 0 {
				t.Errorf("%s: %s matches nothing; the test proves little", when, query)
			}
			if diff := cmp.Diff(want.Answers, got.Answers); diff != "" {
				t.Errorf("%s: %s: answer counts differ (-one by one +in memory):\n%s", when, query, diff)
			}
			if diff := cmp.Diff(want.Responses, got.Responses); diff != "" {
				t.Errorf("%s: %s: response counts differ (-one by one +in memory):\n%s", when, query, diff)
			}
			tg, err := svc.Timeline(ctx, got)
			if err != nil {
				t.Fatal(err)
			}
			tw, err := results.OneByOne(svc).Timeline(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tw, tg); diff != "" {
				t.Errorf("%s: %s: timeline differs (-one by one +in memory):\n%s", when, query, diff)
			}
			bg, err := svc.Breakdowns(ctx, got, c.Question("Q1a"), true)
			if err != nil {
				t.Fatal(err)
			}
			bw, err := results.OneByOne(svc).Breakdowns(ctx, want, c.Question("Q1a"), true)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(bw, bg); diff != "" {
				t.Errorf("%s: %s: Q1a compared differs (-one by one +in memory):\n%s", when, query, diff)
			}
		}
		table, err := (&results.Service{Pool: pool}).Counts(ctx, c, results.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		recount, err := q.RecountAnswers(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var want []results.Count
		for _, r := range recount {
			want = append(want, results.Count{QuestionID: r.QuestionID, OptionID: r.OptionID, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N})
		}
		if diff := cmp.Diff(want, table.Answers); diff != "" {
			t.Errorf("%s: answer counts differ from a recount (-recount +summary):\n%s", when, diff)
		}
		rr, err := q.RecountResponses(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wantR []results.Count
		for _, r := range rr {
			wantR = append(wantR, results.Count{GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N})
		}
		if diff := cmp.Diff(wantR, table.Responses); diff != "" {
			t.Errorf("%s: response counts differ from a recount (-recount +summary):\n%s", when, diff)
		}
		// answer_pairs (migrations/000019), answers crossed with answers.
		rp, err := q.RecountAnswerPairs(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := q.SummedAnswerPairs(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rp) == 0 {
			t.Fatalf("%s: no answer pairs to compare", when)
		}
		wantP := make([]db.SummedAnswerPairsRow, len(rp))
		for i, r := range rp {
			wantP[i] = db.SummedAnswerPairsRow(r)
		}
		if diff := cmp.Diff(wantP, sp); diff != "" {
			t.Errorf("%s: answer pairs differ from a recount (-recount +summary):\n%s", when, diff)
		}
		// answer_days (migrations/000028), by received day and
		// organisation or individual.
		rd, err := q.RecountAnswerDays(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sd, err := q.SummedAnswerDays(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantD := make([]db.SummedAnswerDaysRow, len(rd))
		for i, r := range rd {
			wantD[i] = db.SummedAnswerDaysRow(r)
		}
		if diff := cmp.Diff(wantD, sd); diff != "" {
			t.Errorf("%s: answer days differ from a recount (-recount +summary):\n%s", when, diff)
		}
		// answer_pair_days (migrations/000031), answer pairs by received
		// day, kept from response_facts.
		rpd, err := q.RecountAnswerPairDays(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		spd, err := q.SummedAnswerPairDays(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rpd) == 0 {
			t.Fatalf("%s: no answer pairs by day to compare", when)
		}
		wantPD := make([]db.SummedAnswerPairDaysRow, len(rpd))
		for i, r := range rpd {
			wantPD[i] = db.SummedAnswerPairDaysRow(r)
		}
		if diff := cmp.Diff(wantPD, spd); diff != "" {
			t.Errorf("%s: answer pairs by day differ from a recount (-recount +summary):\n%s", when, diff)
		}
		// response_facts (migrations/000028), one row per counted response.
		rf, err := q.RecountResponseFacts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sf, err := q.StoredResponseFacts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantF := make([]db.StoredResponseFactsRow, len(rf))
		for i, r := range rf {
			wantF[i] = db.StoredResponseFactsRow(r)
		}
		if diff := cmp.Diff(wantF, sf); diff != "" {
			t.Errorf("%s: response facts differ from a recount (-recount +stored):\n%s", when, diff)
		}
	}
	check("after load")

	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`UPDATE responses SET respondent_group_id = NULL WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 25)`, c.ID)
	exec(`UPDATE responses SET channel = 'letter' WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 AND channel = 'webform' ORDER BY id LIMIT 10)`, c.ID)
	check("after changing groups and channels")
	exec(`UPDATE responses SET on_behalf_of_org = NOT on_behalf_of_org WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 15)`, c.ID)
	exec(`UPDATE responses SET on_behalf_of_org = NOT on_behalf_of_org, respondent_group_id = (SELECT min(id) FROM respondent_groups WHERE consultation_id = $1) WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id DESC LIMIT 12)`, c.ID)
	check("after changing organisation or individual (with and without a group)")
	exec(`UPDATE responses SET received_at = received_at + interval '3 days' WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 9)`, c.ID)
	exec(`UPDATE responses SET received_at = received_at - interval '1 day', on_behalf_of_org = NOT on_behalf_of_org, channel = 'email' WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 AND event_id IS NULL ORDER BY id DESC LIMIT 8)`, c.ID)
	check("after changing received dates (with organisation and channel)")
	exec(`DELETE FROM answers WHERE (response_id, question_id) IN (SELECT response_id, question_id FROM answers WHERE consultation_id = $1 AND option_id IS NOT NULL ORDER BY response_id LIMIT 20)`, c.ID)
	exec(`INSERT INTO answers (consultation_id, response_id, question_id, option_id, channel, respondent_group_id)
		SELECT r.consultation_id, r.id, q.id, (SELECT min(o.id) FROM scale_options o WHERE o.scale_id = q.scale_id), r.channel, r.respondent_group_id
		FROM responses r JOIN questions q ON q.consultation_id = r.consultation_id AND q.code = 'ethnic-group'
		WHERE r.consultation_id = $1 AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id AND a.question_id = q.id)
		ORDER BY r.id LIMIT 30`, c.ID)
	check("after deleting some answers and adding answers to stored responses")
	table, _ := (&results.Service{Pool: pool}).Counts(ctx, c, results.Filter{})
	if ov := table.Overview(); ov.ByGroup[len(ov.ByGroup)-1].Label != "Group not known" || ov.Total != 790 {
		t.Errorf("responses without a group must be counted as 'Group not known', got %+v", ov.ByGroup)
	}
	exec(`DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id DESC LIMIT 40)`, c.ID)
	check("after deleting responses")
	var orphans int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM answers a WHERE NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = a.response_id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d answers left without their response", orphans)
	}
	exec(`UPDATE answers SET option_id = (SELECT id FROM scale_options WHERE slug = 'not-at-all' AND consultation_id = $1) WHERE option_id IS NOT NULL AND response_id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 30)`, c.ID)
	check("after changing answers")
	// Merged repeats (#15) and withdrawn responses (#16) count nowhere,
	// summaries included, however the two are combined.
	exec(`UPDATE responses SET merged_into = (SELECT min(id) FROM responses WHERE consultation_id = $1) WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 30 OFFSET 5)`, c.ID)
	check("after merging repeats")
	exec(`UPDATE responses SET on_behalf_of_org = NOT on_behalf_of_org, received_at = received_at + interval '1 day' WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 10 OFFSET 30)`, c.ID)
	check("after moving merged repeats to another day and organisation")
	exec(`UPDATE responses SET withdrawn = true WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 ORDER BY id LIMIT 20 OFFSET 25)`, c.ID)
	check("after withdrawing responses, some of them merged")
	exec(`UPDATE responses SET merged_into = NULL WHERE consultation_id = $1 AND merged_into IS NOT NULL`, c.ID)
	check("after unmerging")
	exec(`DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE consultation_id = $1 AND withdrawn ORDER BY id LIMIT 5)`, c.ID)
	check("after deleting withdrawn responses")
}

// A process that counted a consultation's facts in memory must not hold
// them once the consultation is gone: the next count frees the copy.
func TestDeletedConsultationsCopyIsFreed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	// A copy held for a consultation that no longer exists (ids are
	// never reused, so this one never will).
	var gone int64
	if err := pool.QueryRow(ctx, `SELECT max(id) + 1000 FROM consultations`).Scan(&gone); err != nil {
		t.Fatal(err)
	}
	results.HoldCopy(pool, gone)
	v, _ := url.ParseQuery("answer=Q1a:fully&answer=Q6a:not-at-all")
	f, err := results.ParseFilter(c, v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&results.Service{Pool: pool}).Counts(ctx, c, f); err != nil {
		t.Fatal(err)
	}
	if got, want := results.HeldCopies(pool), []int64{c.ID}; !slices.Equal(got, want) {
		t.Errorf("copies held after counting %d: %v, want %v (%d is gone)", c.ID, got, want, gone)
	}
}
