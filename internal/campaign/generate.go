package campaign

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// GeneratedDoc is one response of a generated consultation with known
// campaigns: Truth is the campaign number (from 1), or 0 for a response
// written alone; Repeat is the index of the earlier response that this one
// repeats (the same sender by another route), or -1.
type GeneratedDoc struct {
	Text   string
	Sender string
	Truth  int
	Repeat int
}

// Generate builds n responses of which campaignShare are copies of one of
// `campaigns` templates, each copy edited (a few words changed, dropped or
// recased, punctuation and spacing altered) and often with added text of
// varying length before or after the template, and about 1% repeats. The
// same seed gives the same set, so precision and recall are reproducible.
func Generate(n, campaigns int, campaignShare float64, seed uint64) []GeneratedDoc {
	g := NewGenerator(campaigns, campaignShare, seed)
	docs := make([]GeneratedDoc, n)
	for i := range docs {
		docs[i] = g.Next()
	}
	return docs
}

// Generator streams Generate's responses, so the bench can make a million
// without holding their text. Repeats copy one of the last 1,000.
type Generator struct {
	rng       *rand.Rand
	vocab     []string
	templates []string
	share     float64
	n         int
	recent    []GeneratedDoc // ring of the last len(recent) documents
}

// NewGenerator starts a stream.
func NewGenerator(campaigns int, campaignShare float64, seed uint64) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), share: campaignShare, recent: make([]GeneratedDoc, 1000)}
	g.vocab = make([]string, 4000)
	for i := range g.vocab {
		g.vocab[i] = pseudoWord(g.rng)
	}
	g.templates = make([]string, campaigns)
	for i := range g.templates {
		g.templates[i] = g.sentence(120 + g.rng.IntN(200))
	}
	return g
}

func (g *Generator) sentence(words int) string {
	var b strings.Builder
	for i := 0; i < words; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		// Zipf-like: common words are common, as in real letters.
		w := g.vocab[int(float64(len(g.vocab))*g.rng.Float64()*g.rng.Float64())]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		if i%12 == 11 && i < words-1 {
			b.WriteString(".")
		}
	}
	b.WriteString(".")
	return b.String()
}

// Next returns the next response.
func (g *Generator) Next() GeneratedDoc {
	d := g.next()
	g.recent[g.n%len(g.recent)] = d
	g.n++
	return d
}

func (g *Generator) next() GeneratedDoc {
	rng, i := g.rng, g.n
	if i > 10 && rng.Float64() < 0.01 {
		// A repeat: a recent response again, re-spaced, with a signature.
		back := 1 + rng.IntN(min(i, len(g.recent)))
		j := i - back
		prev := g.recent[j%len(g.recent)]
		text := strings.ReplaceAll(prev.Text, ". ", ".\n")
		return GeneratedDoc{Text: text + "\n-- \nSent twice", Sender: prev.Sender, Truth: prev.Truth, Repeat: j}
	}
	sender := fmt.Sprintf("person%d@example.org", i)
	if len(g.templates) == 0 || rng.Float64() >= g.share {
		return GeneratedDoc{Text: g.sentence(40 + rng.IntN(300)), Sender: sender, Repeat: -1}
	}
	c := rng.IntN(len(g.templates))
	words := strings.Fields(g.templates[c])
	for e := rng.IntN(6); e > 0; e-- {
		k := rng.IntN(len(words))
		switch rng.IntN(3) {
		case 0:
			words[k] = g.vocab[rng.IntN(len(g.vocab))]
		case 1:
			words = append(words[:k], words[k+1:]...)
		default:
			words[k] = strings.ToUpper(words[k])
		}
	}
	text := strings.Join(words, " ")
	if rng.IntN(2) == 0 {
		text = strings.ReplaceAll(text, ".", " ;")
	}
	switch rng.IntN(4) {
	case 0: // template alone
	case 1:
		text = g.sentence(5+rng.IntN(40)) + "\n\n" + text
	default:
		text = text + "\n\n" + g.sentence(5+rng.IntN(120))
	}
	return GeneratedDoc{Text: text, Sender: sender, Truth: c + 1, Repeat: -1}
}

func pseudoWord(rng *rand.Rand) string {
	const cons, vow = "bcdfghjklmnprstvwz", "aeiou"
	var b strings.Builder
	for s := 1 + rng.IntN(3); s > 0; s-- {
		b.WriteByte(cons[rng.IntN(len(cons))])
		b.WriteByte(vow[rng.IntN(len(vow))])
	}
	if rng.IntN(2) == 0 {
		b.WriteByte(cons[rng.IntN(len(cons))])
	}
	return b.String()
}

// PairScores returns pairwise precision and recall of predicted cluster
// labels against the truth: a pair counts when both responses belong to the
// same campaign. Responses outside any true campaign are their own truth
// group, so a repeat pair of two lone letters counts as a true pair too.
func PairScores(docs []GeneratedDoc, labels []int) (precision, recall float64) {
	truth := make([]int, len(docs))
	for i, d := range docs {
		truth[i] = TruthLabel(d, i, truth)
	}
	return PairScoresOf(truth, labels)
}

// TruthLabel is document i's true cluster label given the labels of the
// documents before it: its campaign, the response it repeats, or itself.
func TruthLabel(d GeneratedDoc, i int, earlier []int) int {
	switch {
	case d.Truth > 0:
		return -d.Truth
	case d.Repeat >= 0:
		return earlier[d.Repeat]
	}
	return i + 1
}

// PairScoresOf is PairScores over true and predicted labels.
func PairScoresOf(truth, labels []int) (precision, recall float64) {
	pairs := func(counts map[[2]int]int) int64 {
		var s int64
		for _, n := range counts {
			s += int64(n) * int64(n-1) / 2
		}
		return s
	}
	both, pred, tru := map[[2]int]int{}, map[[2]int]int{}, map[[2]int]int{}
	for i := range truth {
		both[[2]int{labels[i], truth[i]}]++
		pred[[2]int{labels[i], 0}]++
		tru[[2]int{0, truth[i]}]++
	}
	tp, pp, tp2 := pairs(both), pairs(pred), pairs(tru)
	precision, recall = 1, 1
	if pp > 0 {
		precision = float64(tp) / float64(pp)
	}
	if tp2 > 0 {
		recall = float64(tp) / float64(tp2)
	}
	return precision, recall
}
