package server_test

import (
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
	for _, want := range []string{"Support across themes", "Themes and questions", "/consultations/cqc-2021/themes/smarter-regulation", "People and communities (Q1a)"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
}
