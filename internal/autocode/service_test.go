package autocode_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/autocode"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
)

// On the demo (40% of each open question coded by the demo analysts),
// training Q1b stores a measured model and suggests codes, with driving
// words, for answers nobody has coded; accepting records a coding whose
// origin is the model and its version; rejecting is recorded and becomes
// a training example; rules suggest with the words they matched.
func TestTrainSuggestAcceptReject(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Code(ctx, pool, c); err != nil {
		t.Fatal(err)
	}
	var q *consultation.Question
	for _, x := range c.Questions {
		if x.Code == "Q1b" {
			q = x
		}
	}
	svc := autocode.NewService(pool)
	due, err := svc.Due(ctx, q.ID)
	if err != nil || !due {
		t.Fatalf("due = %v, %v; want a first model due", due, err)
	}
	tr, err := svc.Train(ctx, c.ID, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Version != "q"+itoa(q.ID)+"-v1" || tr.Suggested == 0 {
		t.Fatalf("trained %+v", tr)
	}
	_, meas, err := svc.LatestModel(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !meas.Enough || meas.Overall.Answers != meas.Coded || meas.Overall.F1.Value < 0.8 || len(meas.Curve) == 0 {
		t.Errorf("quality %+v", meas.Overall)
	}
	var trainedAudit int
	pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'autocode_model_trained' AND detail->>'version' = $1`, tr.Version).Scan(&trainedAudit)
	if trainedAudit != 1 {
		t.Errorf("training audited %d times, want once", trainedAudit)
	}
	if due, _ := svc.Due(ctx, q.ID); due {
		t.Error("due again right after training")
	}
	// Self-training reads answers nobody has finished coding, never a
	// coded one, and at most as many as asked.
	uncoded, err := svc.Uncoded(ctx, q.ID, 40)
	if err != nil || len(uncoded) != 40 {
		t.Fatalf("uncoded: %d texts, %v; want 40", len(uncoded), err)
	}
	var codedAmong int
	// (Texts may repeat, so: texts that no uncoded answer has.)
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM unnest($2::text[]) t(text)
		WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = $1 AND a.text = t.text
			AND NOT EXISTS (SELECT 1 FROM unit_states s WHERE s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL AND s.coded))`,
		q.ID, uncoded).Scan(&codedAmong); err != nil {
		t.Fatal(err)
	}
	var codedTotal int
	pool.QueryRow(ctx, `SELECT count(*) FROM unit_states WHERE question_id = $1 AND segment_id IS NULL AND coded`, q.ID).Scan(&codedTotal)
	if codedTotal == 0 || codedAmong != 0 {
		t.Errorf("%d of the uncoded texts belong to coded answers (%d coded in all)", codedAmong, codedTotal)
	}

	analyst := analystActor(t, ctx, pool)
	page, err := svc.Suggestions(ctx, c.ID, q.ID, 0, autocode.Cursor{}, 10)
	if err != nil || len(page.Codes) == 0 {
		t.Fatalf("suggestions: %v %+v", err, page)
	}
	code := slices.MaxFunc(page.Codes, func(a, b autocode.CodeSummary) int { return a.Pending - b.Pending })
	list, err := svc.Suggestions(ctx, c.ID, q.ID, code.ID, autocode.Cursor{}, 10)
	if err != nil || len(list.Items) < 2 {
		t.Fatalf("list of %s: %v %+v", code.Key, err, list.Items)
	}
	first, second := list.Items[0], list.Items[1]
	if len(first.Words) == 0 || first.Origin != "model" || first.Confidence < autocode.Threshold {
		t.Errorf("suggestion %+v: want model origin, confidence ≥ 0.5 and driving words", first)
	}
	if err := svc.Accept(ctx, analyst, c.ID, q.ID, first.ResponseID, code.ID); err != nil {
		t.Fatal(err)
	}
	var origin, version string
	var user *int64
	err = pool.QueryRow(ctx, `SELECT origin, origin_version, user_id FROM coding_events
		WHERE response_id = $1 AND question_id = $2 AND code_id = $3 AND action = 'apply' AND sample_id IS NULL`, first.ResponseID, q.ID, code.ID).Scan(&origin, &version, &user)
	if err != nil || origin != "model" || version != tr.Version || user == nil || *user != analyst.User.ID {
		t.Errorf("event: %v origin %q version %q user %v", err, origin, version, user)
	}
	if err := svc.Reject(ctx, analyst, c.ID, q.ID, second.ResponseID, code.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Reject(ctx, analyst, c.ID, q.ID, second.ResponseID, code.ID); err != autocode.ErrNotFound {
		t.Errorf("second rejection: %v, want ErrNotFound", err)
	}
	var audited int
	pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('coding_suggestion_rejected', 'coding_suggestions_accepted')`).Scan(&audited)
	if audited != 2 {
		t.Errorf("%d audit entries, want 2", audited)
	}

	// Bulk: the preview's count is what gets coded.
	n, err := svc.CountAbove(ctx, q.ID, code.ID, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.AcceptAbove(ctx, analyst, c.ID, q.ID, code.ID, 0.9)
	if err != nil || got != n {
		t.Errorf("bulk accepted %d (%v), preview said %d", got, err, n)
	}
	if left, _ := svc.CountAbove(ctx, q.ID, code.ID, 0.9); left != 0 {
		t.Errorf("%d left above 0.9 after bulk accept", left)
	}

	// An analyst saying "no code applies" to an answer withdraws its
	// suggestions; the page's counts follow.
	page, _ = svc.Suggestions(ctx, c.ID, q.ID, 0, autocode.Cursor{}, 10)
	before := 0
	for _, cs := range page.Codes {
		before += cs.Pending
	}
	var rid int64
	var open int
	pool.QueryRow(ctx, `SELECT response_id, count(*) FROM autocode_suggestions WHERE question_id = $1 AND status = 'pending'
		GROUP BY response_id ORDER BY response_id LIMIT 1`, q.ID).Scan(&rid, &open)
	a, err := svc.Coding.Answer(ctx, c.ID, q.ID, rid)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := svc.Coding.State(ctx, a.Unit)
	if _, err := svc.Coding.Save(ctx, analyst, c.ID, coding.Change{Unit: a.Unit, Version: st.Version, NoCode: true}); err != nil {
		t.Fatal(err)
	}
	page, _ = svc.Suggestions(ctx, c.ID, q.ID, 0, autocode.Cursor{}, 10)
	after := 0
	for _, cs := range page.Codes {
		after += cs.Pending
	}
	if open == 0 || after != before-open {
		t.Errorf("open suggestions %d → %d after 'no code' on an answer that had %d", before, after, open)
	}

	// The rejection is a training example now.
	ex, err := svc.Examples(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(ex, func(e autocode.Example) bool { return e.ID == second.ResponseID }); i < 0 || !slices.Contains(ex[i].Rejected, code.ID) {
		t.Errorf("rejected answer not among training examples")
	}

	// A rule proposes its code, naming the words that matched.
	if err := svc.SetRule(ctx, analyst, c.ID, code.ID, "online OR internet"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ApplyRules(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	var words []string
	err = pool.QueryRow(ctx, `SELECT words FROM autocode_suggestions WHERE question_id = $1 AND origin = 'rule' LIMIT 1`, q.ID).Scan(&words)
	if err != nil || len(words) == 0 || !(slices.Contains(words, "online") || slices.Contains(words, "internet")) {
		t.Errorf("rule suggestion words %q (%v)", words, err)
	}

	// What the codeframe says about a code is learnt from: a rule's
	// word no answer uses is in the next model's vocabulary.
	if err := svc.SetRule(ctx, analyst, c.ID, code.ID, "online OR zorblax"); err != nil {
		t.Fatal(err)
	}
	tr2, err := svc.Train(ctx, c.ID, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := svc.LatestModel(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Terms["zorblax"]; !ok || m.Features != autocode.DefaultFeatures || len(m.Cut) != len(m.Codes) {
		t.Errorf("model %s: rule word learnt %v, features %b, cuts %v", tr2.Version, ok, m.Features, m.Cut)
	}
	if tr2.Examples != m.Examples {
		t.Errorf("stored %d examples, model says %d (hints must not count)", tr2.Examples, m.Examples)
	}
}

func itoa(i int32) string { return strconv.Itoa(int(i)) }

func analystActor(t *testing.T, ctx context.Context, pool *pgxpool.Pool) accounts.Actor {
	t.Helper()
	u, err := accounts.NewService(pool).Create(ctx, accounts.Actor{}, "analyst@example.org", "a long enough password 1", accounts.Analyst)
	if err != nil {
		t.Fatal(err)
	}
	return accounts.Actor{User: &u}
}
