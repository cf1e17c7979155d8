package autocode

import "testing"

// term is how a word is counted under f.
func termOf(t *testing.T, tok *Tokenizer, word string, f Features) string {
	t.Helper()
	ts := tok.Words(word, nil)
	if len(ts) != 1 {
		t.Fatalf("%q: %d tokens", word, len(ts))
	}
	return ts[0].term(f)
}

// TestWordNetGroups checks the WordNet grouping candidate Y uses, read
// from the embedded table (no WordNet installed is needed): words
// WordNet puts together meet, a WordNet group holding a thesaurus word
// counts as that thesaurus group, the hand-written thesaurus keeps its
// words, and a word WordNet does not know counts as itself.
func TestWordNetGroups(t *testing.T) {
	tok := NewTokenizer()
	y := FeatureThesaurus | FeatureWordNet
	if n := len(WordNetGroupings()); n < 2 {
		t.Fatalf("embedded WordNet table has %d groupings, want at least FeatureWordNet's", n)
	}
	same := [][2]string{
		{"prevent", "forestall"},         // one synset
		{"prevents", "forestalled"},      // inflected forms, through their stems
		{"promote", "encourage"},         // one synset, joined to the thesaurus's "help"
		{"revenue", "budget"},            // through the hypernym, joined to "money"
		{"investigate", "investigation"}, // derived forms
	}
	for _, p := range same {
		a, b := termOf(t, tok, p[0], y), termOf(t, tok, p[1], y)
		if a != b {
			t.Errorf("%q counts as %q, %q as %q: want one group", p[0], a, p[1], b)
		}
	}
	for word, want := range map[string]string{
		"revenue":   "~money",     // joined to the thesaurus
		"publicise": "~awareness", // the thesaurus's group wins over WordNet's
		"staff":     "~staff",
		"zzqxv":     "zzqxv", // unknown: itself
	} {
		if got := termOf(t, tok, word, y); got != want {
			t.Errorf("%q counts as %q, want %q", word, got, want)
		}
	}
	if got := termOf(t, tok, "prevent", FeatureThesaurus); got != "prevent" {
		t.Errorf("without FeatureWordNet %q counts as %q, want its stem", "prevent", got)
	}
	if termOf(t, tok, "prevent", y) == termOf(t, tok, "publicise", y) {
		t.Error("unrelated words share a group")
	}
}
