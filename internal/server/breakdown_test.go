package server_test

import (
	"strings"
	"testing"

	"heard/internal/accounts"
)

func TestQuestionPageComparesGroups(t *testing.T) {
	t.Parallel()
	a := newEnv(t).user("analyst@example.org", accounts.Analyst)
	res, body := a.get("/consultations/cqc-2021/questions/Q1a")
	if res.StatusCode != 200 {
		t.Fatalf("Q1a = %d", res.StatusCode)
	}
	for _, want := range []string{"Compare groups", "By respondent group", "By channel", "n = ", `role="img"`, "/questions/Q1a/compare", "/questions/Q1a/breakdowns/group.csv"} {
		if !strings.Contains(body, want) {
			t.Errorf("Q1a page lacks %q", want)
		}
	}
	if !strings.Contains(body, "statistically significant") && !strings.Contains(body, "Too few answers to test") {
		t.Error("Q1a page states no test result")
	}
	res, body = a.get("/consultations/cqc-2021/questions/Q1a/compare")
	if res.StatusCode != 200 {
		t.Fatalf("Q1a compare = %d", res.StatusCode)
	}
	for _, want := range []string{"Organisations and individuals", "By What is your age?", "By What is your ethnic group?", "n = "} {
		if !strings.Contains(body, want) {
			t.Errorf("Q1a compare page lacks %q", want)
		}
	}
	_, body = a.get("/consultations/cqc-2021/questions/Q1a?channel=letter")
	if !strings.Contains(body, "No one who matches these filters answered this question") {
		t.Error("an empty result is not said in words")
	}
}

// Analysts combine any filters; the page says which and counts only
// those responses. Viewers may not combine them.
func TestAnalystsCombineFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.user("analyst@example.org", accounts.Analyst)
	res, body := a.get("/consultations/cqc-2021/questions/Q1a?answer=Q1a:not-at-all&respondent=individual")
	if res.StatusCode != 200 {
		t.Fatalf("filtered Q1a = %d", res.StatusCode)
	}
	for _, want := range []string{"individuals only", "who answered “Not at all” to Q1a", "Received from", `value="Q1a:not-at-all" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("filtered page lacks %q", want)
		}
	}
	v := e.user("viewer@example.org", accounts.Viewer)
	if res, _ := v.get("/consultations/cqc-2021/questions/Q1a?answer=Q1a:not-at-all"); res.StatusCode != 400 {
		t.Errorf("viewer with an answer filter = %d, want 400", res.StatusCode)
	}
}
