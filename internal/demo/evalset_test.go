package demo

import (
	"regexp"
	"testing"
)

// No sentence of a test answer appears in any training answer.
func TestEvalSetPhrasingsAreDisjoint(t *testing.T) {
	set := EvalSet(150, 100, 1)
	total := 0
	split := regexp.MustCompile(`[.?!:]\s+`)
	for _, q := range set {
		seen := map[string]bool{}
		for _, a := range q.Train {
			for _, s := range split.Split(a.Text, -1) {
				seen[s] = true
			}
		}
		for _, a := range q.Test {
			for _, s := range split.Split(a.Text, -1) {
				if seen[s] {
					t.Errorf("%s: sentence %q is in both training and test answers", q.Question, s)
				}
			}
		}
		total += len(q.Train) + len(q.Test)
		for _, k := range q.Codes {
			if _, ok := rephrasings[k]; !ok {
				t.Errorf("%s: code %s has no rephrasings", q.Question, k)
			}
		}
	}
	if total < 1000 {
		t.Errorf("%d answers, want at least 1,000", total)
	}
}
