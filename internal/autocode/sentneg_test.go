package autocode

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Sentence negatives are the lone sentences of finished answers with
// more than one, each a negative for the codes its answer lacks and
// nothing for the codes it has; unfinished and one-sentence answers give
// none, and no more than SentenceNegativePool answers give any.
func TestSentenceNegativesAreLoneSentencesOfFinishedAnswers(t *testing.T) {
	ex := []Example{
		{ID: 0, Text: "Staff were kind. Parking was hard!", Codes: []int32{1}, Coded: true},
		{ID: 1, Text: "One sentence only", Coded: true},
		{ID: 2, Text: "Not finished. Two sentences.", Rejected: []int32{2}},
	}
	out := withSentenceNegatives(ex, []int32{1, 2, 3})
	if len(out) != 5 {
		t.Fatalf("%d examples, want the 3 answers and 2 sentences: %+v", len(out), out)
	}
	for i, want := range []string{"Staff were kind.", "Parking was hard!"} {
		s := out[3+i]
		if s.Text != want || s.Coded || !s.Pseudo || len(s.Codes) != 0 || !slices.Equal(s.Rejected, []int32{2, 3}) {
			t.Errorf("sentence %d: %+v, want %q rejecting codes 2 and 3 only, not finished, not counted", i, s, want)
		}
	}
	var many []Example
	for i := range SentenceNegativePool + 100 {
		many = append(many, Example{ID: int64(i), Text: fmt.Sprintf("Point %d. Another point.", i), Coded: true})
	}
	if got := len(withSentenceNegatives(many, []int32{1})) - len(many); got != 2*SentenceNegativePool {
		t.Errorf("%d sentence examples, want %d (the pool's answers only)", got, 2*SentenceNegativePool)
	}
}

// A model trained with sentence negatives counts only the coded answers
// it learnt from, not their sentences, and its sentences do not change
// the words' document frequencies.
func TestSentenceNegativesAreNotCodedAnswers(t *testing.T) {
	tok := NewTokenizer()
	ex := toyExamples(60)
	for i := range ex { // answers making two points in two sentences
		ex[i].Text = strings.Replace(ex[i].Text, " and ", ". ", 1)
	}
	base := FeatureWords | FeatureSentences
	plain, err := Train(tok, ex, []int32{1, 2}, Options{Features: base})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(tok, ex, []int32{1, 2}, Options{Features: base | FeatureSentenceNegatives})
	if err != nil {
		t.Fatal(err)
	}
	if m.Examples != plain.Examples {
		t.Errorf("learnt from %d coded answers with sentence negatives, %d without", m.Examples, plain.Examples)
	}
	if !slices.Equal(m.IDF, plain.IDF) {
		t.Error("sentence negatives changed the terms' IDF")
	}
	if slices.Equal(m.W, plain.W) {
		t.Error("sentence negatives changed no weight")
	}
}
