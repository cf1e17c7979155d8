package autocode

import (
	"fmt"
	"slices"
	"testing"
)

func TestTokenizerStemsAndNormalisesSpelling(t *testing.T) {
	tok := NewTokenizer()
	_, a := tok.Terms("The organisations are not recognising colours", nil, nil)
	_, b := tok.Terms("the organization is not recognizing color", nil, nil)
	// One stem whichever spelling, singular or plural; pairs keep "not".
	want := []string{"organis", "not recognis", "color", "recognis color"}
	for _, w := range want {
		if !slices.Contains(a, w) || !slices.Contains(b, w) {
			t.Errorf("%q missing: %q / %q", w, a, b)
		}
	}
	for _, s := range []string{"is", "the", "are", "not"} {
		if slices.Contains(a, s) || slices.Contains(b, s) {
			t.Errorf("stop word %q kept alone: %q", s, a)
		}
	}
}

// toyExamples: answers about waiting times get code 1, about staff code 2.
func toyExamples(n int) []Example {
	wait := []string{"waiting times are far too long", "I waited months for an appointment", "the wait for a referral was long"}
	staff := []string{"staff were kind and caring", "the nurses and staff listened", "staff shortages worry me"}
	other := []string{"the building was clean", "parking is hard", "I have no view"}
	var out []Example
	for i := range n {
		ex := Example{ID: int64(i), Coded: true}
		switch i % 4 {
		case 0:
			ex.Text, ex.Codes = wait[i%3], []int32{1}
		case 1:
			ex.Text, ex.Codes = staff[i%3], []int32{2}
		case 2:
			ex.Text, ex.Codes = wait[(i+1)%3]+" and "+staff[(i+2)%3], []int32{1, 2}
		default:
			ex.Text = other[i%3]
		}
		ex.Text = fmt.Sprintf("%s (%d)", ex.Text, i)
		out = append(out, ex)
	}
	return out
}

func TestTrainScoresAndExplains(t *testing.T) {
	tok := NewTokenizer()
	m, err := Train(tok, toyExamples(80), []int32{1, 2, 3}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Codes, []int32{1, 2}) {
		t.Fatalf("codes with a model = %v, want [1 2] (3 has no positives)", m.Codes)
	}
	sc := NewScorer(m, tok)
	ps := slices.Clone(sc.Scores("the waiting list was too long"))
	if ps[0] < 0.5 || ps[1] > 0.5 {
		t.Errorf("waiting answer scored %v, want code 1 high, code 2 low", ps)
	}
	ps = sc.Scores("the staff were caring")
	if ps[1] < 0.5 || ps[0] > 0.5 {
		t.Errorf("staff answer scored %v", ps)
	}
	d := m.Explain(tok, "Waiting times were long but parking fine", 1, 3)
	if len(d) == 0 || !slices.ContainsFunc(d, func(d Driver) bool { return d.Words == "waiting" || d.Words == "waiting times" }) {
		t.Errorf("drivers = %+v, want the answer's own word 'waiting'", d)
	}
}

func TestCrossValidationMeasuresHeldOutAnswers(t *testing.T) {
	tok := NewTokenizer()
	ex := toyExamples(120)
	preds := CrossValidate(tok, ex, []int32{1, 2}, Folds, Options{}, 1)
	if len(preds) != 120*2 {
		t.Fatalf("%d predictions, want one per answer and code (240)", len(preds))
	}
	all, per := Measure(preds, []int32{1, 2}, 200, 1)
	if all.F1.Value < 0.9 || len(per) != 2 {
		t.Errorf("overall %+v", all)
	}
	if !(all.F1.Low <= all.F1.Value && all.F1.Value <= all.F1.High) {
		t.Errorf("interval %+v does not contain its value", all.F1)
	}
	if all.Answers != 120 || per[0].Positives != 60 {
		t.Errorf("answers %d positives %d", all.Answers, per[0].Positives)
	}
	curve := LearningCurve(tok, ex, []int32{1, 2}, Options{}, 1)
	if len(curve) < 2 || curve[0].Coded != 25 || curve[len(curve)-1].Coded != 96 {
		t.Errorf("curve %+v", curve)
	}
}

func TestMeasureCountsByHand(t *testing.T) {
	preds := []Prediction{
		{Answer: 0, Code: 1, P: 0.9, Cut: 0.5, Truth: true},
		{Answer: 1, Code: 1, P: 0.8, Cut: 0.5, Truth: false},
		{Answer: 2, Code: 1, P: 0.1, Cut: 0.5, Truth: true},
		{Answer: 3, Code: 1, P: 0.2, Cut: 0.5, Truth: false},
	}
	all, _ := Measure(preds, []int32{1}, 0, 1)
	if all.TP != 1 || all.FP != 1 || all.FN != 1 || all.Precision.Value != 0.5 || all.Recall.Value != 0.5 {
		t.Errorf("%+v", all)
	}
	if p, n := PrecisionAbove(preds, 1, 0.85); p != 1 || n != 1 {
		t.Errorf("precision above 0.85 = %v of %d", p, n)
	}
}
