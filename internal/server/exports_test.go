package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"heard/internal/accounts"
)

func TestResultsWorkbookAndBreakdownFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.user("analyst@example.org", accounts.Analyst)
	res, body := a.get("/consultations/cqc-2021/results.xlsx")
	if res.StatusCode != 200 {
		t.Fatalf("results.xlsx = %d", res.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if sheets[0] != "Summary" || len(sheets) != 22 {
		t.Errorf("sheets = %v", sheets)
	}
	rows, _ := f.GetRows("Q1a")
	text := ""
	for _, r := range rows {
		text += strings.Join(r, "|") + "\n"
	}
	for _, want := range []string{"Answered|618", "Fully or mostly|496|80", "By respondent group", "By What is your ethnic group?", "chi-square"} {
		if !strings.Contains(text, want) {
			t.Errorf("Q1a sheet lacks %q:\n%s", want, text)
		}
	}
	res, body = a.get("/consultations/cqc-2021/questions/Q1a/breakdowns/channel.csv")
	if res.StatusCode != 200 {
		t.Fatalf("channel.csv = %d", res.StatusCode)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || recs[0][0] != "row" || recs[1][0] != "Online webform" {
		t.Errorf("channel.csv = %v, %v", recs, err)
	}
	if res, _ := a.get("/consultations/cqc-2021/questions/Q1a/breakdowns/channel.xlsx"); res.StatusCode != 200 {
		t.Errorf("channel.xlsx = %d", res.StatusCode)
	}
	if res, _ := a.get("/consultations/cqc-2021/questions/Q1a/breakdowns/nope.csv"); res.StatusCode != 404 {
		t.Errorf("unknown breakdown = %d", res.StatusCode)
	}
	// The public's workbook is protected like the pages.
	if _, err := e.pool.Exec(context.Background(), `UPDATE consultations SET results_published = true, suppress_public = 50`); err != nil {
		t.Fatal(err)
	}
	_, body = e.anonymous().get("/consultations/cqc-2021/results.xlsx")
	f, err = excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = f.GetRows("Q1a")
	text = ""
	for _, r := range rows {
		text += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(text, "fewer than 50") {
		t.Errorf("public workbook at threshold 50 withholds nothing:\n%s", text)
	}
}
