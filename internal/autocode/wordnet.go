package autocode

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// wordnetTable is WordNet 3.0's single words grouped into sets of stems,
// written by `make wordnet` (go run ./internal/autocode/wordnetgen) from
// the Debian package wordnet-base; WORDNET-LICENSE beside it is
// WordNet's licence, which permits redistribution with that notice. Each
// section ("# name") is one way of grouping; each line one group of
// stems, its most frequent word's first. It is embedded, so neither the
// product nor its tests need WordNet installed. As committed it holds
// the one grouping FeatureWordNet uses; `wordnetgen -all` writes every
// grouping measured on the development sets (README).
//
//go:embed wordnet_groups.txt.gz
var wordnetTable []byte

// WordNet groupings a feature set can ask for (WordNetFeature): section
// k of the table (0-based) is grouping 3k+1 as written; grouping 3k+2
// the same groups "joined to the thesaurus": a group holding a word of
// the extended thesaurus counts its other words as that thesaurus group,
// so WordNet's neighbours of a thesaurus word meet the words the
// analysts' codings taught for it; grouping 3k+3 only those joined
// groups (a word whose group holds no thesaurus word counts as itself).
var (
	wordnetOnce     sync.Once
	wordnetNames    []string            // grouping n is wordnetNames[n-1]
	wordnetGroupsOf []map[string]string // per grouping: stem -> group feature
)

const (
	// Bits 9–13 of a feature set are which WordNet grouping (1–31)
	// counts a word as its group, in place of its stem, when the extended
	// thesaurus (FeatureThesaurus) has none for it; 0: none.
	featureWordNetShift = 9
	FeatureWordNetMask  = Features(31) << featureWordNetShift
	// FeatureWordNet is the grouping chosen on the development sets
	// (candidate Y, README): each word's first WordNet sense, joined to
	// the words WordNet derives from it and to its direct hypernym
	// (nouns at least 4 steps below a root), groups of at most 30
	// stems, joined to the thesaurus. In DefaultFeatures since it was
	// measured on the fourth held-out set (README).
	FeatureWordNet = Features(2) << featureWordNetShift
	// FeatureWordNetBeside: the WordNet group of a word the thesaurus
	// does not know is added beside its stem instead of replacing it.
	FeatureWordNetBeside Features = 1 << 14
)

// WordNetFeature is the feature bits for WordNet grouping n (1–31).
func WordNetFeature(n int) Features { return Features(n) << featureWordNetShift & FeatureWordNetMask }

// WordNetGrouping is the WordNet grouping f asks for (0: none).
func WordNetGrouping(f Features) int { return int(f&FeatureWordNetMask) >> featureWordNetShift }

// WordNetGroupings names the groupings the embedded table holds, in
// WordNetFeature's numbering.
func WordNetGroupings() []string {
	loadWordNet()
	return wordnetNames
}

func loadWordNet() {
	wordnetOnce.Do(func() {
		z, err := gzip.NewReader(bytes.NewReader(wordnetTable))
		if err != nil {
			panic(fmt.Sprintf("autocode: embedded WordNet table: %v", err))
		}
		sc := bufio.NewScanner(z)
		var plain, joined, only map[string]string
		for sc.Scan() {
			line := sc.Text()
			if name, ok := strings.CutPrefix(line, "# "); ok {
				plain, joined, only = map[string]string{}, map[string]string{}, map[string]string{}
				wordnetNames = append(wordnetNames, name, name+", joined to the thesaurus", name+", only groups joined to the thesaurus")
				wordnetGroupsOf = append(wordnetGroupsOf, plain, joined, only)
				continue
			}
			stems := strings.Fields(line)
			if plain == nil || len(stems) < 2 {
				continue
			}
			// "^" keeps WordNet's group names apart from the thesaurus's
			// ("~") and from stems; the grouping's number keeps
			// groupings apart from each other.
			g := fmt.Sprintf("^%d%s", len(wordnetNames)-2, stems[0])
			hand := ""
			for _, s := range stems { // the most frequent word's thesaurus group
				if hand = thesaurusGroups[s]; hand != "" {
					break
				}
			}
			for _, s := range stems {
				if _, taken := plain[s]; !taken {
					plain[s] = g
					joined[s] = g
					if hand != "" {
						joined[s] = hand
						only[s] = hand
					}
				}
			}
		}
		if err := sc.Err(); err != nil {
			panic(fmt.Sprintf("autocode: embedded WordNet table: %v", err))
		}
		if len(wordnetNames) > 31 {
			panic("autocode: more WordNet groupings than WordNetFeature numbers")
		}
	})
}

// wordnetGroups is a stem's group in each grouping ("" where it has
// none); nil when it has none in any.
func wordnetGroups(stem string) []string {
	loadWordNet()
	var out []string
	for k, m := range wordnetGroupsOf {
		if g, ok := m[stem]; ok {
			if out == nil {
				out = make([]string, len(wordnetGroupsOf))
			}
			out[k] = g
		}
	}
	return out
}
