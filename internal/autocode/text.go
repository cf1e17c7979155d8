// Package autocode suggests codes for open answers from what analysts
// have already coded, on the server: rules (a code's search query) and
// a model per question (TF-IDF of stemmed words and word pairs, one-vs-rest
// L2-regularised logistic regression). It also measures the model's
// quality against analysts' decisions by cross-validation.
package autocode

import (
	"strings"
	"sync"
	"unicode"

	"github.com/kljensen/snowball/english"

	"heard/internal/results"
)

// Tokenizer turns answer text into terms: stems of words (stop words
// dropped) and pairs of neighbouring stems (stop words kept, so "not
// support" survives). Stemming is the slow part (about 70k words/s), so
// every word's stem is cached; the cache is safe for concurrent use.
type Tokenizer struct {
	mu    sync.RWMutex
	stems map[string]stemmed
}

type stemmed struct {
	stem string
	stop bool
	// group is the word's synonym group ("" when it has none), group2
	// its group in the extended thesaurus (FeatureThesaurus); framed is
	// the spelling-normalised word between "<" and ">", whose substrings
	// are its character n-grams.
	group, group2, framed string
	// wn is the word's group in each WordNet grouping (nil: none).
	wn []string
}

// NewTokenizer returns a tokenizer with an empty stem cache.
func NewTokenizer() *Tokenizer {
	return &Tokenizer{stems: map[string]stemmed{}}
}

// maxCache bounds the stem cache: answers contain typos and names, and
// a long-running server must not grow without limit.
const maxCache = 500_000

// Token is one word of an answer: its stem and how it was written, its
// synonym group ("" if none) and the framed form its character n-grams
// come from.
type Token struct {
	Stem, Word    string
	Stop          bool
	Group, Framed string
	// Group2 is the word's group in the extended thesaurus
	// (FeatureThesaurus).
	Group2 string
	// WN is the word's group in each WordNet grouping (nil: none;
	// WordNetFeature).
	WN []string
	// Sentence: the token begins a new sentence (one of . ? ! ; : came
	// between it and the previous token).
	Sentence bool
}

// Words splits text into lower-case words (letters and digits; an
// apostrophe inside a word is dropped: "don't" → "dont") and stems them,
// after mapping British and American spellings to one form.
func (t *Tokenizer) Words(text string, out []Token) []Token {
	return t.words(text, out, t.stem)
}

// words is Words with the stem cache to use: a Scorer keeps its own in
// front of the shared one, so its workers do not contend for the lock.
func (t *Tokenizer) words(text string, out []Token, stem func(string) stemmed) []Token {
	out = out[:0]
	start := -1
	lower := strings.ToLower(text)
	stop := false // a sentence's end since the last token
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ReplaceAll(lower[start:end], "'", "")
		start = -1
		if w == "" {
			return
		}
		s := stem(w)
		out = append(out, Token{Stem: s.stem, Word: w, Stop: s.stop, Group: s.group, Group2: s.group2, WN: s.wn, Framed: s.framed, Sentence: stop && len(out) > 0})
		stop = false
	}
	for i, r := range lower {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '\'' && start >= 0) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		switch r {
		case '.', '?', '!', ';', ':':
			stop = true
		}
	}
	flush(len(lower))
	return out
}

func (t *Tokenizer) stem(w string) stemmed {
	t.mu.RLock()
	s, ok := t.stems[w]
	t.mu.RUnlock()
	if ok {
		return s
	}
	// w is a substring of the answer's text: a copy keeps the cache
	// from holding every answer that brought a new word.
	w = strings.Clone(w)
	key := results.SpellingKey(w)
	s = stemmed{stem: english.Stem(key, true), stop: english.IsStopWord(w) || len(w) < 2}
	if !s.stop {
		s.group = synonymGroups[s.stem]
		s.group2 = thesaurusGroups[s.stem]
		s.wn = wordnetGroups(s.stem)
		s.framed = "<" + key + ">"
	}
	t.mu.Lock()
	if len(t.stems) >= maxCache {
		clear(t.stems)
	}
	t.stems[w] = s
	t.mu.Unlock()
	return s
}

// Terms are the word features of an answer: each non-stop stem, and
// each pair of neighbouring stems joined by a space. Repeats are kept
// (the caller counts them).
func (t *Tokenizer) Terms(text string, buf []Token, out []string) ([]Token, []string) {
	buf, out, _ = t.Features(text, FeatureWords, buf, out, nil)
	return buf, out
}

// Character n-grams are MinGram to MaxGram characters long, taken from
// each non-stop word framed by "<" and ">" (so "<sta" marks a word
// start): they match words that share a root the stemmer does not see
// ("staffing", "understaffed") and survive misspellings.
const (
	MinGram = 3
	MaxGram = 5
)

// Features are an answer's terms for the feature set f: words holds
// stems, pairs of neighbouring stems (stop words kept inside a pair, so
// "not support" survives) and synonym groups ("~" + the group's first
// word); grams holds character n-grams, which are substrings of cached
// words and so cost no allocation. Repeats are kept.
func (t *Tokenizer) Features(text string, f Features, buf []Token, words, grams []string) ([]Token, []string, []string) {
	buf = t.Words(text, buf)
	words, grams = words[:0], grams[:0]
	for i, tok := range buf {
		if !tok.Stop {
			words = append(words, tok.term(f))
			if g := tok.group(f); g != "" {
				words = append(words, g)
			}
			if f&FeatureGrams != 0 {
				grams = appendGrams(grams, tok.Framed)
			}
		}
		if i > 0 && !(tok.Stop && buf[i-1].Stop) {
			words = append(words, buf[i-1].term(f)+" "+tok.term(f))
		}
	}
	return buf, words, grams
}

// appendGrams appends the character n-grams of a framed word (bytes: the
// spelling key is lower case; a gram may split a multi-byte letter,
// which only makes it a rarer feature).
func appendGrams(out []string, framed string) []string {
	for n := MinGram; n <= MaxGram; n++ {
		for i := 0; i+n <= len(framed); i++ {
			out = append(out, framed[i:i+n])
		}
	}
	return out
}

// group is the token's synonym group feature under the feature set f,
// added beside its stem: the base thesaurus's with FeatureSynonyms; none
// with FeatureThesaurus, whose group replaces the stem (term).
func (t Token) group(f Features) string {
	switch {
	case f&FeatureWordNetBeside != 0:
		if f&FeatureThesaurus != 0 && t.Group2 != "" {
			return ""
		}
		return t.wordnet(f)
	case f&FeatureThesaurus != 0:
		return "" // the group replaces the stem (term)
	case f&FeatureSynonyms != 0:
		return t.Group
	}
	return ""
}

// term is the token's word feature under f: its stem, or with
// FeatureThesaurus its group when it has one, so the words of a group
// are one feature whose weight is learnt from all of them (a group
// feature beside the stem shares the weight with it, and a word the
// coded answers never used gets only that share).
func (t Token) term(f Features) string {
	if f&FeatureThesaurus != 0 && t.Group2 != "" {
		return t.Group2
	}
	// A WordNet grouping counts the words the thesaurus does not know
	// as their group, the same way.
	if f&FeatureWordNetBeside == 0 {
		if g := t.wordnet(f); g != "" {
			return g
		}
	}
	return t.Stem
}

// wordnet is the token's group in the WordNet grouping f names ("" if
// none).
func (t Token) wordnet(f Features) string {
	if n := WordNetGrouping(f); n > 0 && n <= len(t.WN) {
		return t.WN[n-1]
	}
	return ""
}
