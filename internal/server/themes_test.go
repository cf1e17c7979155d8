package server_test

import (
	"context"
	"strings"
	"testing"

	"heard/internal/accounts"
)

func TestThemeDashboardAndOverviewByTheme(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.user("viewer@example.org", accounts.Viewer)
	res, body := v.get("/consultations/cqc-2021/themes/people-and-communities")
	if res.StatusCode != 200 {
		t.Fatalf("theme page = %d", res.StatusCode)
	}
	for _, want := range []string{"People and communities", "618 answered; 496 fully or mostly (80%)", "Q1b", "653", "Emails and letters"} {
		if !strings.Contains(body, want) {
			t.Errorf("theme page lacks %q", want)
		}
	}
	if res, _ := v.get("/consultations/cqc-2021/themes/no-such-theme"); res.StatusCode != 404 {
		t.Errorf("unknown theme = %d", res.StatusCode)
	}
	_, body = v.get("/consultations/cqc-2021")
	for _, want := range []string{"Responses over time", "Responses per day as a table", "Support across themes", "Themes and questions", "/consultations/cqc-2021/themes/smarter-regulation", "People and communities (Q1a)"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
}

// Once coding begins, the theme page and the report show its main codes;
// the public sees small code counts withheld.
func TestThemeCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.pool.Exec(ctx, `
		WITH q AS (SELECT id, consultation_id FROM questions WHERE code = 'Q1b'),
		     c AS (INSERT INTO codes (consultation_id, question_id, code, name, position)
		           SELECT consultation_id, id, x.code, x.name, x.pos FROM q,
		           (VALUES ('staff', 'The need to use the views of staff', 1), ('site', 'Less time spent on site', 2)) AS x(code, name, pos)
		           RETURNING id, code, question_id, consultation_id)
		INSERT INTO unit_codes (consultation_id, response_id, question_id, code_id, channel, respondent_group_id, event_id)
		SELECT a.consultation_id, a.response_id, a.question_id, c.id, a.channel, a.respondent_group_id, 0
		FROM c JOIN LATERAL (SELECT * FROM answers WHERE question_id = c.question_id ORDER BY response_id
		                     LIMIT CASE c.code WHEN 'staff' THEN 40 ELSE 3 END) a ON true`)
	if err != nil {
		t.Fatal(err)
	}
	a := e.user("analyst@example.org", accounts.Analyst)
	_, body := a.get("/consultations/cqc-2021/themes/people-and-communities")
	for _, want := range []string{"Codes given to answers to Q1b", "The need to use the views of staff", "40", "Less time spent on site"} {
		if !strings.Contains(body, want) {
			t.Errorf("theme page lacks %q", want)
		}
	}
	_, body = a.get("/consultations/cqc-2021/report.md")
	if !strings.Contains(body, "The need to use the views of staff (40); Less time spent on site (3)") {
		t.Error("report lacks the codes with counts")
	}
	if _, err := e.pool.Exec(ctx, `UPDATE consultations SET results_published = true`); err != nil {
		t.Fatal(err)
	}
	_, body = e.anonymous().get("/consultations/cqc-2021/themes/people-and-communities")
	if !strings.Contains(body, "fewer than 10") || strings.Contains(body, ">3<") {
		t.Error("the public sees a small code count")
	}
}
