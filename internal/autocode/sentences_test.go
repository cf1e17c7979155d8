package autocode

import (
	"math"
	"slices"
	"testing"
)

func TestTokenizerMarksSentences(t *testing.T) {
	toks := NewTokenizer().Words("I agree. Staff matter; and so: waiting, too! Really? yes", nil)
	var starts []string
	for _, tk := range toks {
		if tk.Sentence {
			starts = append(starts, tk.Word)
		}
	}
	if want := []string{"staff", "and", "waiting", "really", "yes"}; !slices.Equal(starts, want) {
		t.Errorf("sentence starts = %q, want %q (a comma is not a sentence's end)", starts, want)
	}
}

// Sentence scoring: a point made in one sentence of a long answer scores
// as it would alone, however many other words the answer has; without
// it, the other sentences dilute the point's words and the code is not
// suggested. The words that drove it are the sentence's.
func TestSentenceScoringFindsAPointInALongAnswer(t *testing.T) {
	tok := NewTokenizer()
	coded := toyExamples(80)
	point := "The wait was long."
	answer := "The building was clean and parking is hard, I have no view on the building or the parking or anything else about the building. " + point
	score := func(f Features) (p, alone float64, yes bool, drivers []Driver) {
		m, err := Train(tok, coded, []int32{1, 2}, Options{Features: f})
		if err != nil {
			t.Fatal(err)
		}
		sc := NewScorer(m, tok)
		ci := slices.Index(m.Codes, 1)
		alone = sc.Scores(point)[ci]
		p = sc.Scores(answer)[ci]
		return p, alone, sc.Suggests(ci, p), sc.Drivers(ci, 3)
	}
	base := FeatureWords | FeatureGrams | FeatureSynonyms
	p, alone, yes, _ := score(base)
	if yes || p >= alone {
		t.Fatalf("without sentence scoring the long answer scores %.3f (alone %.3f, suggested %v): the test proves nothing", p, alone, yes)
	}
	p, alone, yes, drivers := score(base | FeatureSentences)
	if !yes || math.Abs(p-alone) > 1e-12 {
		t.Fatalf("with sentence scoring the long answer scores %.3f, want its sentence's %.3f, suggested", p, alone)
	}
	if len(drivers) == 0 || drivers[0].Words != "wait" {
		t.Errorf("drivers = %+v, want the sentence's word \"wait\" first", drivers)
	}
	for _, d := range drivers {
		if d.Words == "building" || d.Words == "parking" {
			t.Errorf("driver %q is not in the sentence that scored", d.Words)
		}
	}
}
