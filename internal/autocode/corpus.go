package autocode

import (
	"sync"
)

// A corpus keeps each text's terms as numbers, so that the many models
// one training job fits — self-training's two, each with a 3-fold
// choice of thresholds, then the 5-fold measurement and the learning
// curve, each doing the same — tokenise a text once and count terms in
// slices rather than in maps keyed by strings. Numbers are private to
// the corpus: a model's vocabulary is still chosen and ordered by the
// terms themselves, so it is the same whichever fold met a term first.
// It is safe for concurrent use.
type corpus struct {
	// feats are the bits of the feature set that change an answer's
	// terms.
	feats Features
	tok   *Tokenizer

	mu   sync.RWMutex
	docs map[string]*doc
	// words are word terms (stems, groups, pairs); framed the framed
	// non-stop words whose character n-grams are grams; gramsOf each
	// framed word's grams, in the order appendGrams makes them.
	words, framed, grams termIDs
	gramsOf              [][]int32
	buf                  []Token
	terms, gbuf          []string
}

// doc is one text's word terms and framed words, in the order
// Tokenizer.Features makes them.
type doc struct {
	words, framed []int32
}

// termIDs numbers strings.
type termIDs struct {
	id    map[string]int32
	names []string
}

func (t *termIDs) of(s string) int32 {
	if j, ok := t.id[s]; ok {
		return j
	}
	j := int32(len(t.names))
	t.id[s] = j
	t.names = append(t.names, s)
	return j
}

// termFeatures are the feature bits Tokenizer.Features depends on.
const termFeatures = FeatureGrams | FeatureSynonyms | FeatureThesaurus | FeatureWordNetMask | FeatureWordNetBeside

func newCorpus(tok *Tokenizer, f Features) *corpus {
	return &corpus{feats: f & termFeatures, tok: tok, docs: map[string]*doc{},
		words: termIDs{id: map[string]int32{}}, framed: termIDs{id: map[string]int32{}}, grams: termIDs{id: map[string]int32{}}}
}

// withCorpus returns opt with a corpus for its features, its own unless
// it already has one that fits.
func withCorpus(tok *Tokenizer, opt Options) Options {
	f := opt.withDefaults().Features & termFeatures
	if opt.corpus == nil || opt.corpus.feats != f || opt.corpus.tok != tok {
		opt.corpus = newCorpus(tok, f)
	}
	return opt
}

// doc returns text's terms, tokenising it the first time.
func (c *corpus) doc(text string) *doc {
	c.mu.RLock()
	d, ok := c.docs[text]
	c.mu.RUnlock()
	if ok {
		return d
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.docs[text]; ok {
		return d
	}
	d = &doc{}
	// Grams come from the tokens below, a framed word's once.
	c.buf, c.terms, _ = c.tok.Features(text, c.feats&^FeatureGrams, c.buf, c.terms, nil)
	d.words = make([]int32, len(c.terms))
	for i, t := range c.terms {
		d.words[i] = c.words.of(t)
	}
	if c.feats&FeatureGrams != 0 {
		for _, t := range c.buf {
			if t.Stop {
				continue
			}
			k := c.framed.of(t.Framed)
			if int(k) == len(c.gramsOf) {
				c.gbuf = appendGrams(c.gbuf[:0], t.Framed)
				gs := make([]int32, len(c.gbuf))
				for i, g := range c.gbuf {
					gs[i] = c.grams.of(g)
				}
				c.gramsOf = append(c.gramsOf, gs)
			}
			d.framed = append(d.framed, k)
		}
	}
	c.docs[text] = d
	return d
}

// view is what a training run reads of the corpus after fetching its
// texts: every number those texts use is below these lengths, and the
// slices' elements never change, so it reads them without the lock.
type view struct {
	words, grams []string
	gramsOf      [][]int32
}

func (c *corpus) view() view {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return view{words: c.words.names, grams: c.grams.names, gramsOf: c.gramsOf}
}

// eachGram calls fn with each gram of d, in order.
func (v view) eachGram(d *doc, fn func(g int32)) {
	for _, k := range d.framed {
		for _, g := range v.gramsOf[k] {
			fn(g)
		}
	}
}
