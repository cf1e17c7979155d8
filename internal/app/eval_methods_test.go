package app

import (
	"regexp"
	"strings"
	"testing"

	"heard/internal/demo"
)

// The cross-validation that chooses between methods holds one phrasing
// of every point out, as the held-out test does: no sentence that makes
// a point is in both folds (openers and fillers, which make none, may
// be, unless each fold has its own; a point whose two training phrasings
// are one sentence may be), and both folds are sizeable.
func TestPhrasingFoldsShareNoPointSentence(t *testing.T) {
	for _, q := range demo.EvalSet(300, 0, 2) {
		checkFolds(t, q, false)
	}
	for _, q := range demo.EvalSet(1200, 0, 3) {
		checkFolds(t, q, true)
	}
}

func checkFolds(t *testing.T, q demo.EvalQuestion, own bool) {
	t.Helper()
	split := regexp.MustCompile(`[.?!:]\s+`)
	{
		neutral := map[string]bool{}
		for _, a := range q.Train {
			if len(a.Codes) == 0 {
				for _, s := range split.Split(a.Text, -1) {
					neutral[s] = true
				}
			}
		}
		one := map[string]bool{}
		for _, s := range q.OnePhrasing {
			one[strings.TrimSuffix(s, ".")] = true
			one[s] = true
		}
		f := phrasingFolds(q, own)
		seen := map[string]bool{}
		for _, a := range f[0] {
			for _, s := range split.Split(a.Text, -1) {
				seen[s] = true
			}
		}
		for _, a := range f[1] {
			for _, s := range split.Split(a.Text, -1) {
				if seen[s] && (own || !neutral[s]) && !one[s] {
					t.Errorf("%s: %q is in both folds", q.Question, s)
				}
			}
		}
		if len(f[0]) < 60 || len(f[1]) < 60 {
			t.Errorf("%s: folds of %d and %d answers out of %d", q.Question, len(f[0]), len(f[1]), len(q.Train))
		}
	}
}
