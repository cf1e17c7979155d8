package demo

import (
	"regexp"
	"slices"
	"strings"
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

// The third held-out set shares no sentence with the training, first or
// second held-out answers, has a fourth pair of phrasings for every code
// and its own openers, links and fillers, and leaves the other sets as
// they were.
func TestEvalSetThirdIsDisjoint(t *testing.T) {
	set := EvalSetWithThird(150, 100, 100, 100, 1)
	old := EvalSetWithFresh(150, 100, 100, 1)
	split := regexp.MustCompile(`[.?!:;]\s+|, `)
	third := 0
	for qi, q := range set {
		for name, pair := range map[string][2][]EvalAnswer{"training": {q.Train, old[qi].Train}, "test": {q.Test, old[qi].Test}, "fresh": {q.Fresh, old[qi].Fresh}} {
			if len(pair[0]) != len(pair[1]) {
				t.Fatalf("%s: %s sizes changed", q.Question, name)
			}
			for i := range pair[0] {
				if pair[0][i].Text != pair[1][i].Text {
					t.Fatalf("%s: %s answer %d changed with a third set", q.Question, name, i)
				}
			}
		}
		seen := map[string]bool{}
		for _, a := range slices.Concat(q.Train, q.Test, q.Fresh) {
			for _, s := range split.Split(a.Text, -1) {
				seen[strings.TrimSuffix(s, ".")] = true
			}
		}
		for _, a := range q.Third {
			third++
			for _, s := range split.Split(a.Text, -1) {
				if seen[strings.TrimSuffix(s, ".")] {
					t.Errorf("%s: sentence %q of a third-set answer is in a training, test or fresh answer", q.Question, s)
				}
			}
		}
		for _, k := range q.Codes {
			if _, ok := thirdPhrasings[k]; !ok {
				t.Errorf("%s: code %s has no third-set phrasings", q.Question, k)
			}
		}
	}
	if third < 300 {
		t.Errorf("%d third-set answers, want at least 300", third)
	}
	// No third phrasing, opener, link or filler repeats any other.
	other := map[string]bool{}
	for _, r := range rephrasings {
		for _, s := range r {
			other[s] = true
		}
	}
	for _, r := range freshPhrasings {
		for _, s := range r {
			other[s] = true
		}
	}
	for _, b := range banks {
		for _, p := range append(append([]point{}, b.support...), b.concern...) {
			other[capitalise(p.text)] = true
		}
	}
	for _, s := range slices.Concat(closers, []string{providerGuidance, teamInvolvement}) {
		other[s] = true
	}
	for k, ts := range thirdPhrasings {
		for _, s := range ts {
			if other[s] {
				t.Errorf("%s: third-set phrasing %q is not new", k, s)
			}
		}
	}
	neutral := map[string]bool{}
	for _, l := range [][]string{evalOpeners[0], evalOpeners[1], freshOpeners, evalLinks[0], evalLinks[1], freshLinks, evalFillers[0], evalFillers[1], freshFillers} {
		for _, s := range l {
			neutral[s] = true
		}
	}
	for _, s := range slices.Concat(thirdOpeners, thirdLinks, thirdFillers) {
		if neutral[s] {
			t.Errorf("third-set opener, link or filler %q is not new", s)
		}
	}
}
