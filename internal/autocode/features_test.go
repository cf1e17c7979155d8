package autocode

import (
	"slices"
	"testing"
)

func TestFeaturesGramsAndSynonyms(t *testing.T) {
	tok := NewTokenizer()
	// The base thesaurus adds a word's group beside its stem (the
	// extended one, in the default, replaces it: thesaurus_test.go).
	base := FeatureWords | FeatureGrams | FeatureSynonyms
	_, words, grams := tok.Features("Not enough staff", base, nil, nil, nil)
	// "staff" is in the thesaurus's first group; stop words get no grams.
	for _, w := range []string{"staff", "~staff", "enough staff", "not enough"} {
		if !slices.Contains(words, w) {
			t.Errorf("word feature %q missing: %q", w, words)
		}
	}
	want := []string{"<st", "sta", "taf", "aff", "ff>", "<sta", "staf", "taff", "aff>", "<staf", "staff", "taff>"}
	for _, g := range want {
		if !slices.Contains(grams, g) {
			t.Errorf("gram %q missing: %q", g, grams)
		}
	}
	if slices.Contains(grams, "<no") || slices.Contains(grams, "<not") {
		t.Errorf("stop word 'not' gave grams: %q", grams)
	}
	// Grams come from the spelling key: British and American spellings
	// give the same grams.
	_, _, a := tok.Features("organisation", DefaultFeatures, nil, nil, nil)
	_, _, b := tok.Features("organization", DefaultFeatures, nil, nil, nil)
	if !slices.Equal(a, b) {
		t.Errorf("grams differ by spelling: %q / %q", a, b)
	}
	// Words only: no groups, no grams.
	_, words, grams = tok.Features("Not enough staff", FeatureWords, nil, nil, nil)
	if slices.Contains(words, "~staff") || len(grams) != 0 {
		t.Errorf("words-only features %q %q", words, grams)
	}
	// Synonyms share a group whatever the inflection.
	_, x, _ := tok.Features("the workforce is worried", DefaultFeatures, nil, nil, nil)
	_, y, _ := tok.Features("staff concerns", DefaultFeatures, nil, nil, nil)
	for _, g := range []string{"~staff", "~worry"} {
		if !slices.Contains(x, g) || !slices.Contains(y, g) {
			t.Errorf("group %q missing: %q / %q", g, x, y)
		}
	}
}

// A model with grams and synonyms suggests a code for an answer that
// shares no stem with the training answers, only a synonym or a root
// the stemmer does not join, a clearly higher score than words alone.
func TestGramsAndSynonymsReachUnseenWords(t *testing.T) {
	tok := NewTokenizer()
	var ex []Example
	for i := range 60 {
		e := Example{ID: int64(i), Coded: true}
		switch i % 3 {
		case 0:
			e.Text, e.Codes = "we do not have enough staff on the ward", []int32{1}
		case 1:
			e.Text, e.Codes = "the car park is always full", []int32{2}
		default:
			e.Text = "no comment"
		}
		ex = append(ex, e)
	}
	words, err := Train(tok, ex, []int32{1, 2}, Options{Features: FeatureWords})
	if err != nil {
		t.Fatal(err)
	}
	rich, err := Train(tok, ex, []int32{1, 2}, Options{Features: FeatureWords | FeatureGrams | FeatureSynonyms})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"the workforce is too small", "this unit is understaffed"} {
		pw := NewScorer(words, tok).Scores(text)[0]
		pr := NewScorer(rich, tok).Scores(text)[0]
		if pr < pw+0.1 {
			t.Errorf("%q: code 1 at %.2f with words, %.2f with grams and synonyms; want the richer model clearly higher", text, pw, pr)
		}
	}
	d := rich.Explain(tok, "this unit is understaffed", 1, 3)
	if len(d) == 0 || !slices.ContainsFunc(d, func(d Driver) bool { return d.Words == "understaffed" }) {
		t.Errorf("drivers %+v: want the answer's own words", d)
	}
}

// Scoring counts features straight from tokens (no strings built, each
// word's look-ups kept); it must give the vector training built from
// the terms.
func TestScoringFeaturesMatchTraining(t *testing.T) {
	tok := NewTokenizer()
	ex := toyExamples(80)
	ex[0].Text = "The workforce is not coping, understaffed wards and worried colleagues"
	for _, f := range []Features{FeatureWords, DefaultFeatures} {
		m, err := Train(tok, ex, []int32{1, 2}, Options{Features: f, MinDF: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ex[:10] {
			want := trainingVector(t, tok, m, e.Text)
			sc := NewScorer(m, tok)
			sc.Scores(e.Text)
			if sc.counted != 0 {
				t.Fatalf("%q: want one span", e.Text)
			}
			b := &sc.f
			got := slices.Concat(b.touched[0], b.touched[1])
			slices.Sort(got)
			var idx []int32
			for _, x := range want.ent {
				idx = append(idx, x.j)
			}
			if !slices.Equal(got, idx) {
				t.Fatalf("features %b, %q: scoring touched %v, training %v", f, e.Text, got, idx)
			}
			for _, x := range want.ent {
				if d := float64(x.v) - b.x[x.j]; d > 1e-6 || d < -1e-6 {
					t.Errorf("features %b, %q: feature %d is %v scoring, %v training", f, e.Text, x.j, b.x[x.j], x.v)
				}
			}
		}
	}
}

// trainingVector is text's vector as Train builds it (through a corpus),
// after checking that the corpus holds the terms Tokenizer.Features
// makes, in its order.
func trainingVector(t *testing.T, tok *Tokenizer, m *Model, text string) vector {
	t.Helper()
	_, words, grams := tok.Features(text, m.Features, nil, nil, nil)
	c := newCorpus(tok, m.Features)
	d := c.doc(text)
	cv := c.view()
	var cw, cg []string
	for _, w := range d.words {
		cw = append(cw, cv.words[w])
	}
	cv.eachGram(d, func(g int32) { cg = append(cg, cv.grams[g]) })
	if !slices.Equal(cw, words) || !slices.Equal(cg, grams) {
		t.Fatalf("%q: corpus terms %q %q, Features %q %q", text, cw, cg, words, grams)
	}
	index := func(names []string, of map[string]int32) []int32 {
		idx := make([]int32, len(names))
		for i, n := range names {
			idx[i] = -1
			if j, ok := of[n]; ok {
				idx[i] = j
			}
		}
		return idx
	}
	f := newFeaturizer(m)
	return f.docVector(m, d, cv, index(cv.words, m.Terms), index(cv.grams, m.Grams))
}
