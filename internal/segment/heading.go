package segment

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Headings that do not quote a theme's title are matched against what the
// consultation says about each theme: its title and keywords (weight 3),
// its summary and its questions' prompts (weight 1), word by word after a
// light stemming, each word weighed by how few themes use it. A heading is
// attributed only when one theme clearly wins; a doubtful heading is left
// for an analyst, since a wrong attribution is worse than none.
const (
	weightTitle   = 3.0
	weightSummary = 1.0
	minScore      = 2.5 // about one distinctive word of a title or keyword
	minLead       = 1.6 // the best theme's score over the second's
)

// terms is what a theme is known by, for matching headings.
type terms struct {
	weights  map[string]float64 // stem -> weight
	keywords [][]string         // stemmed keyword phrases
	raw      []string           // the keywords as written
}

func newTerms(th Theme, qs []Question) terms {
	tm := terms{weights: map[string]float64{}}
	add := func(s string, w float64) {
		for _, st := range stems(s) {
			tm.weights[st] = max(tm.weights[st], w)
		}
	}
	add(th.Title, weightTitle)
	add(th.Summary, weightSummary)
	kws := slices.Clone(th.Keywords)
	for _, q := range qs {
		if q.ThemeSlug == th.Slug {
			add(q.Prompt, weightSummary)
			kws = append(kws, q.Keywords...)
		}
	}
	for _, k := range kws {
		if st := stems(k); len(st) > 0 {
			add(k, weightTitle)
			tm.keywords = append(tm.keywords, st)
			tm.raw = append(tm.raw, k)
		}
	}
	return tm
}

// matchHeading attributes a heading to a theme by its keywords or its
// words, saying why; ok is false when no theme clearly wins.
func (ix *index) matchHeading(s string) (slug, why string, ok bool) {
	hs := stems(s)
	if len(hs) == 0 {
		return "", "", false
	}
	// A keyword phrase in the heading: the longest wins, if only one
	// theme has it.
	best, bestLen, tie, kw := -1, 0, false, ""
	for i, th := range ix.themes {
		for j, k := range th.terms.keywords {
			if !containsRun(hs, k) {
				continue
			}
			switch {
			case len(k) > bestLen:
				best, bestLen, tie, kw = i, len(k), false, th.terms.raw[j]
			case len(k) == bestLen && best != i:
				tie = true
			}
		}
	}
	if best >= 0 && !tie {
		th := ix.themes[best]
		return th.slug, fmt.Sprintf("the heading contains %q, a keyword of %q", kw, th.title), true
	}
	// Otherwise the words: each weighed by the theme's use of it and by
	// how few themes use it at all.
	scores := make([]float64, len(ix.themes))
	matched := make([][]string, len(ix.themes))
	for i, th := range ix.themes {
		for _, w := range hs {
			if wt := th.terms.weights[w]; wt > 0 {
				scores[i] += wt * ix.idf(w)
				matched[i] = append(matched[i], w)
			}
		}
	}
	first, second := -1, -1
	for i := range scores {
		switch {
		case first < 0 || scores[i] > scores[first]:
			first, second = i, first
		case second < 0 || scores[i] > scores[second]:
			second = i
		}
	}
	if first < 0 || scores[first] < minScore || 2*len(matched[first]) < len(hs) {
		return "", "", false
	}
	next := 0.0
	if second >= 0 {
		next = scores[second]
	}
	if scores[first] < minLead*next {
		return "", "", false
	}
	th := ix.themes[first]
	why = fmt.Sprintf("the heading's words %s are those of %q (score %.1f", quoted(matched[first]), th.title, scores[first])
	if second >= 0 && next > 0 {
		why += fmt.Sprintf("; next %q, %.1f", ix.themes[second].title, next)
	}
	return th.slug, why + ")", true
}

// idf is high for a word few themes use and near zero for one all use.
func (ix *index) idf(stem string) float64 {
	df := 0
	for _, th := range ix.themes {
		if th.terms.weights[stem] > 0 {
			df++
		}
	}
	n := float64(len(ix.themes))
	return math.Log((n + 1) / (float64(df) + 0.5))
}

func quoted(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, ", ")
}

// stems normalises s (see norm), drops words that say nothing about a
// theme, and stems the rest.
func stems(s string) []string {
	var out []string
	for _, w := range strings.Fields(norm(s)) {
		if headingStop[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// stem is a light English stemmer: enough that "systems" meets "system",
// "inequalities" "inequality" and "reducing" "reduce".
func stem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	for _, suf := range []string{"ing", "ion", "ed", "e"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// headingStop are words that do not tell one theme from another.
var headingStop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and the of in for to on our we with through at by from as or is are be been
		this that these those it its their they them us you your will would should could can how what why who which
		about more most new look looking approach section part theme themes response comments comment views view
		cqc s very also all any some other into than then there here`) {
		headingStop[w] = true
	}
}
