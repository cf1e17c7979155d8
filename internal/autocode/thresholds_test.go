package autocode

import (
	"slices"
	"testing"
)

func TestBestCutMaximisesF1(t *testing.T) {
	// Positives at 0.3 and 0.35, negatives at 0.1 and 0.6: any cut in
	// (0.1, 0.3] finds both positives with one false positive (F1 0.8),
	// the best there is; of those, 0.3 is nearest 0.5.
	preds := []Prediction{
		{Answer: 0, Code: 1, P: 0.3, Truth: true},
		{Answer: 1, Code: 1, P: 0.35, Truth: true},
		{Answer: 2, Code: 1, P: 0.1, Truth: false},
		{Answer: 3, Code: 1, P: 0.6, Truth: false},
		{Answer: 0, Code: 2, P: 0.9, Truth: false},
	}
	if got := BestCut(preds, 1); got != 0.3 {
		t.Errorf("cut %v, want 0.3", got)
	}
	// A code never found keeps the default.
	if got := BestCut(preds, 2); got != Threshold {
		t.Errorf("cut of a code with no positives %v, want %v", got, Threshold)
	}
}

// Each code's threshold is chosen inside Train from the training answers
// alone: the held-out answers, whatever their labels, cannot move it.
func TestThresholdsUseNoTestAnswers(t *testing.T) {
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
		// The same answers with every label wrong.
		f := Labelled{Text: ex.Text}
		for _, c := range codes {
			if !slices.Contains(l.Codes, c) {
				f.Codes = append(f.Codes, c)
			}
		}
		flipped = append(flipped, f)
	}
	ex, ids := examples(codes, train, nil)
	m, err := Train(tok, ex, ids, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cut) != len(m.Codes) {
		t.Fatalf("cuts %v for codes %v", m.Cut, m.Codes)
	}
	cuts := func(r Report) map[int32]float64 {
		out := map[int32]float64{}
		for _, p := range r.Preds {
			out[p.Code] = p.Cut
		}
		return out
	}
	a := cuts(HeldOut(tok, "true labels", codes, train, test, nil, Options{}))
	b := cuts(HeldOut(tok, "wrong labels", codes, train, flipped, nil, Options{}))
	for ci, c := range m.Codes {
		if a[c] != float64(m.Cut[ci]) || b[c] != float64(m.Cut[ci]) {
			t.Errorf("code %d: cut %v trained on training answers alone, %v and %v when tested on right and wrong labels", c, m.Cut[ci], a[c], b[c])
		}
	}
	// Without the feature every code keeps the default.
	plain, _ := Train(tok, ex, ids, Options{Features: FeatureWords})
	if plain.Cut != nil || plain.cut(0) != Threshold {
		t.Errorf("words-only model has cuts %v", plain.Cut)
	}
}

// Hints from the codeframe are learnt from, but are never measured and
// are not counted as coded answers.
func TestHintsTrainButAreNeverMeasured(t *testing.T) {
	tok := NewTokenizer()
	ex := toyExamples(60)
	hints := Hints(map[int32]string{1: "Waiting times. Delays before treatment", 2: "Staff"}, []int32{1, 2})
	if len(hints) != 2 || hints[0].Coded || !slices.Equal(hints[0].Rejected, []int32{2}) {
		t.Fatalf("hints %+v", hints)
	}
	all := append(slices.Clone(ex), hints...)
	preds := CrossValidate(tok, all, []int32{1, 2}, Folds, Options{}, 1)
	for _, p := range preds {
		if p.Answer >= len(ex) {
			t.Fatalf("a hint was measured: %+v", p)
		}
	}
	if len(preds) != len(ex)*2 {
		t.Errorf("%d predictions, want %d", len(preds), len(ex)*2)
	}
	m, err := Train(tok, all, []int32{1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Examples != len(ex) {
		t.Errorf("model learnt from %d coded answers, want %d (hints aside)", m.Examples, len(ex))
	}
	// The hint's own word, never in an answer, now counts towards code 1.
	if _, ok := m.Terms[tok.Words("delay", nil)[0].term(m.Features)]; !ok {
		t.Errorf("hint word 'delay' not in the vocabulary")
	}
}
