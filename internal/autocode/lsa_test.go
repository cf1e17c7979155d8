package autocode

import (
	"fmt"
	"math"
	"testing"
)

// LSA puts stems that occur in the same answers near each other: "queue"
// never appears with "wait" in one answer, but both appear with "long"
// and "delay", so they end up closer than "queue" and "nurse".
func TestLSAPutsStemsOfTheSameAnswersTogether(t *testing.T) {
	tok := NewTokenizer()
	var docs [][]string
	for i := range 200 {
		var text string
		switch i % 4 {
		case 0:
			text = "the queue was long, a delay"
		case 1:
			text = "the wait was long, a delay"
		case 2:
			text = "the nurse was kind, caring staff"
		default:
			text = "the doctor was kind, caring staff"
		}
		_, ws, _ := tok.Features(fmt.Sprintf("%s %d", text, i%7), FeatureWords, nil, nil, nil)
		docs = append(docs, ws)
	}
	m := &Model{}
	fitLSA(m, docs, 2)
	if m.LsaDims == 0 {
		t.Fatal("no LSA dimensions learnt")
	}
	vec := func(w string) []float32 {
		_, ws, _ := tok.Features(w, FeatureWords, nil, nil, nil)
		j, ok := m.Lsa[ws[0]]
		if !ok {
			t.Fatalf("%q not in the LSA vocabulary", w)
		}
		return m.LsaVec[int(j)*m.LsaDims : int(j+1)*m.LsaDims]
	}
	cos := func(a, b []float32) float64 {
		var ab, aa, bb float64
		for i := range a {
			ab += float64(a[i]) * float64(b[i])
			aa += float64(a[i]) * float64(a[i])
			bb += float64(b[i]) * float64(b[i])
		}
		return ab / math.Sqrt(aa*bb)
	}
	near, far := cos(vec("queue"), vec("wait")), cos(vec("queue"), vec("nurse"))
	if near < 0.8 || near <= far+0.5 {
		t.Errorf("cos(queue, wait) = %.2f, cos(queue, nurse) = %.2f: want the first near 1 and well above the second", near, far)
	}
}

// A model with the LSA block suggests a code for an answer whose only
// known word reached it through uncoded answers, and names that word.
func TestLSAReachesWordsOnlyUncodedAnswersUse(t *testing.T) {
	tok := NewTokenizer()
	coded := toyExamples(80)
	var uncoded []string
	for i := range 60 {
		uncoded = append(uncoded, fmt.Sprintf("waiting times and the queue were long (%d)", i), fmt.Sprintf("the queue, the waiting (%d)", i))
	}
	opt := Options{Features: FeatureWords | FeatureLSA, Unlabelled: uncoded, LSADims: 10}
	m, err := Train(tok, coded, []int32{1, 2}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if m.LsaDims == 0 {
		t.Fatal("no LSA block")
	}
	sc := NewScorer(m, tok)
	p := sc.Scores("a queue")[0]
	q := sc.Scores("a nurse")[0]
	if p <= q {
		t.Errorf("waiting code: %.2f for %q, %.2f for %q; want the queue higher", p, "a queue", q, "a nurse")
	}
	sc.Scores("a queue")
	if d := sc.Drivers(0, 3); len(d) == 0 || d[0].Words != "queue" {
		t.Errorf("drivers %+v, want queue", d)
	}
}
