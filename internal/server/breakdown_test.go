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
	for _, want := range []string{"Compare groups", "By respondent group", "By channel", "Organisations and individuals", "What is your age?", "n = ", "chi-square", `role="img"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Q1a page lacks %q", want)
		}
	}
	_, body = a.get("/consultations/cqc-2021/questions/Q1a?channel=letter")
	if !strings.Contains(body, "No one who matches these filters answered this question") {
		t.Error("an empty result is not said in words")
	}
}
