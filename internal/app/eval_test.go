package app

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"heard/internal/autocode"
	"heard/internal/demo"
)

// heard eval runs without a database or the themefinder folder and
// prints per-code and overall F1 with intervals and a learning curve.
func TestEvalPrintsTables(t *testing.T) {
	var out, errb bytes.Buffer
	getenv := func(string) string { return "" }
	code := Run(context.Background(), []string{"eval", "-train", "60", "-test", "30", "-fresh", "30", "-third", "30", "-fourth", "30", "-themefinder", t.TempDir() + "/absent"}, getenv, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"CQC Q1b", "Q1b C-DIGITAL", "overall (micro)", "95% CI", "learning curve", "CQC, all 7 questions: micro F1", "CQC fresh Q1b", "CQC second held-out set, all 7 questions: micro F1", "CQC third Q1b", "CQC third held-out set, all 7 questions: micro F1", "CQC fourth Q1b", "CQC fourth held-out set, all 7 questions: micro F1", "external check skipped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// -fourth N has heard eval measure the default model on the fourth
// held-out set, after the second and third, on its own answers, under
// its own title and summary line; 0 leaves it out. Checked without
// training or running any model: which sets are measured, on what.
func TestEvalLaterSets(t *testing.T) {
	q := demo.EvalQuestion{
		Fresh:  []demo.EvalAnswer{{Text: "a fresh answer"}},
		Third:  []demo.EvalAnswer{{Text: "a third-set answer"}},
		Fourth: []demo.EvalAnswer{{Text: "a fourth-set answer"}},
	}
	describe := func(sets []laterSet) []string {
		var out []string
		for _, s := range sets {
			out = append(out, s.name+" | "+s.title+" | "+s.answers(q)[0].Text)
		}
		return out
	}
	for _, c := range []struct {
		fresh, third, fourth int
		want                 []string
	}{
		{100, 100, 100, []string{"second | CQC fresh | a fresh answer", "third | CQC third | a third-set answer", "fourth | CQC fourth | a fourth-set answer"}},
		{100, 100, 0, []string{"second | CQC fresh | a fresh answer", "third | CQC third | a third-set answer"}},
		{0, 0, 5, []string{"fourth | CQC fourth | a fourth-set answer"}},
		{0, 0, 0, nil},
	} {
		if got := describe(laterSets(c.fresh, c.third, c.fourth)); !slices.Equal(got, c.want) {
			t.Errorf("-fresh %d -third %d -fourth %d: measures %q, want %q", c.fresh, c.third, c.fourth, got, c.want)
		}
	}
}

// heard eval -methods (-letters B,X) with -fourth N has a column for the
// fourth held-out set, and none without. No method runs here: the name
// filter matches none, so only the heading is printed.
func TestCompareMethodsFourthColumn(t *testing.T) {
	for _, fourth := range []bool{false, true} {
		var out bytes.Buffer
		if err := compareMethods(&out, autocode.NewTokenizer(), nil, nil, 0, true, "no method is named this", false, "", true, fourth, false); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 2 {
			t.Fatalf("fourth %v: %d lines, want the title and the heading only:\n%s", fourth, len(lines), out.String())
		}
		if got := strings.Contains(lines[1], "CQC fourth held-out P"); got != fourth {
			t.Errorf("fourth %v: heading has a fourth-set column: %v\n%s", fourth, got, lines[1])
		}
		if !strings.Contains(lines[1], "CQC third held-out P") {
			t.Errorf("heading lost the third-set column:\n%s", lines[1])
		}
	}
}
