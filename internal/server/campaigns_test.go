package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/browsertest"
	"heard/internal/campaign"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// addCampaigns stores generated webform responses with known campaigns
// into cqc-2021 (open answer to Q1b, "Fully" or "Mostly" to Q1a) and runs
// detection, as an import does.
func addCampaigns(t *testing.T, e *env, n int) (*consultation.Consultation, []campaign.GeneratedDoc) {
	t.Helper()
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	docs := campaign.Generate(n, 2, 0.5, 11)
	open, closed := c.Question("Q1b"), c.Question("Q1a")
	err = db.WithTx(ctx, e.pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for i, d := range docs {
			text := d.Text
			opt := closed.Scale.Options[i%2].ID
			err := w.Add(ctx, ingest.Response{
				SourceRef: fmt.Sprintf("camp-%d", i), Channel: "webform", Organisation: d.Sender,
				ReceivedAt: time.Date(2021, 3, 1, 0, 0, i, 0, time.UTC),
				Answers:    []ingest.Answer{{QuestionID: open.ID, Text: &text}, {QuestionID: closed.ID, OptionID: &opt}},
			})
			if err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&campaign.Service{Pool: e.pool}).DetectPending(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return c, docs
}

func TestAnalystReviewsCampaigns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := addCampaigns(t, e, 120)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	base := "/consultations/cqc-2021/campaigns"

	// The demo's own answers hold a few short repeated texts too; the two
	// generated campaigns are the largest.
	list, _, err := (&campaign.Service{Pool: e.pool}).List(context.Background(), c.ID)
	if err != nil || len(list) < 2 || list[1].Members < 20 {
		t.Fatalf("list: %v %+v", err, list)
	}
	var total int64
	for _, l := range list {
		total += l.Members
	}
	_, body := analyst.get(base)
	if want := fmt.Sprintf("%d campaigns, %d responses; %d not yet confirmed", len(list), total, len(list)); !strings.Contains(body, want) {
		t.Errorf("campaigns page lacks %q", want)
	}
	page := fmt.Sprintf("%s/%d", base, list[0].ID)
	_, body = analyst.get(page)
	for _, want := range []string{"Campaign text", "Added text", "members do", "heard-ins", "By channel", "Online webform"} {
		if !strings.Contains(body, want) {
			t.Errorf("campaign page lacks %q", want)
		}
	}

	// campaigns.csv: the public header, one row per member.
	_, csv := analyst.get("/consultations/cqc-2021/campaigns.csv")
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if lines[0] != "campaign,status,response_id,source_ref,channel,similarity,added_words" {
		t.Fatalf("csv header %q", lines[0])
	}
	if int64(len(lines)-1) != total {
		t.Errorf("csv has %d member rows, want %d", len(lines)-1, total)
	}

	// Rename, confirm, remove a member: each audited.
	analyst.post(page+"/name", url.Values{"name": {"Save our clinic"}})
	analyst.post(page+"/status", url.Values{"status": {"confirmed"}})
	_, body = analyst.get(page)
	if !strings.Contains(body, "Save our clinic") || !strings.Contains(body, "Confirmed") {
		t.Errorf("rename or confirm did not show")
	}
	d, _ := (&campaign.Service{Pool: e.pool}).Get(context.Background(), c.ID, list[0].ID, 1, false)
	ref := d.Rows[0].SourceRef
	analyst.post(page+"/remove", url.Values{"remove-ref": {ref}})
	d2, _ := (&campaign.Service{Pool: e.pool}).Get(context.Background(), c.ID, list[0].ID, 1, false)
	if d2.Members != d.Members-1 {
		t.Errorf("after removing %s: %d members, want %d", ref, d2.Members, d.Members-1)
	}
	res, body := analyst.post(page+"/remove", url.Values{"remove-ref": {"no-such-ref"}})
	if res.StatusCode != 400 || !strings.Contains(body, "There is no response with reference") {
		t.Errorf("unknown ref: status %d", res.StatusCode)
	}
	var audited int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action LIKE 'campaign_%'`).Scan(&audited); err != nil || audited != 3 {
		t.Errorf("audited %d campaign changes (err %v), want 3", audited, err)
	}
	// Merge the other campaign into this one.
	analyst.post(page+"/merge", url.Values{"from": {fmt.Sprint(list[1].ID)}})
	after, _, _ := (&campaign.Service{Pool: e.pool}).List(context.Background(), c.ID)
	if len(after) != len(list)-1 || after[0].Members != d2.Members+list[1].Members {
		t.Errorf("after merging: %+v", after)
	}
	// Thresholds: saved per consultation, a bad value named.
	if res, body := analyst.post("/consultations/cqc-2021/campaign-thresholds", url.Values{"jaccard": {"0.7"}, "containment": {"2"}, "min-words": {"20"}, "min-members": {"10"}}); res.StatusCode != 400 || !strings.Contains(body, "Enter a containment between 0.01 and 1") {
		t.Errorf("bad containment: %d", res.StatusCode)
	}
	analyst.post("/consultations/cqc-2021/campaign-thresholds", url.Values{"jaccard": {"0.7"}, "containment": {"0.85"}, "min-words": {"20"}, "min-members": {"10"}})
	if th, err := campaign.Settings(context.Background(), db.New(e.pool), c.ID); err != nil || th.MinMembers != 10 || th.MinWords != 20 {
		t.Errorf("thresholds after saving: %+v %v", th, err)
	}
	// A viewer may not see campaigns.
	viewer := e.user("viewer@example.org", accounts.Viewer)
	if res, _ := viewer.get(base); res.StatusCode != 403 {
		t.Errorf("viewer got %d, want 403", res.StatusCode)
	}
}

// The campaign pages pass axe-core.
func TestCampaignPagesAreAccessible(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := addCampaigns(t, e, 80)
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, "reader@example.org", testPassword, accounts.Analyst); err != nil {
		t.Fatal(err)
	}
	list, _, err := (&campaign.Service{Pool: e.pool}).List(context.Background(), c.ID)
	if err != nil || len(list) == 0 {
		t.Fatalf("no campaigns: %v", err)
	}
	b := browsertest.New(t)
	visit := func(name, path, sel string) {
		t.Helper()
		browsertest.Do(t, b, name, chromedp.Navigate(e.srv.URL+path), chromedp.WaitVisible(chromedp.CSS(sel)))
		browsertest.Axe(t, b, name)
	}
	browsertest.Do(t, b, "open sign in", chromedp.Navigate(e.srv.URL+"/sign-in"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "reader@example.org"))
	browsertest.Leave(t, b, "sign in", chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"))
	visit("campaigns list", "/consultations/cqc-2021/campaigns", "main table")
	visit("one campaign", fmt.Sprintf("/consultations/cqc-2021/campaigns/%d", list[0].ID), "main h1")
	visit("one campaign, page 2", fmt.Sprintf("/consultations/cqc-2021/campaigns/%d?page=2", list[0].ID), "main h1")
	visit("one campaign, members with added text", fmt.Sprintf("/consultations/cqc-2021/campaigns/%d?added=1", list[0].ID), "main h1")
	// One repeat merged, so the page shows its Unmerge button too.
	svc := &campaign.Service{Pool: e.pool}
	if reps, err := svc.Repeats(context.Background(), c.ID); err == nil && len(reps) > 0 {
		if err := svc.DecideRepeat(context.Background(), audit.Entry{Actor: "test"}, c.ID, reps[0].ResponseID, "merged"); err != nil {
			t.Fatal(err)
		}
	}
	visit("repeats", "/consultations/cqc-2021/repeats", "main h1")
}

// The with/without toggle changes the overview and results.csv the same
// way, and says which base it uses.
func TestFiguresWithAndWithoutCampaigns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := addCampaigns(t, e, 100)
	list, _, err := (&campaign.Service{Pool: e.pool}).List(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var members int64
	for _, l := range list {
		members += l.Members
	}
	analyst := e.user("analyst@example.org", accounts.Analyst)
	sum := func(csv string) (n int64) {
		for _, line := range strings.Split(strings.TrimSpace(csv), "\n")[1:] {
			f := strings.Split(line, ",")
			if f[0] == "Q1a" {
				var k int64
				fmt.Sscan(f[4], &k)
				n += k
			}
		}
		return n
	}
	_, all := analyst.get("/consultations/cqc-2021/results.csv")
	_, ex := analyst.get("/consultations/cqc-2021/results.csv?campaigns=exclude")
	_, once := analyst.get("/consultations/cqc-2021/results.csv?campaigns=once")
	// Every generated response answers Q1a; the demo's campaigns hold
	// demo responses, most of which answer Q1a too, so compare with bounds.
	if d := sum(all) - sum(ex); d <= 0 || d > members {
		t.Errorf("Q1a answers: %d with campaigns, %d without; %d members", sum(all), sum(ex), members)
	}
	if d := sum(once) - sum(ex); d <= 0 || d > int64(len(list)) {
		t.Errorf("counting each campaign once adds %d, want 1..%d", d, len(list))
	}
	_, body := analyst.get("/consultations/cqc-2021?campaigns=exclude")
	if !strings.Contains(body, "leaving out campaign responses") || !strings.Contains(body, `value="exclude" checked`) || !strings.Contains(body, "not yet confirmed") {
		t.Error("overview does not state the base without campaigns")
	}
	// The breakdown page has the toggle too, and its bases follow it.
	_, cmpAll := analyst.get("/consultations/cqc-2021/questions/Q1a/compare")
	_, cmpEx := analyst.get("/consultations/cqc-2021/questions/Q1a/compare?campaigns=exclude")
	if !strings.Contains(cmpAll, `name="campaigns"`) || !strings.Contains(cmpEx, `value="exclude" checked`) || !strings.Contains(cmpEx, "leaving out campaign responses") {
		t.Error("the breakdown page lacks the campaigns toggle or does not state its base")
	}
	if cmpAll == cmpEx {
		t.Error("the breakdowns are the same with and without campaigns")
	}
	// The report says how many responses came through campaigns.
	_, md := analyst.get("/consultations/cqc-2021/report.md")
	if !strings.Contains(md, "organised campaigns") || !strings.Contains(md, "campaigns=exclude") {
		t.Error("the report does not state the campaign responses")
	}
	// The public may use it too, through small-number protection.
	if res, _ := e.anonymous().get("/consultations/cqc-2021/results.csv?campaigns=nonsense"); res.StatusCode != 400 && res.StatusCode != 401 {
		t.Errorf("a bad campaigns value = %d", res.StatusCode)
	}
}

// A campaign page reads and diffs its members a page at a time, with
// GOV.UK pagination, and lists the members with added text on their own.
func TestCampaignPagePagesMembers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := addCampaigns(t, e, 200)
	list, _, err := (&campaign.Service{Pool: e.pool}).List(context.Background(), c.ID)
	if err != nil || len(list) == 0 || list[0].Members <= 2*campaign.MemberPageSize {
		t.Fatalf("want a campaign of more than two pages: %v %+v", err, list)
	}
	n := list[0].Members
	analyst := e.user("analyst@example.org", accounts.Analyst)
	page := fmt.Sprintf("/consultations/cqc-2021/campaigns/%d", list[0].ID)
	_, body := analyst.get(page)
	if got := strings.Count(body, `name="member"`); got != campaign.MemberPageSize {
		t.Errorf("first page shows %d members, want %d", got, campaign.MemberPageSize)
	}
	if want := fmt.Sprintf("Showing 1–20 of %d members", n); !strings.Contains(body, want) {
		t.Errorf("first page lacks %q", want)
	}
	if !strings.Contains(body, `class="govuk-pagination"`) || !strings.Contains(body, page+"?page=2") {
		t.Error("first page has no pagination to page 2")
	}
	_, body = analyst.get(page + "?page=3")
	if want := fmt.Sprintf("Showing 41–%d of %d members", min(60, n), n); !strings.Contains(body, want) {
		t.Errorf("page 3 lacks %q", want)
	}
	if got := strings.Count(body, `name="member"`); int64(got) != min(20, n-40) {
		t.Errorf("page 3 shows %d members", got)
	}
	// Members with added text, on their own.
	d, err := (&campaign.Service{Pool: e.pool}).Get(context.Background(), c.ID, list[0].ID, 1, true)
	if err != nil || d.WithAdded == 0 || d.WithAdded >= n {
		t.Fatalf("members with added text: %v %d of %d", err, d.WithAdded, n)
	}
	for _, m := range d.Rows {
		if m.Added < campaign.SubstantialAddedWords {
			t.Errorf("%s listed with added text but adds %d words", m.SourceRef, m.Added)
		}
	}
	_, body = analyst.get(page + "?added=1")
	if want := fmt.Sprintf("of %d members with added text", d.WithAdded); !strings.Contains(body, want) {
		t.Errorf("added-text list lacks %q", want)
	}
}

// A webform response is placed in its campaign as it is sent, not at the
// periodic job's next run (no job runs in these tests).
func TestWebformResponseJoinsItsCampaignWhenSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setForm("open", -1, 30)
	c, docs := addCampaigns(t, e, 60)
	var template string
	for _, d := range docs {
		if d.Truth > 0 {
			template = d.Text
			break
		}
	}
	resp := e.anonymous()
	pages := []struct {
		slug   string
		values url.Values
	}{
		{"people-and-communities", url.Values{"q-Q1a": {"fully"}, "q-Q1b": {template}}},
		{"smarter-regulation", url.Values{}},
		{"safety-through-learning", url.Values{}},
		{"accelerating-improvement", url.Values{}},
		{"assessing-systems", url.Values{}},
		{"tackling-inequalities", url.Values{}},
		{"equality-impact", url.Values{}},
		{"about-you", url.Values{"respondent-type": {"individual"}, "group": {"public"}}},
		{"equality", url.Values{}},
		{"publishing", url.Values{"consent": {"no"}}},
	}
	for _, p := range pages {
		if res, body := resp.post(respond+"/"+p.slug, p.values); res.StatusCode != 200 {
			t.Fatalf("saving %s: %d\n%s", p.slug, res.StatusCode, body)
		}
	}
	ref := resp.submit(url.Values{})
	var campaignID int64
	err := e.pool.QueryRow(context.Background(), `SELECT m.campaign_id FROM campaign_members m JOIN responses r ON r.id = m.response_id
		WHERE r.consultation_id = $1 AND r.source_ref = $2 AND NOT m.removed`, c.ID, ref).Scan(&campaignID)
	if err != nil {
		t.Fatalf("response %s is in no campaign right after sending: %v", ref, err)
	}
}
