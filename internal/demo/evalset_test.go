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

// The fourth held-out set shares no sentence with the training, first,
// second or third held-out answers, has a fifth pair of phrasings for
// every code of the third set and its own openers, links and fillers (as
// many as the third's), labels each answer with the points whose
// phrasings it uses, and leaves the other sets as they were.
func TestEvalSetFourthIsDisjoint(t *testing.T) {
	set := EvalSetWithFourth(150, 100, 100, 100, 100, 1)
	old := EvalSetWithThird(150, 100, 100, 100, 1)
	split := regexp.MustCompile(`[.?!:;]\s+|, `)
	fragments := func(text string) []string {
		var out []string
		for _, s := range split.Split(text, -1) {
			out = append(out, strings.ToLower(strings.TrimSuffix(s, ".")))
		}
		return out
	}
	fourth := 0
	for qi, q := range set {
		for name, pair := range map[string][2][]EvalAnswer{"training": {q.Train, old[qi].Train}, "test": {q.Test, old[qi].Test}, "fresh": {q.Fresh, old[qi].Fresh}, "third": {q.Third, old[qi].Third}} {
			if len(pair[0]) != len(pair[1]) {
				t.Fatalf("%s: %s sizes changed", q.Question, name)
			}
			for i := range pair[0] {
				if pair[0][i].Text != pair[1][i].Text || !slices.Equal(pair[0][i].Codes, pair[1][i].Codes) {
					t.Fatalf("%s: %s answer %d changed with a fourth set", q.Question, name, i)
				}
			}
		}
		seen := map[string]bool{}
		for _, a := range slices.Concat(q.Train, q.Test, q.Fresh, q.Third) {
			for _, s := range fragments(a.Text) {
				seen[s] = true
			}
		}
		for _, a := range q.Fourth {
			fourth++
			for _, s := range fragments(a.Text) {
				if seen[s] {
					t.Errorf("%s: sentence %q of a fourth-set answer is in a training, test, second or third-set answer", q.Question, s)
				}
			}
			// Labels by construction: each code's point is made in one of
			// its two phrasings.
			for _, k := range a.Codes {
				p := fourthPhrasings[k]
				if !strings.Contains(a.Text, p[0]) && !strings.Contains(a.Text, lowerFirst(p[0])) &&
					!strings.Contains(a.Text, p[1]) && !strings.Contains(a.Text, lowerFirst(p[1])) {
					t.Errorf("%s: fourth-set answer %q is labelled %s without making its point", q.Question, a.Text, k)
				}
			}
		}
		for _, k := range q.Codes {
			if _, ok := fourthPhrasings[k]; !ok {
				t.Errorf("%s: code %s has no fourth-set phrasings", q.Question, k)
			}
		}
	}
	if fourth < 300 {
		t.Errorf("%d fourth-set answers, want at least 300", fourth)
	}
	if len(fourthPhrasings) != len(thirdPhrasings) {
		t.Errorf("%d codes have fourth-set phrasings, the third set has %d", len(fourthPhrasings), len(thirdPhrasings))
	}
	for k := range thirdPhrasings {
		if _, ok := fourthPhrasings[k]; !ok {
			t.Errorf("code %s of the third set has no fourth-set phrasings", k)
		}
	}
	// No fourth phrasing repeats any other, nor any part of one (split
	// as answers are above), and none repeats another fourth phrasing.
	var earlier []string
	for _, r := range rephrasings {
		earlier = append(earlier, r[:]...)
	}
	for _, r := range freshPhrasings {
		earlier = append(earlier, r[:]...)
	}
	for _, r := range thirdPhrasings {
		earlier = append(earlier, r[:]...)
	}
	for _, b := range banks {
		for _, p := range slices.Concat(b.support, b.concern) {
			earlier = append(earlier, capitalise(p.text))
		}
	}
	earlier = slices.Concat(earlier, closers, []string{providerGuidance, teamInvolvement})
	other := map[string]bool{}
	for _, s := range earlier {
		for _, f := range fragments(s) {
			other[f] = true
		}
	}
	mine := map[string]string{}
	for k, fs := range fourthPhrasings {
		for _, s := range fs {
			for _, f := range fragments(s) {
				if other[f] {
					t.Errorf("%s: fourth-set phrasing %q repeats %q of an earlier phrasing", k, s, f)
				}
			}
			if mine[s] != "" {
				t.Errorf("%s: fourth-set phrasing %q is also %s's", k, s, mine[s])
			}
			mine[s] = k
		}
	}
	neutral := map[string]bool{}
	for _, l := range [][]string{evalOpeners[0], evalOpeners[1], freshOpeners, thirdOpeners, evalLinks[0], evalLinks[1], freshLinks, thirdLinks, evalFillers[0], evalFillers[1], freshFillers, thirdFillers} {
		for _, s := range l {
			for _, f := range fragments(strings.TrimSpace(s)) {
				neutral[f] = true
			}
		}
	}
	for _, s := range slices.Concat(fourthOpeners, fourthLinks, fourthFillers) {
		for _, f := range fragments(strings.TrimSpace(s)) {
			if neutral[f] {
				t.Errorf("fourth-set opener, link or filler %q repeats %q of an earlier one", s, f)
			}
		}
	}
	if len(fourthOpeners) != len(thirdOpeners) || len(fourthLinks) != len(thirdLinks) || len(fourthFillers) != len(thirdFillers) {
		t.Errorf("fourth set has %d openers, %d links, %d fillers; the third %d, %d, %d",
			len(fourthOpeners), len(fourthLinks), len(fourthFillers), len(thirdOpeners), len(thirdLinks), len(thirdFillers))
	}
}
