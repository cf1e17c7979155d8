package autocode

import (
	"fmt"
	"slices"
	"testing"
)

// Self-training: uncoded answers that say "waiting" beside a word no
// coded answer uses ("queue") teach the model that word, so an answer
// saying only "queue" gets the waiting code, with "queue" as the word
// that drove it. Without self-training the word is unknown and the code
// is not suggested. The uncoded answers are not counted as coded.
func TestSelfTrainingLearnsWordsOfUncodedAnswers(t *testing.T) {
	tok := NewTokenizer()
	coded := toyExamples(80)
	var uncoded []string
	for i := range 40 {
		uncoded = append(uncoded, fmt.Sprintf("I waited: the queue is endless (%d)", i))
	}
	uncoded = append(uncoded, "parking is hard", "staff were kind")
	answer := "the queue is endless"
	suggests := func(f Features) (bool, []Driver, *Model) {
		m, err := Train(tok, coded, []int32{1, 2}, Options{Features: f, Unlabelled: uncoded})
		if err != nil {
			t.Fatal(err)
		}
		sc := NewScorer(m, tok)
		ci := slices.Index(m.Codes, 1)
		p := sc.Scores(answer)[ci]
		return sc.Suggests(ci, p), sc.Drivers(ci, 3), m
	}
	if yes, _, _ := suggests(DefaultFeatures &^ FeatureSelfTrain); yes {
		t.Fatalf("without self-training %q already gets the waiting code: the test proves nothing", answer)
	}
	yes, drivers, m := suggests(DefaultFeatures | FeatureSelfTrain)
	if !yes {
		t.Fatalf("with self-training %q does not get the waiting code", answer)
	}
	if len(drivers) == 0 || !slices.ContainsFunc(drivers, func(d Driver) bool { return d.Words == "queue" }) {
		t.Errorf("drivers %+v, want queue among them", drivers)
	}
	if m.Examples != 80 {
		t.Errorf("model learnt from %d coded answers, want 80 (uncoded ones are not coded)", m.Examples)
	}
	// The staff code did not take the waiting answers as its own.
	sc := NewScorer(m, tok)
	if ci := slices.Index(m.Codes, 2); sc.Suggests(ci, sc.Scores(answer)[ci]) {
		t.Errorf("%q gets the staff code", answer)
	}
}

// Self-training may learn from the texts of the answers cross-validation
// measures (the product scores uncoded answers, so those are among its
// uncoded answers), never from their codes: the figures do not move when
// every held-out label is flipped.
func TestSelfTrainingNeverSeesHeldOutCodes(t *testing.T) {
	tok := NewTokenizer()
	codes := []string{"wait", "staff"}
	var train, test, flipped []Labelled
	for i, ex := range toyExamples(160) {
		l := Labelled{Text: ex.Text}
		for _, c := range ex.Codes {
			l.Codes = append(l.Codes, codes[c-1])
		}
		if i < 120 {
			train = append(train, l)
			continue
		}
		test = append(test, l)
		f := Labelled{Text: ex.Text}
		for _, c := range codes {
			if !slices.Contains(l.Codes, c) {
				f.Codes = append(f.Codes, c)
			}
		}
		flipped = append(flipped, f)
	}
	self := Options{Features: DefaultFeatures | FeatureSelfTrain}
	a := Split(tok, "a", codes, train, test, nil, self)
	b := Split(tok, "b", codes, train, flipped, nil, self)
	for i := range a.Preds {
		if a.Preds[i].P != b.Preds[i].P || a.Preds[i].Cut != b.Preds[i].Cut {
			t.Fatalf("prediction %d moved with the held-out labels: %+v vs %+v", i, a.Preds[i], b.Preds[i])
		}
	}
}

// A stock phrase common among uncoded answers but in no coded one
// ("cheerio") would be learnt as a sign of whatever code self-training
// finds beside it; taking the uncoded answers a code is surely absent
// from as its negatives shows the phrase everywhere, so it no longer
// suggests the code on its own.
func TestSelfTrainingNegativesKeepStockPhrasesNeutral(t *testing.T) {
	tok := NewTokenizer()
	coded := toyExamples(80)
	var uncoded []string
	for i := range 40 {
		uncoded = append(uncoded,
			fmt.Sprintf("the waiting times are far too long. Cheerio (%d)", i),
			fmt.Sprintf("parking is hard. Cheerio (%d)", i),
			fmt.Sprintf("the building was clean. Cheerio (%d)", i))
	}
	score := func(negMax float64) float64 {
		// B's features: sentence scoring (in the default since) scores
		// a stock sentence alone, which is not what this is about.
		opt := Options{Features: FeatureWords | FeatureGrams | FeatureSynonyms | FeatureThresholds | FeatureSelfTrain, Unlabelled: uncoded, PseudoNegMax: negMax}
		m, err := Train(tok, coded, []int32{1, 2}, opt)
		if err != nil {
			t.Fatal(err)
		}
		return NewScorer(m, tok).Scores("cheerio")[slices.Index(m.Codes, 1)]
	}
	without, with := score(-1), score(0.05)
	if !(with < without-0.1) {
		t.Errorf("waiting code for %q: %.2f with negatives, %.2f without; want it well lower with them", "cheerio", with, without)
	}
	// The default (PseudoNegMax zero) takes negatives below 0.05.
	if def := score(0); def != with {
		t.Errorf("waiting code for %q: %.3f by default, %.3f with negatives below 0.05; want the same", "cheerio", def, with)
	}
}
