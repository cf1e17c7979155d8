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
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	vocab := make([]string, 4000)
	for i := range vocab {
		vocab[i] = pseudoWord(rng)
	}
	sentence := func(words int) string {
		var b strings.Builder
		for i := 0; i < words; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			// Zipf-like: common words are common, as in real letters.
			w := vocab[int(float64(len(vocab))*rng.Float64()*rng.Float64())]
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
	templates := make([]string, campaigns)
	for i := range templates {
		templates[i] = sentence(120 + rng.IntN(200))
	}
	docs := make([]GeneratedDoc, 0, n)
	for len(docs) < n {
		i := len(docs)
		if i > 10 && rng.Float64() < 0.01 {
			// A repeat: an earlier response again, re-spaced, maybe as a reply.
			j := rng.IntN(i)
			text := strings.ReplaceAll(docs[j].Text, ". ", ".\n")
			docs = append(docs, GeneratedDoc{Text: text + "\n-- \nSent twice", Sender: docs[j].Sender, Truth: docs[j].Truth, Repeat: j})
			continue
		}
		sender := fmt.Sprintf("person%d@example.org", i)
		if rng.Float64() >= campaignShare {
			docs = append(docs, GeneratedDoc{Text: sentence(40 + rng.IntN(300)), Sender: sender, Repeat: -1})
			continue
		}
		c := rng.IntN(campaigns)
		words := strings.Fields(templates[c])
		for e := rng.IntN(6); e > 0; e-- {
			k := rng.IntN(len(words))
			switch rng.IntN(3) {
			case 0:
				words[k] = vocab[rng.IntN(len(vocab))]
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
			text = sentence(5+rng.IntN(40)) + "\n\n" + text
		default:
			text = text + "\n\n" + sentence(5+rng.IntN(120))
		}
		docs = append(docs, GeneratedDoc{Text: text, Sender: sender, Truth: c + 1, Repeat: -1})
	}
	return docs
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
		switch {
		case d.Truth > 0:
			truth[i] = -d.Truth
		case d.Repeat >= 0:
			truth[i] = truth[d.Repeat]
		default:
			truth[i] = i + 1
		}
	}
	pairs := func(counts map[[2]int]int) int64 {
		var s int64
		for _, n := range counts {
			s += int64(n) * int64(n-1) / 2
		}
		return s
	}
	both, pred, tru := map[[2]int]int{}, map[[2]int]int{}, map[[2]int]int{}
	for i := range docs {
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
