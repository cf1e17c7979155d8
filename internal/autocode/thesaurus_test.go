package autocode_test

import (
	"strings"
	"testing"

	"heard/internal/autocode"
	"heard/internal/demo"
)

// Every word the extended thesaurus adds is a word of the evaluation's
// training answers, the codeframes' names or the development set (the
// second held-out set): the third held-out set, written before it,
// measures it and cannot have shaped it.
func TestThesaurusWordsAreFromTrainingOrDevelopment(t *testing.T) {
	tok := autocode.NewTokenizer()
	seen := map[string]bool{}
	add := func(text string) {
		for _, w := range tok.Words(text, nil) {
			seen[w.Stem] = true
		}
	}
	for _, q := range demo.EvalSetWithFresh(150, 0, 100, 1) {
		for _, a := range q.Train {
			add(a.Text)
		}
		for _, a := range q.Fresh {
			add(a.Text)
		}
		for _, n := range q.Names {
			add(n)
		}
	}
	base := map[string]bool{}
	for _, w := range strings.Fields(autocode.BaseSynonyms) {
		base[w] = true
	}
	for _, w := range strings.Fields(autocode.MoreSynonyms) {
		if base[w] {
			continue
		}
		if toks := tok.Words(w, nil); len(toks) != 1 || !seen[toks[0].Stem] {
			t.Errorf("thesaurus word %q is in no training answer, code name or development answer", w)
		}
	}
}

// A word of the extended thesaurus shares a feature with the other words
// of its group only under FeatureThesaurus, in place of its stem:
// "publicised" and "awareness" meet; the base thesaurus's groups are in
// it, and "publicised" has no group without it.
func TestThesaurusGroupsWords(t *testing.T) {
	tok := autocode.NewTokenizer()
	group := func(text string, f autocode.Features) []string {
		_, words, _ := tok.Features(text, f, nil, nil, nil)
		var out []string
		for _, w := range words {
			if strings.HasPrefix(w, "~") {
				out = append(out, w)
			}
		}
		return out
	}
	with := autocode.FeatureWords | autocode.FeatureThesaurus
	a, b := group("publicised", with), group("awareness", with)
	if len(a) != 1 || len(b) != 1 || a[0] != b[0] {
		t.Errorf("publicised %v and awareness %v should share a group with the thesaurus", a, b)
	}
	if g := group("publicised", autocode.FeatureWords|autocode.FeatureSynonyms); len(g) != 0 {
		t.Errorf("publicised has group %v without the extended thesaurus", g)
	}
	if _, words, _ := tok.Features("publicised", with, nil, nil, nil); len(words) != 1 {
		t.Errorf("publicised: %v, want its group in place of its stem", words)
	}
	if g := group("workforce", with); len(g) != 1 || g[0] != "~staff" {
		t.Errorf("workforce: %v, want the base group ~staff kept", g)
	}
}
