package results

import (
	"strings"
	"unicode"
)

// spellingVariants returns the words of a search query that have a
// British or American twin, with the twin: organisation → organization,
// behavior → behaviour, paediatric → pediatric. The database widens each
// word to "either spelling" (heard_search_query), so a search finds both
// whichever way the answer was written. A variant that is not a real word
// ("doctour") costs nothing: it simply matches no answer.
func spellingVariants(query string) (words, variants []string) {
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(query), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if seen[w] {
			continue
		}
		seen[w] = true
		if v := spellingVariant(w); v != "" && v != w {
			words, variants = append(words, w), append(variants, v)
		}
	}
	return words, variants
}

// Endings that differ between British and American spelling, each way.
// Longer endings come first so "isation" wins over "ise".
var endings = [][2]string{
	{"isations", "izations"}, {"isation", "ization"}, {"ising", "izing"}, {"ised", "ized"}, {"ises", "izes"}, {"iser", "izer"}, {"isers", "izers"}, {"ise", "ize"},
	{"ysing", "yzing"}, {"ysed", "yzed"}, {"yse", "yze"},
	{"ours", "ors"}, {"oured", "ored"}, {"ouring", "oring"}, {"ourite", "orite"}, {"ourable", "orable"}, {"our", "or"},
	{"tres", "ters"}, {"tre", "ter"},
	{"ogue", "og"},
	{"ence", "ense"},
	{"elled", "eled"}, {"elling", "eling"}, {"ement", "ment"},
}

// Word starts that differ: paediatric/pediatric, oedema/edema.
var starts = [][2]string{{"paed", "ped"}, {"anaes", "anes"}, {"haem", "hem"}, {"oes", "es"}, {"oed", "ed"}, {"foet", "fet"}}

// spellingVariant is w's other spelling, or "". Short words are left
// alone: "four" is not "for", "size" is not "sise".
func spellingVariant(w string) string {
	if len(w) < 5 {
		return ""
	}
	for _, e := range endings {
		for _, pair := range [][2]string{{e[0], e[1]}, {e[1], e[0]}} {
			if stem, ok := strings.CutSuffix(w, pair[0]); ok && len(stem) >= 2 {
				return stem + pair[1]
			}
		}
	}
	for _, s := range starts {
		for _, pair := range [][2]string{{s[0], s[1]}, {s[1], s[0]}} {
			if rest, ok := strings.CutPrefix(w, pair[0]); ok && len(rest) >= 3 {
				return pair[1] + rest
			}
		}
	}
	return ""
}

// Fragment is part of a highlighted answer: Mark is a search match.
type Fragment struct {
	Text string
	Mark bool
}

// Markers ts_headline puts around matches; control characters that
// cannot occur in stored text, so the text is escaped by the page as
// usual and no HTML ever comes from the database.
const (
	markStart = "\x01"
	markStop  = "\x02"
)

// fragments splits a ts_headline result at its markers.
func fragments(headline string) []Fragment {
	var out []Fragment
	for headline != "" {
		before, rest, found := strings.Cut(headline, markStart)
		if before != "" {
			out = append(out, Fragment{Text: before})
		}
		if !found {
			break
		}
		mark, after, _ := strings.Cut(rest, markStop)
		if mark != "" {
			out = append(out, Fragment{Text: mark, Mark: true})
		}
		headline = after
	}
	return out
}

// SpellingKey is one spelling shared by a word's British and American
// forms (the alphabetically first of the two), so that auto-coding
// counts "organisation" and "organization" as one word, with the same
// rule search uses to match either spelling.
func SpellingKey(w string) string {
	if v := spellingVariant(w); v != "" && v < w {
		return v
	}
	return w
}

// SearchWords is what heard_search_query needs besides the query: the
// query's words that have a British or American twin, and the twins.
// Auto-coding rules search answers with it exactly as the answer
// search does.
func SearchWords(query string) (words, variants []string) {
	return spellingVariants(query)
}
