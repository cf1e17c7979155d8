package campaign_test

import (
	"context"
	"testing"

	"heard/internal/campaign"
	"heard/internal/db"
	"heard/internal/results"
)

// Leaving campaigns out, or counting each once, goes through the results
// aggregation path: response and answer totals drop by exactly the members
// left out, and a dismissed campaign counts as ordinary responses again.
func TestResultsWithAndWithoutCampaigns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	docs := campaign.Generate(300, 2, 0.4, 9)
	pool, c := seed(t, docs)
	svc := &campaign.Service{Pool: pool}
	if _, err := svc.DetectPending(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	list, _, err := svc.List(ctx, c.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("campaigns: %v %+v", err, list)
	}
	var members int64
	for _, l := range list {
		members += l.Members
	}
	rs := &results.Service{Pool: pool}
	q1a := c.Question("Q1a")
	total := func(f results.Filter) (resp, answered int64) {
		t.Helper()
		tab, err := rs.Counts(ctx, c, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range tab.Responses {
			resp += n.N
		}
		for _, n := range tab.Answers {
			if n.QuestionID == q1a.ID {
				answered += n.N
			}
		}
		return resp, answered
	}
	all, allQ := total(results.Filter{})
	if all != int64(len(docs)) || allQ != all {
		t.Fatalf("all: %d responses, %d answers to Q1a; want %d", all, allQ, len(docs))
	}
	ex, exQ := total(results.Filter{Campaigns: results.CampaignsExclude})
	if ex != all-members || exQ != all-members {
		t.Errorf("exclude: %d responses, %d answers; want %d", ex, exQ, all-members)
	}
	once, _ := total(results.Filter{Campaigns: results.CampaignsOnce})
	if once != all-members+2 {
		t.Errorf("once: %d responses, want %d", once, all-members+2)
	}
	// Dismissing one campaign brings its members back.
	if _, err := db.New(pool).SetCampaignStatus(ctx, db.SetCampaignStatusParams{ConsultationID: c.ID, ID: list[0].ID, Status: db.CampaignStatusDismissed}); err != nil {
		t.Fatal(err)
	}
	ex2, _ := total(results.Filter{Campaigns: results.CampaignsExclude})
	if ex2 != all-list[1].Members {
		t.Errorf("after dismissing one: %d responses, want %d", ex2, all-list[1].Members)
	}
}
