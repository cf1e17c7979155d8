package server_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"heard/internal/accounts"
	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/personal"
)

var addedPath = regexp.MustCompile(`^/consultations/cqc-2021/added/(\d+)/coding$`)

// codeTotal is a code's count through the one aggregation path, with
// the recount from the current codes checked against it.
func codeTotal(t *testing.T, e *env, c *consultation.Consultation, codeID int32) int64 {
	t.Helper()
	svc := &coding.Service{Pool: e.pool}
	counts, err := svc.Counts(context.Background(), c.ID, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := svc.Recount(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var n, r int64
	for _, x := range counts {
		if x.CodeID == codeID {
			n += x.N
		}
	}
	for _, x := range recount {
		if x.CodeID == codeID {
			r += x.N
		}
	}
	if n != r {
		t.Errorf("code %d: summary %d, recount %d", codeID, n, r)
	}
	return n
}

// actorOf is the user with that email, acting.
func actorOf(t *testing.T, e *env, email string) accounts.Actor {
	t.Helper()
	u := &accounts.User{Email: email}
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE email = $1`, email).Scan(&u.ID); err != nil {
		t.Fatal(err)
	}
	return accounts.Actor{User: u}
}

// mergeRepeat merges response rid into another response as an analyst
// does on the repeats page (a suggested repeat, then "merge"); undo
// sends it back to "suggested" (unmerged, counted again).
func mergeRepeat(t *testing.T, e *env, analyst *client, c *consultation.Consultation, rid int64, status string) {
	t.Helper()
	if _, err := e.pool.Exec(context.Background(), `INSERT INTO response_repeats (consultation_id, response_id, repeat_of, similarity)
		SELECT $1, $2, (SELECT min(id) FROM responses WHERE consultation_id = $1 AND id <> $2), 1
		ON CONFLICT (response_id) DO NOTHING`, c.ID, rid); err != nil {
		t.Fatal(err)
	}
	if res, _ := analyst.post(fmt.Sprintf("/consultations/cqc-2021/repeats/%d", rid), url.Values{"status": {status}}); res.StatusCode != 200 {
		t.Fatalf("repeat %d %s: %d", rid, status, res.StatusCode)
	}
}

// An analyst codes a campaign member's added text from the campaign's
// list of members with added text, on the ordinary coding screen; its
// codes count with the chosen question's codes, once per response
// (not again when the member's own answer has the code), not for a
// merged repeat, and its history and audit say it was the added text.
func TestAnalystCodesCampaignAddedText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c, _ := addCampaigns(t, e, 120)
	analyst := e.user("analyst@example.org", accounts.Analyst)
	svc := &campaign.Service{Pool: e.pool}
	list, _, err := svc.List(ctx, c.ID)
	if err != nil || len(list) == 0 {
		t.Fatalf("no campaigns: %v", err)
	}
	page := fmt.Sprintf("/consultations/cqc-2021/campaigns/%d", list[0].ID)
	d, err := svc.Get(ctx, c.ID, list[0].ID, 1, true)
	if err != nil || len(d.Rows) < 2 {
		t.Fatalf("members with added text: %v %+v", err, d)
	}
	member, other := d.Rows[0], d.Rows[1]
	q1b := c.Question("Q1b")

	// A code in Q1b's codeframe.
	cs := &coding.Service{Pool: e.pool}
	code, err := cs.AddCode(ctx, actorOf(t, e, "analyst@example.org"), c.ID, coding.Frame{QuestionID: q1b.ID}, coding.CodeInput{Name: "Local clinic closures", Key: "LCC"})
	if err != nil {
		t.Fatal(err)
	}

	// Before a codeframe is chosen, the added text cannot be opened.
	res, body := analyst.post(page+"/added", url.Values{"response": {fmt.Sprint(member.ResponseID)}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Choose the question whose codeframe codes this campaign") {
		t.Fatalf("open before choosing a codeframe: %d", res.StatusCode)
	}
	res, body = analyst.post(page+"/codeframe", url.Values{"added-question": {fmt.Sprint(q1b.ID)}})
	if res.StatusCode != 200 || !strings.Contains(body, "Coded with the codeframe of Q1b") {
		t.Fatalf("choose codeframe: %d", res.StatusCode)
	}
	// The list of members with added text offers each one for coding.
	if !strings.Contains(body, `formaction="`+page+`/added"`) || !strings.Contains(body, fmt.Sprintf(`name="response" value="%d"`, member.ResponseID)) {
		t.Fatal("the members with added text are not offered for coding")
	}
	res, body = analyst.post(page+"/added", url.Values{"response": {fmt.Sprint(member.ResponseID)}})
	m := addedPath.FindStringSubmatch(res.Request.URL.Path)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("open added text: %d at %s", res.StatusCode, res.Request.URL)
	}
	screen := res.Request.URL.Path
	added := campaign.AddedText(d.CanonicalText, member.Text)
	if added == "" || !strings.Contains(body, "<h2 class=\"govuk-heading-m\">Added text</h2>") || !strings.Contains(body, `accesskey="1"`) {
		t.Fatalf("coding screen for the added text lacks the text or the codes")
	}
	if first := strings.Fields(added)[0]; !strings.Contains(body, first) {
		t.Errorf("coding screen lacks the added words %q", first)
	}

	// Applied to the added text, the code counts.
	id := fmt.Sprint(code.ID)
	before := codeTotal(t, e, c, code.ID)
	res, body = analyst.post(screen, url.Values{"version": {"0"}, "code": {id}, "position-" + id: {"opposes"}, "next": {"yes"}})
	if res.StatusCode != 200 {
		t.Fatalf("save added-text coding: %d %s", res.StatusCode, body)
	}
	// Save and next opened another member's added text.
	if n := addedPath.FindStringSubmatch(res.Request.URL.Path); n == nil || res.Request.URL.Path == screen {
		t.Errorf("save and next went to %s", res.Request.URL)
	}
	if got := codeTotal(t, e, c, code.ID); got != before+1 {
		t.Fatalf("after coding the added text: %d, want %d", got, before+1)
	}
	// The campaign's list shows it coded.
	_, body = analyst.get(page + "?added=1")
	if !strings.Contains(body, "Added texts coded so far: 1.") || !strings.Contains(body, "Coded: change") {
		t.Errorf("campaign page does not show the added text coded")
	}
	// History and provenance say it was the added text.
	_, body = analyst.get(screen)
	if !strings.Contains(body, "Applied “Local clinic closures” (opposes)") {
		t.Error("history does not show the coding")
	}
	// The response page shows the added text apart from the answers,
	// with its own codes.
	_, body = analyst.get(fmt.Sprintf("/consultations/cqc-2021/responses/%d", member.ResponseID))
	if i := strings.Index(body, ">Added text</h2>"); i < 0 || !strings.Contains(body[i:], "Codes: LCC: Local clinic closures (opposes)") {
		t.Error("the response page does not show the added text with its codes")
	}
	var events int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM coding_events WHERE added_id = $1 AND action = 'apply'`, m[1]).Scan(&events)
	var audited int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'coding_saved' AND detail ->> 'added_text_id' = $1`, m[1]).Scan(&audited)
	if events != 1 || audited != 1 {
		t.Errorf("events on the added text %d, audit entries naming it %d; want 1 and 1", events, audited)
	}

	// Once per response: the member's own answer gets the same code, and
	// the count does not move; taking it off the answer leaves the added
	// text's code counted.
	ans := coding.Unit{ResponseID: member.ResponseID, QuestionID: q1b.ID}
	st, err := cs.Save(ctx, actorOf(t, e, "analyst@example.org"), c.ID, coding.Change{Unit: ans, Codes: []coding.Applied{{CodeID: code.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codeTotal(t, e, c, code.ID); got != before+1 {
		t.Errorf("answer and added text both coded: %d, want %d (once per response)", got, before+1)
	}
	if _, err := cs.Save(ctx, actorOf(t, e, "analyst@example.org"), c.ID, coding.Change{Unit: ans, Version: st.Version, NoCode: true}); err != nil {
		t.Fatal(err)
	}
	if got := codeTotal(t, e, c, code.ID); got != before+1 {
		t.Errorf("code taken off the answer: %d, want %d", got, before+1)
	}
	// Another member's answer with the code counts as well.
	if _, err := cs.Save(ctx, actorOf(t, e, "analyst@example.org"), c.ID, coding.Change{Unit: coding.Unit{ResponseID: other.ResponseID, QuestionID: q1b.ID}, Codes: []coding.Applied{{CodeID: code.ID}}}); err != nil {
		t.Fatal(err)
	}
	if got := codeTotal(t, e, c, code.ID); got != before+2 {
		t.Errorf("another response coded: %d, want %d", got, before+2)
	}

	// A merged repeat's added text counts nowhere; unmerged, it counts again.
	mergeRepeat(t, e, analyst, c, member.ResponseID, "merged")
	if got := codeTotal(t, e, c, code.ID); got != before+1 {
		t.Errorf("member merged away: %d, want %d", got, before+1)
	}
	mergeRepeat(t, e, analyst, c, member.ResponseID, "suggested")
	if got := codeTotal(t, e, c, code.ID); got != before+2 {
		t.Errorf("member unmerged: %d, want %d", got, before+2)
	}

	// Merging the code into another moves the added text's coding too,
	// through events on the added text, and the counts follow.
	into, err := cs.AddCode(ctx, actorOf(t, e, "analyst@example.org"), c.ID, coding.Frame{QuestionID: q1b.ID}, coding.CodeInput{Name: "Clinics", Key: "CL"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.MergeCode(ctx, actorOf(t, e, "analyst@example.org"), c.ID, code.ID, into.ID); err != nil {
		t.Fatal(err)
	}
	if got, was := codeTotal(t, e, c, into.ID), codeTotal(t, e, c, code.ID); got != before+2 || was != 0 {
		t.Errorf("after merging codes: %d on the target, %d left; want %d and 0", got, was, before+2)
	}
	_, body = analyst.get(screen)
	if !strings.Contains(body, "Applied “Clinics” (opposes) (codes merged)") {
		t.Error("the added text's history does not show the merge")
	}

	// Erased under consent, the member counts nowhere: not its answer's
	// code, not its added text's, and its added text is [erased].
	if _, err := e.pool.Exec(ctx, `UPDATE consultations SET lawful_basis = 'consent' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	a := actorOf(t, e, "analyst@example.org")
	if _, err := (&personal.Service{Pool: e.pool}).Erase(ctx, personal.Actor{UserID: a.User.ID, Email: a.User.Email}, c.ID, member.ResponseID); err != nil {
		t.Fatal(err)
	}
	if got := codeTotal(t, e, c, into.ID); got != before+1 {
		t.Errorf("member erased under consent: %d, want %d", got, before+1)
	}
	var stored string
	e.pool.QueryRow(ctx, `SELECT text FROM added_texts WHERE response_id = $1`, member.ResponseID).Scan(&stored)
	if stored != "[erased]" {
		t.Errorf("erased member's added text is %q", stored)
	}

	// The code counts on the question page, with the answers' codes.
	_, body = analyst.get("/consultations/cqc-2021/questions/Q1b")
	if !strings.Contains(body, "Clinics") {
		t.Error("question page does not show the code")
	}
	// A viewer cannot open the added text.
	viewer := e.user("viewer@example.org", accounts.Viewer)
	if res, _ := viewer.get(screen); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer opened the added text: %d", res.StatusCode)
	}
}

// A merged repeat leaves the coding progress figures: "coded" is
// counted over the same responses as the answers it is a share of.
func TestMergedRepeatLeavesCodingProgress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	analyst := e.user("analyst@example.org", accounts.Analyst)
	q1b := c.Question("Q1b")
	var rid int64
	if err := e.pool.QueryRow(ctx, `SELECT a.response_id FROM answers a WHERE a.question_id = $1 AND a.text IS NOT NULL ORDER BY a.response_id DESC LIMIT 1`, q1b.ID).Scan(&rid); err != nil {
		t.Fatal(err)
	}
	cs := &coding.Service{Pool: e.pool}
	if _, err := cs.Save(ctx, actorOf(t, e, "analyst@example.org"), c.ID, coding.Change{Unit: coding.Unit{ResponseID: rid, QuestionID: q1b.ID}, NoCode: true}); err != nil {
		t.Fatal(err)
	}
	progress := regexp.MustCompile(`([\d,]+) of ([\d,]+) answers coded`)
	read := func() (string, string, int64) {
		t.Helper()
		_, body := analyst.get("/consultations/cqc-2021/questions/Q1b/coding")
		m := progress.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("coding page has no progress line")
		}
		p, err := cs.Progress(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return m[1], m[2], p.ByQuestion[q1b.ID]
	}
	coded, of, byQ := read()
	if coded != "1" || byQ != 1 {
		t.Fatalf("before merging: %s of %s coded (progress %d), want 1", coded, of, byQ)
	}
	mergeRepeat(t, e, analyst, c, rid, "merged")
	coded2, of2, byQ2 := read()
	if coded2 != "0" || byQ2 != 0 || of2 == of {
		t.Errorf("merged repeat: %s of %s coded (progress %d), want 0 of one fewer than %s", coded2, of2, byQ2, of)
	}
	if n, err := cs.CodedAnswers(ctx, c.ID, q1b.ID); err != nil || n != 0 {
		t.Errorf("coded answers of Q1b after merging: %d %v", n, err)
	}
	mergeRepeat(t, e, analyst, c, rid, "suggested")
	if coded3, of3, _ := read(); coded3 != "1" || of3 != of {
		t.Errorf("unmerged: %s of %s coded, want 1 of %s", coded3, of3, of)
	}
}

// The response export keeps a merged repeat (nothing is deleted) but
// marks it: merged_into, a new last column in CSV and XLSX (the earlier
// columns are unchanged) and a field in JSON, holds the id of the
// response it was merged into, and is empty on every counted response.
func TestResponseExportMarksMergedRepeats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c, err := e.app.Consultations.Get(ctx, "cqc-2021")
	if err != nil {
		t.Fatal(err)
	}
	analyst := e.user("analyst@example.org", accounts.Analyst)
	var rid, total int64
	e.pool.QueryRow(ctx, `SELECT max(id), count(*) FROM responses WHERE consultation_id = $1`, c.ID).Scan(&rid, &total)
	mergeRepeat(t, e, analyst, c, rid, "merged")
	var into int64
	if err := e.pool.QueryRow(ctx, `SELECT merged_into FROM responses WHERE id = $1`, rid).Scan(&into); err != nil || into == 0 {
		t.Fatalf("not merged: %v", err)
	}

	_, body := analyst.get("/consultations/cqc-2021/export/responses.csv")
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	public := []string{"personal_data", "id", "channel", "respondent_group", "suggested_group", "on_behalf_of_organisation", "organisation",
		"received_at", "source_ref", "batch_id", "sender_name", "sender_address", "subject", "attachments", "publication_consent"}
	if !slices.Equal(header[:len(public)], public) || header[len(header)-2] != "segments" || header[len(header)-1] != "merged_into" {
		t.Fatalf("header %q", header)
	}
	if int64(len(recs)-1) != total {
		t.Errorf("%d rows, want every one of the %d responses", len(recs)-1, total)
	}
	marked := 0
	for _, r := range recs[1:] {
		last := r[len(r)-1]
		switch {
		case r[1] == fmt.Sprint(rid) && last == fmt.Sprint(into):
			marked++
		case last != "":
			t.Errorf("response %s marked merged into %q", r[1], last)
		}
	}
	if marked != 1 {
		t.Errorf("the merged repeat is marked %d times, want 1", marked)
	}

	_, body = analyst.get("/consultations/cqc-2021/export/responses.xlsx")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil || rows[0][len(rows[0])-1] != "merged_into" || len(rows[0]) != len(header) {
		t.Errorf("xlsx header %q (%v)", rows[0], err)
	}
	_, body = analyst.get("/consultations/cqc-2021/export/responses.json")
	if !strings.Contains(body, fmt.Sprintf(`"merged_into":%d`, into)) || strings.Count(body, `"merged_into":`) != 1 {
		t.Error("the JSON does not mark the merged repeat once")
	}
}
