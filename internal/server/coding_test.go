package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// firstResponse finds the response id the coding screen shows after a
// redirect to /coding/{id}.
var codingPath = regexp.MustCompile(`/coding/(\d+)$`)

func TestCodingOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ann := e.user("ann@example.org", accounts.Analyst)
	bob := e.user("bob@example.org", accounts.Analyst)
	viewer := e.user("viewer@example.org", accounts.Viewer)
	const frame = "/consultations/cqc-2021/codeframes/questions/Q1b"

	res, body := ann.post(frame, url.Values{"name": {"Raising public awareness of CQC"}, "code": {"AW"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Code added") {
		t.Fatalf("add code = %d", res.StatusCode)
	}
	res, body = ann.post(frame, url.Values{"name": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter a name for the code") || !strings.Contains(body, "<title>Error:") {
		t.Fatalf("empty name = %d", res.StatusCode)
	}
	res, _ = ann.get(frame + "/codeframe.csv")
	if res.StatusCode != 200 {
		t.Fatalf("export = %d", res.StatusCode)
	}
	var awID string
	e.pool.QueryRow(context.Background(), `SELECT id::text FROM codes WHERE code = 'AW'`).Scan(&awID)

	// Next uncoded opens the first answer; saving with the code moves on.
	res, body = ann.get("/consultations/cqc-2021/questions/Q1b/coding/next")
	m := codingPath.FindStringSubmatch(res.Request.URL.Path)
	if res.StatusCode != 200 || m == nil || !strings.Contains(body, `accesskey="1"`) {
		t.Fatalf("next uncoded = %d at %s", res.StatusCode, res.Request.URL)
	}
	first := m[1]
	page := "/consultations/cqc-2021/questions/Q1b/coding/" + first
	res, _ = ann.post(page, url.Values{"version": {"0"}, "code": {awID}, "position-" + awID: {"supports"}, "next": {"yes"}})
	if m := codingPath.FindStringSubmatch(res.Request.URL.Path); m == nil || m[1] == first {
		t.Fatalf("save and next went to %s", res.Request.URL)
	}
	// Bob opened the first answer at version 0 too: refused, told by whom.
	res, body = bob.post(page, url.Values{"version": {"0"}, "no_code": {"yes"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "ann@example.org changed this answer") {
		t.Fatalf("stale save = %d", res.StatusCode)
	}
	// The history shows ann's coding; the audit log has it.
	_, body = ann.get(page)
	if !strings.Contains(body, "Applied “Raising public awareness of CQC” (supports)") {
		t.Error("history does not show the coding")
	}
	// Who coded how many: on the question's coding page and the progress
	// page (not on the overview, which shows "% coded" only).
	_, body = ann.get("/consultations/cqc-2021/questions/Q1b/coding")
	if !regexp.MustCompile(`<td class="govuk-table__cell">ann@example.org</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">1</td>`).MatchString(body) {
		t.Error("the coding page does not say ann coded 1 answer")
	}
	_, body = ann.get("/consultations/cqc-2021/coding")
	if !strings.Contains(body, "ann@example.org 1") || strings.Contains(body, "bob@example.org") {
		t.Error("the progress page does not say ann coded 1 answer")
	}
	var audits int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'coding_saved'`).Scan(&audits)
	if audits != 1 {
		t.Errorf("coding_saved audit entries = %d, want 1", audits)
	}
	// A quote flag without consent is refused with the reason.
	var letter string
	e.pool.QueryRow(context.Background(), `SELECT a.response_id::text FROM answers a JOIN responses r ON r.id = a.response_id JOIN questions q ON q.id = a.question_id
		WHERE q.code = 'Q1b' AND a.text IS NOT NULL AND r.channel <> 'webform' LIMIT 1`).Scan(&letter)
	res, body = ann.post("/consultations/cqc-2021/questions/Q1b/coding/"+letter, url.Values{"version": {"0"}, "quote_worthy": {"yes"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot be flagged quote-worthy") {
		t.Errorf("quote without consent = %d", res.StatusCode)
	}

	// Code counts: on the question page and in codes.csv, for viewers
	// too, but a count of 1 is below their threshold (5): withheld.
	_, body = viewer.get("/consultations/cqc-2021/questions/Q1b")
	if !strings.Contains(body, "Codes given to answers to Q1b") || !strings.Contains(body, "Raising public awareness of CQC") || !strings.Contains(body, "fewer than 5") {
		t.Error("viewers must see code counts on the question page, small ones withheld")
	}
	res, body = viewer.get("/consultations/cqc-2021/codes.csv")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if res.StatusCode != 200 || lines[0] != "question,code,parent_code,position,respondent_group,channel,count,suppressed" ||
		!strings.Contains(body, "\nQ1b,AW,,supports,") || strings.Contains(body, ",1,false") || !strings.Contains(body, ",,true") {
		t.Errorf("viewer codes.csv = %d:\n%s", res.StatusCode, body)
	}
	// Analysts see the exact count.
	_, body = ann.get("/consultations/cqc-2021/codes.csv")
	lines = strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "Q1b,AW,,supports,") || !strings.HasSuffix(lines[1], ",1,false") {
		t.Errorf("analyst codes.csv:\n%s", body)
	}
	// ...but never individual answers.
	for _, p := range []string{page, "/consultations/cqc-2021/questions/Q1b/coding", "/consultations/cqc-2021/questions/Q1b/quotes", frame} {
		if res, _ := viewer.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer GET %s = %d, want 403", p, res.StatusCode)
		}
	}
}

func TestCodeManyAnswersAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ann := e.user("ann@example.org", accounts.Analyst)
	ann.post("/consultations/cqc-2021/codeframes/questions/Q1b", url.Values{"name": {"Digital exclusion"}, "code": {"DIG"}})
	var code string
	var ids []string
	e.pool.QueryRow(context.Background(), `SELECT id::text FROM codes WHERE code = 'DIG'`).Scan(&code)
	rows, _ := e.pool.Query(context.Background(), `SELECT a.response_id::text FROM answers a JOIN questions q ON q.id = a.question_id WHERE q.code = 'Q1b' AND a.text IS NOT NULL ORDER BY 1 LIMIT 3`)
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	res, body := ann.post("/consultations/cqc-2021/questions/Q1b/coding", url.Values{"response": ids, "code": {code}, "position": {"opposes"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Code applied to 3 answers") {
		t.Fatalf("bulk apply = %d", res.StatusCode)
	}
	_, body = ann.get("/consultations/cqc-2021/questions/Q1b/coding?show=" + code)
	if n := strings.Count(body, `name="response"`); n != 3 {
		t.Errorf("the list filtered by the code shows %d answers, want 3", n)
	}
	res, body = ann.post("/consultations/cqc-2021/questions/Q1b/coding", url.Values{"code": {code}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Select at least one answer") {
		t.Errorf("bulk with nothing selected = %d", res.StatusCode)
	}
}

// A part of a letter about a theme is coded with the theme's codeframe
// and counted apart from answers.
func TestCodeALetterSegment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	mail := "From: Sam <sam@example.org>\r\nSubject: My views\r\nDate: Wed, 3 Feb 2021 09:30:00 +0000\r\nMessage-ID: <sam@example.org>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nSmarter regulation\r\n\r\nI worry that inspectors will spend less time on site.\r\n\r\nKind regards\r\n"
	res, _ := admin.upload("/admin"+importsPath, "sam.eml", []byte(mail), map[string]string{"group": "public"})
	admin.post(res.Request.URL.Path+"/confirm", nil)
	ctx := context.Background()
	var seg string
	// Attribute Sam's section to its theme only, as an analyst may.
	err := e.pool.QueryRow(ctx, `UPDATE segments s SET question_id = NULL, theme_id = t.id FROM themes t
		WHERE t.slug = 'smarter-regulation' AND s.id = (
			SELECT min(sg.id) FROM segments sg JOIN response_sources src ON src.response_id = sg.response_id
			WHERE src.sender_address = 'sam@example.org' AND (sg.question_id IS NOT NULL OR sg.theme_id IS NOT NULL))
		RETURNING s.id::text`).Scan(&seg)
	if err != nil {
		t.Fatal(err)
	}
	const frame = "/consultations/cqc-2021/codeframes/themes/smarter-regulation"
	admin.post(frame, url.Values{"name": {"Less time on site"}, "code": {"ONSITE"}})
	var code string
	e.pool.QueryRow(ctx, `SELECT id::text FROM codes WHERE code = 'ONSITE'`).Scan(&code)
	// Nothing is coded yet: the next part is the theme's first part (the
	// demo's letters have theme parts of their own before Sam's).
	var first, firstText string
	if err := e.pool.QueryRow(ctx, `SELECT s.id::text, substring(src.full_text FROM s.start_offset + 1 FOR s.end_offset - s.start_offset)
		FROM segments s JOIN themes t ON t.id = s.theme_id AND t.slug = 'smarter-regulation'
		JOIN response_sources src ON src.response_id = s.response_id
		WHERE s.question_id IS NULL ORDER BY s.id LIMIT 1`).Scan(&first, &firstText); err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(firstText)
	if len(words) == 0 {
		t.Fatalf("segment %s has no text", first)
	}
	res, body := admin.get("/consultations/cqc-2021/themes/smarter-regulation/coding/next")
	if res.StatusCode != 200 || !strings.HasSuffix(res.Request.URL.Path, "/segments/"+first+"/coding") ||
		!strings.Contains(doc(t, body).Find("main").Text(), words[len(words)-1]) {
		t.Fatalf("next uncoded part = %d at %s, want segment %s", res.StatusCode, res.Request.URL, first)
	}
	res, body = admin.get("/consultations/cqc-2021/segments/" + seg + "/coding")
	if res.StatusCode != 200 || !strings.Contains(body, "less time on site") {
		t.Fatalf("Sam's part's coding screen = %d", res.StatusCode)
	}
	res, body = admin.post("/consultations/cqc-2021/segments/"+seg+"/coding", url.Values{"version": {"0"}, "code": {code}, "excerpt-" + code: {"less time on site"}, "next": {"no"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Coding saved") || !strings.Contains(body, "to “less time on site”") {
		t.Fatalf("save = %d", res.StatusCode)
	}
	_, csv := admin.get("/consultations/cqc-2021/codes.csv")
	if !strings.Contains(csv, "theme:smarter-regulation,ONSITE,,,public,email,1,false") {
		t.Errorf("codes.csv lacks the segment's code:\n%s", csv)
	}
	_, body = admin.get("/consultations/cqc-2021/coding")
	// Of every part of a letter about the theme (the demo's included).
	var parts int
	e.pool.QueryRow(ctx, `SELECT count(*) FROM segments s JOIN themes t ON t.id = s.theme_id AND t.slug = 'smarter-regulation'`).Scan(&parts)
	if want := fmt.Sprintf("1 of %d parts of letters", parts); !strings.Contains(body, want) {
		t.Errorf("progress lacks the theme's %q", want)
	}
}

// Every answer shown in the coding lists links to its whole response:
// the list for coding many at once, the coding screen, the quotes.
func TestCodingListsLinkToResponses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ann := e.user("ann@example.org", accounts.Analyst)
	ctx := context.Background()
	var quotable string
	if err := e.pool.QueryRow(ctx, `SELECT a.response_id::text FROM answers a JOIN questions q ON q.id = a.question_id
		JOIN responses r ON r.id = a.response_id
		JOIN webform_drafts d ON d.consultation_id = r.consultation_id AND d.reference = r.source_ref
		WHERE q.code = 'Q1b' AND a.text IS NOT NULL AND d.publication_consent = 'yes' ORDER BY 1 LIMIT 1`).Scan(&quotable); err != nil {
		t.Fatal(err)
	}
	link := func(id string) string { return `href="/consultations/cqc-2021/responses/` + id + `"` }

	_, body := ann.get("/consultations/cqc-2021/questions/Q1b/coding")
	m := regexp.MustCompile(`name="response" type="checkbox" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(m) == 0 {
		t.Fatal("the list for coding many at once shows no answers")
	}
	for _, id := range m {
		if !strings.Contains(body, link(id[1])) {
			t.Errorf("answer %s in the list for coding many at once has no link to its response", id[1])
		}
	}
	page := "/consultations/cqc-2021/questions/Q1b/coding/" + quotable
	if _, body = ann.get(page); !strings.Contains(body, link(quotable)) {
		t.Error("the coding screen does not link to the whole response")
	}
	if res, _ := ann.post(page, url.Values{"version": {"0"}, "quote_worthy": {"yes"}, "no_code": {"yes"}}); res.StatusCode != 200 {
		t.Fatalf("flag quote = %d", res.StatusCode)
	}
	if _, body = ann.get("/consultations/cqc-2021/questions/Q1b/quotes"); !strings.Contains(body, link(quotable)) {
		t.Error("the quotes list does not link the quote to its response")
	}
}
