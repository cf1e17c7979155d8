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
}

// NewTokenizer returns a tokenizer with an empty stem cache.
func NewTokenizer() *Tokenizer {
	return &Tokenizer{stems: map[string]stemmed{}}
}

// maxCache bounds the stem cache: answers contain typos and names, and
// a long-running server must not grow without limit.
const maxCache = 500_000

// Token is one word of an answer: its stem and how it was written.
type Token struct {
	Stem, Word string
	Stop       bool
}

// Words splits text into lower-case words (letters and digits; an
// apostrophe inside a word is dropped: "don't" → "dont") and stems them,
// after mapping British and American spellings to one form.
func (t *Tokenizer) Words(text string, out []Token) []Token {
	out = out[:0]
	start := -1
	lower := strings.ToLower(text)
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ReplaceAll(lower[start:end], "'", "")
		start = -1
		if w == "" {
			return
		}
		s := t.stem(w)
		out = append(out, Token{Stem: s.stem, Word: w, Stop: s.stop})
	}
	for i, r := range lower {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '\'' && start >= 0) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
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
	key := results.SpellingKey(w)
	s = stemmed{stem: english.Stem(key, true), stop: english.IsStopWord(w) || len(w) < 2}
	t.mu.Lock()
	if len(t.stems) >= maxCache {
		clear(t.stems)
	}
	t.stems[w] = s
	t.mu.Unlock()
	return s
}

// Terms are the features of an answer: each non-stop stem, and each
// pair of neighbouring stems joined by a space. Repeats are kept (the
// caller counts them).
func (t *Tokenizer) Terms(text string, buf []Token, out []string) ([]Token, []string) {
	buf = t.Words(text, buf)
	out = out[:0]
	for i, tok := range buf {
		if !tok.Stop {
			out = append(out, tok.Stem)
		}
		if i > 0 && !(tok.Stop && buf[i-1].Stop) {
			out = append(out, buf[i-1].Stem+" "+tok.Stem)
		}
	}
	return buf, out
}
