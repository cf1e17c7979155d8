package results

import "testing"

func TestBreakdownRecordsAreFormulaSafe(t *testing.T) {
	b := Breakdown{
		Options: []Share{{Label: "Fully"}, {Label: "@Mostly"}},
		Rows: []BreakdownRow{
			{Label: "=HYPERLINK(\"http://x\")", Base: 12, Cells: []Share{{N: 10, Percent: 83}, {Withheld: "fewer than 10"}}},
			{Label: "+Tiny", BaseWithheld: "fewer than 10"},
		},
	}
	recs := b.Records()
	if recs[0][4] != "'@Mostly (count)" {
		t.Errorf("header = %q", recs[0])
	}
	if recs[1][0] != "'=HYPERLINK(\"http://x\")" || recs[1][2] != "10" || recs[1][4] != "fewer than 10" {
		t.Errorf("row = %q", recs[1])
	}
	if recs[2][0] != "'+Tiny" || recs[2][1] != "fewer than 10" || len(recs[2]) != 6 {
		t.Errorf("withheld row = %q", recs[2])
	}
}
