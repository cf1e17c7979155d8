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

// The fresh held-out set shares no sentence with the training or the
// first test answers, has a third pair of phrasings for every code, and
// leaves the first set as it was.
func TestEvalSetFreshIsDisjoint(t *testing.T) {
	set := EvalSetWithFresh(150, 100, 100, 1)
	old := EvalSet(150, 100, 1)
	split := regexp.MustCompile(`[.?!:;]\s+|, `)
	fresh := 0
	for qi, q := range set {
		if len(q.Train) != len(old[qi].Train) || len(q.Test) != len(old[qi].Test) {
			t.Fatalf("%s: sizes changed", q.Question)
		}
		for i := range q.Train {
			if q.Train[i].Text != old[qi].Train[i].Text {
				t.Fatalf("%s: training answer %d changed with a fresh set", q.Question, i)
			}
		}
		for i := range q.Test {
			if q.Test[i].Text != old[qi].Test[i].Text {
				t.Fatalf("%s: test answer %d changed with a fresh set", q.Question, i)
			}
		}
		seen := map[string]bool{}
		for _, a := range append(append([]EvalAnswer{}, q.Train...), q.Test...) {
			for _, s := range split.Split(a.Text, -1) {
				seen[s] = true
			}
		}
		for _, a := range q.Fresh {
			fresh++
			for _, s := range split.Split(a.Text, -1) {
				if seen[s] {
					t.Errorf("%s: sentence %q of a fresh answer is in a training or test answer", q.Question, s)
				}
			}
		}
		for _, k := range q.Codes {
			if _, ok := freshPhrasings[k]; !ok {
				t.Errorf("%s: code %s has no fresh phrasings", q.Question, k)
			}
		}
	}
	if fresh < 300 {
		t.Errorf("%d fresh answers, want at least 300", fresh)
	}
	// No fresh phrasing repeats any other phrasing of any point.
	other := map[string]bool{}
	for _, r := range rephrasings {
		for _, s := range r {
			other[s] = true
		}
	}
	for _, b := range banks {
		for _, p := range append(append([]point{}, b.support...), b.concern...) {
			other[capitalise(p.text)] = true
		}
	}
	for k, fs := range freshPhrasings {
		for _, s := range fs {
			if other[s] {
				t.Errorf("%s: fresh phrasing %q is not new", k, s)
			}
		}
	}
}
