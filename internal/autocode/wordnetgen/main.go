// Command wordnetgen reads the WordNet 3.0 database (Debian package
// wordnet-base, /usr/share/wordnet) and writes the compact table of word
// groups that autocode embeds (FeatureWordNet*): one section per way of
// grouping, each line one group of stems (the same Snowball stems, after
// the same British/American spelling key, that autocode's tokenizer
// makes), its most frequent word first. Only what the model uses is
// kept: words that share their group with at least one other stem.
//
// It is run by hand (`make wordnet`), never at build time: the product
// and its tests read the embedded table and need no WordNet installed.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/kljensen/snowball/english"

	"heard/internal/results"
)

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "WordNet 3.0 database folder")
	out := flag.String("out", "internal/autocode/wordnet_groups.txt.gz", "table to write")
	all := flag.Bool("all", false, "write every grouping measured on the development sets, not only the one FeatureWordNet uses (the first)")
	flag.Parse()
	if !*all {
		sections = sections[:1]
	}
	wn, err := load(*dir)
	if err != nil {
		log.Fatal(err)
	}
	var b strings.Builder
	for _, s := range sections {
		groups := wn.groups(s)
		fmt.Fprintf(&b, "# %s\n", s.name)
		for _, g := range groups {
			b.WriteString(strings.Join(g, " "))
			b.WriteByte('\n')
		}
		n := 0
		for _, g := range groups {
			n += len(g)
		}
		log.Printf("%s: %d groups, %d stems", s.name, len(groups), n)
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	z, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if _, err := z.Write([]byte(b.String())); err != nil {
		log.Fatal(err)
	}
	if err := z.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	st, _ := os.Stat(*out)
	log.Printf("wrote %s (%d bytes)", *out, st.Size())
}

// section is one way of grouping words.
type section struct {
	name string
	// senses: how many of a word's senses (most frequent first) join it
	// to their synsets.
	senses int
	// deriv: also join a word to the words WordNet derives from it or it
	// from them ("+" pointers of its used senses), so "investigation"
	// meets "investigate".
	deriv bool
	// hyper: a word's used synsets also join their direct hypernym when
	// it is at least hyperDepth steps from a root (a verb's: hyperDepth-4,
	// verbs' hierarchies being shallow), so close siblings meet.
	hyper      bool
	hyperDepth int
	// maxGroup caps a group's stems: a join that would make a larger
	// group is skipped (chains of senses otherwise merge unrelated words).
	maxGroup int
	// minDepth: a noun whose used synset is nearer the root than this
	// (counted in hypernym steps) is left alone ("thing", "act").
	minDepth int
}

// sections are the groupings measured (README). The first is the one
// the product's FeatureWordNet uses and the only one written without
// -all; autocode numbers section k (0-based) 3k+1, and 3k+2 and 3k+3
// the same joined to its thesaurus (wordnet.go).
var sections = []section{
	{name: "first+deriv+hypernym (depth 4)", senses: 1, deriv: true, hyper: true, hyperDepth: 4, maxGroup: 30, minDepth: 4},
	{name: "first", senses: 1, maxGroup: 30, minDepth: 4},
	{name: "first+deriv", senses: 1, deriv: true, maxGroup: 30, minDepth: 4},
	{name: "two+deriv", senses: 2, deriv: true, maxGroup: 30, minDepth: 4},
	{name: "first+deriv+hypernym (depth 6)", senses: 1, deriv: true, hyper: true, hyperDepth: 6, maxGroup: 20, minDepth: 4},
	{name: "two+deriv+hypernym (depth 4)", senses: 2, deriv: true, hyper: true, hyperDepth: 4, maxGroup: 30, minDepth: 4},
	{name: "first+hypernym (depth 4)", senses: 1, hyper: true, hyperDepth: 4, maxGroup: 30, minDepth: 4},
}

// posOrder is the parts of speech read; adverbs are left out (mostly
// intensifiers and stop words).
var posOrder = []string{"noun", "verb", "adj"}

type synset struct {
	pos   string
	words []string  // single-word lemmas, lower case
	ptrs  []pointer // pointers
	hyper []string  // hypernym keys
	depth int       // hypernym steps to a root (-1 unknown)
}

type pointer struct {
	sym      string
	target   string // synset key
	src, dst int    // word numbers (1-based), 0 for the whole synset
}

type lemma struct {
	word   string
	pos    string   // the part of speech used: the one with most tagged senses
	senses []string // synset keys, most frequent first
	count  int      // tagged sense count in that part of speech
}

type wordnet struct {
	synsets map[string]*synset // "n:offset"
	lemmas  map[string]*lemma
	exc     map[string]string // irregular form -> lemma
}

func load(dir string) (*wordnet, error) {
	wn := &wordnet{synsets: map[string]*synset{}, lemmas: map[string]*lemma{}, exc: map[string]string{}}
	short := map[string]string{"noun": "n", "verb": "v", "adj": "a"}
	for _, pos := range posOrder {
		if err := eachLine(filepath.Join(dir, "data."+pos), func(line string) error {
			return wn.readSynset(short[pos], line)
		}); err != nil {
			return nil, err
		}
	}
	for _, pos := range posOrder {
		if err := eachLine(filepath.Join(dir, "index."+pos), func(line string) error {
			f := strings.Fields(line)
			if len(f) < 4 || strings.Contains(f[0], "_") {
				return nil
			}
			pc, err := strconv.Atoi(f[3])
			if err != nil {
				return fmt.Errorf("index.%s: %q: %w", pos, f[0], err)
			}
			rest := f[4+pc:]
			tagged, _ := strconv.Atoi(rest[1])
			var keys []string
			for _, off := range rest[2:] {
				keys = append(keys, short[pos]+":"+off)
			}
			// A word used as several parts of speech keeps the one with
			// most tagged senses (ties: noun, verb, adjective).
			if l, ok := wn.lemmas[f[0]]; !ok || tagged > l.count {
				wn.lemmas[f[0]] = &lemma{word: f[0], pos: short[pos], senses: keys, count: tagged}
			}
			return nil
		}); err != nil {
			return nil, err
		}
		if err := eachLine(filepath.Join(dir, pos+".exc"), func(line string) error {
			f := strings.Fields(line)
			if len(f) >= 2 && !strings.Contains(f[0], "_") {
				if _, ok := wn.exc[f[0]]; !ok {
					wn.exc[f[0]] = f[1]
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return wn, nil
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") { // the licence header
			continue
		}
		if err := fn(line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// readSynset reads one line of a data.* file.
func (wn *wordnet) readSynset(pos, line string) error {
	line, _, _ = strings.Cut(line, " | ")
	f := strings.Fields(line)
	if len(f) < 4 {
		return nil
	}
	s := &synset{pos: pos, depth: -1}
	n, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil {
		return fmt.Errorf("synset %s: %w", f[0], err)
	}
	i := 4
	for range n {
		w := strings.ToLower(f[i])
		if k := strings.IndexByte(w, '('); k >= 0 { // adjective markers: "big(a)"
			w = w[:k]
		}
		s.words = append(s.words, w)
		i += 2
	}
	pc, _ := strconv.Atoi(f[i])
	i++
	for range pc {
		sym, off, tpos, sd := f[i], f[i+1], f[i+2], f[i+3]
		i += 4
		if tpos == "s" {
			tpos = "a"
		}
		src, _ := strconv.ParseInt(sd[:2], 16, 32)
		dst, _ := strconv.ParseInt(sd[2:], 16, 32)
		p := pointer{sym: sym, target: tpos + ":" + off, src: int(src), dst: int(dst)}
		s.ptrs = append(s.ptrs, p)
		if sym == "@" || sym == "@i" {
			s.hyper = append(s.hyper, p.target)
		}
	}
	wn.synsets[pos+":"+f[0]] = s
	return nil
}

// depth is a synset's fewest hypernym steps to a root.
func (wn *wordnet) depth(key string) int {
	s := wn.synsets[key]
	if s == nil {
		return 0
	}
	if s.depth >= 0 {
		return s.depth
	}
	s.depth = 0 // guards against cycles
	best := -1
	for _, h := range s.hyper {
		if d := wn.depth(h) + 1; best < 0 || d < best {
			best = d
		}
	}
	if best < 0 {
		best = 0
	}
	s.depth = best
	return best
}

func stem(w string) string {
	return english.Stem(results.SpellingKey(w), true)
}

// usable: a word the tokenizer keeps (not a stop word, letters only).
func usable(w string) bool {
	if len(w) < 3 || english.IsStopWord(w) {
		return false
	}
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// groups groups the stems of WordNet's single words as s says.
func (wn *wordnet) groups(s section) [][]string {
	// Nodes are stems. A stem shared by several words is the word with
	// most tagged senses (e.g. "general" and "generally").
	owner := map[string]*lemma{}
	for _, l := range wn.lemmas {
		if !usable(l.word) {
			continue
		}
		st := stem(l.word)
		if o, ok := owner[st]; !ok || l.count > o.count || l.count == o.count && l.word < o.word {
			owner[st] = l
		}
	}
	uf := newUnion()
	// Each stem's senses, most frequent first; the synset is a node
	// too ("@" + key) that counts for no stem.
	stems := make([]string, 0, len(owner))
	for st := range owner {
		stems = append(stems, st)
	}
	// Most frequent words join first, so a capped group keeps them.
	sort.Slice(stems, func(i, j int) bool {
		a, b := owner[stems[i]], owner[stems[j]]
		if a.count != b.count {
			return a.count > b.count
		}
		return stems[i] < stems[j]
	})
	for _, st := range stems {
		uf.add(st, 1)
	}
	ok := func(key string) bool {
		sy := wn.synsets[key]
		if sy == nil {
			return false
		}
		if sy.pos == "n" && s.minDepth > 0 && wn.depth(key) < s.minDepth {
			return false
		}
		return true
	}
	join := func(a, b string) {
		if uf.size(a)+uf.size(b) <= s.maxGroup || uf.find(a) == uf.find(b) {
			uf.union(a, b)
		}
	}
	for _, st := range stems {
		l := owner[st]
		for i, key := range l.senses {
			if i >= s.senses {
				break
			}
			if !ok(key) {
				continue
			}
			uf.add("@"+key, 0)
			join(st, "@"+key)
		}
	}
	if s.hyper {
		for _, st := range stems {
			for i, key := range owner[st].senses {
				if i >= s.senses || !ok(key) {
					break
				}
				for _, h := range wn.synsets[key].hyper {
					if wn.depth(h) < s.hyperDepth && wn.synsets[h].pos == "n" {
						continue
					}
					if wn.synsets[h].pos == "v" && wn.depth(h) < s.hyperDepth-4 {
						continue
					}
					uf.add("@"+h, 0)
					join("@"+key, "@"+h)
				}
			}
		}
	}
	if s.deriv {
		for _, st := range stems {
			l := owner[st]
			for i, key := range l.senses {
				if i >= s.senses || !ok(key) {
					break
				}
				sy := wn.synsets[key]
				me := indexOf(sy.words, l.word) + 1
				for _, p := range sy.ptrs {
					if p.sym != "+" || p.src != me {
						continue
					}
					t := wn.synsets[p.target]
					if t == nil || p.dst < 1 || p.dst > len(t.words) {
						continue
					}
					w := t.words[p.dst-1]
					if !usable(w) {
						continue
					}
					ts := stem(w)
					if _, known := owner[ts]; known {
						join(st, ts)
					}
				}
			}
		}
	}
	// Irregular forms ("children", "went") join their word's group
	// under their own stem, unless that stem is a word's.
	var forms []string
	for form := range wn.exc {
		forms = append(forms, form)
	}
	sort.Strings(forms)
	for _, form := range forms {
		if !usable(form) {
			continue
		}
		fs, ls := stem(form), stem(wn.exc[form])
		if _, known := owner[fs]; known {
			continue
		}
		if _, known := owner[ls]; !known {
			continue
		}
		uf.add(fs, 1)
		owner[fs] = owner[ls]
		uf.union(ls, fs)
		stems = append(stems, fs)
	}
	byRoot := map[string][]string{}
	for _, st := range stems { // frequency order: a group's first stem is its most frequent
		r := uf.find(st)
		byRoot[r] = append(byRoot[r], st)
	}
	var out [][]string
	for _, g := range byRoot {
		if len(g) >= 2 {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func indexOf(ws []string, w string) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}

// union is a union-find over names, each with a size (stems count 1,
// synsets 0).
type union struct {
	parent map[string]string
	n      map[string]int
}

func newUnion() *union { return &union{parent: map[string]string{}, n: map[string]int{}} }

func (u *union) add(x string, n int) {
	if _, ok := u.parent[x]; !ok {
		u.parent[x] = x
		u.n[x] = n
	}
}

func (u *union) find(x string) string {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *union) size(x string) int { return u.n[u.find(x)] }

func (u *union) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	// The root keeps the older (more frequent) side's name.
	u.parent[rb] = ra
	u.n[ra] += u.n[rb]
}
