package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// heard eval runs without a database or the themefinder folder and
// prints per-code and overall F1 with intervals and a learning curve.
func TestEvalPrintsTables(t *testing.T) {
	var out, errb bytes.Buffer
	getenv := func(string) string { return "" }
	code := Run(context.Background(), []string{"eval", "-train", "60", "-test", "30", "-fresh", "30", "-third", "30", "-themefinder", t.TempDir() + "/absent"}, getenv, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"CQC Q1b", "Q1b C-DIGITAL", "overall (micro)", "95% CI", "learning curve", "CQC, all 7 questions: micro F1", "CQC fresh Q1b", "CQC second held-out set, all 7 questions: micro F1", "CQC third Q1b", "CQC third held-out set, all 7 questions: micro F1", "external check skipped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
