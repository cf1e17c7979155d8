package server_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
)

// An anonymous visitor to published results sees small numbers withheld
// on pages and in results.csv, and cannot combine filters.
func TestPublishedResultsWithholdSmallNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.pool.Exec(context.Background(), `UPDATE consultations SET results_published = true, suppress_public = 10`); err != nil {
		t.Fatal(err)
	}
	anon := e.anonymous()

	res, body := anon.get("/consultations/cqc-2021/results.csv")
	if res.StatusCode != 200 {
		t.Fatalf("results.csv for anonymous = %d", res.StatusCode)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, r := range recs[1:] {
		if r[5] == "true" {
			suppressed++
			if r[4] != "" {
				t.Errorf("suppressed row %v shows a count", r)
			}
		} else if r[4] != "0" && len(r[4]) == 1 {
			t.Errorf("row %v shows a count below 10", r)
		}
	}
	if suppressed == 0 {
		t.Error("results.csv for the public suppresses nothing, though the demo has small cells")
	}

	res, body = anon.get("/consultations/cqc-2021?group=cqc-teams&channel=email")
	if res.StatusCode != 400 || !strings.Contains(body, "not both at once") {
		t.Errorf("combined filter for anonymous = %d", res.StatusCode)
	}
	withheld := 0
	for _, g := range []string{"public", "providers", "cqc-teams", "other"} {
		_, body = anon.get("/consultations/cqc-2021/questions/Q6a?group=" + g)
		if strings.Contains(body, "fewer than 10") || strings.Contains(body, "withheld") || strings.Contains(body, "are not shown") {
			withheld++
		}
	}
	if withheld == 0 {
		t.Error("no group's Q6a page withholds anything from the public")
	}
}
