package autocode

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Example is one coded answer to learn from. Codes are the codes an
// analyst applied. When Coded is true the analyst has finished the
// answer, so every other code is a negative example; Rejected codes are
// negatives even when the answer is not finished (a suggestion an
// analyst turned down).
type Example struct {
	ID       int64
	Text     string
	Codes    []int32
	Rejected []int32
	Coded    bool
	// Pseudo marks an uncoded answer the model itself labelled with
	// high confidence (self-training): learnt from, never measured, not
	// counted among the coded answers.
	Pseudo bool
}

// Options tune training; the zero value means the defaults below.
type Options struct {
	// Lambda is the L2 penalty per example (C = 1/(Lambda·n) in
	// liblinear's terms).
	Lambda float64
	// MinDF drops terms found in fewer answers than this.
	MinDF int
	// MinPositives: a code with fewer positive examples gets no model.
	MinPositives int
	// Epochs of coordinate descent.
	Epochs int
	// Features: which terms describe an answer; zero means
	// DefaultFeatures.
	Features Features
	// Unlabelled are answers nobody has coded yet (their texts only):
	// with FeatureSelfTrain, those the first model is most confident
	// about become extra examples of their codes.
	Unlabelled []string
	// PseudoNegMax: with self-training, an uncoded answer whose
	// probability for a code is below this is taken as a negative for it
	// (zero: DefaultPseudoNegMax; negative: never).
	PseudoNegMax float64
	// PseudoMin is the least probability at which self-training takes
	// an uncoded answer as an example of a code (above the code's own
	// threshold too); zero means DefaultPseudoMin.
	PseudoMin float64
	// SelfTrainRounds is how many times self-training labels the
	// uncoded answers again with the latest model and retrains; zero
	// means once.
	SelfTrainRounds int
	// LSADims: the LSA block's dimensions (zero: DefaultLSADims).
	LSADims int
	// CutSlack: with FeatureThresholds, each code's threshold is the
	// lowest whose cross-validated F1 on the training answers is within
	// CutSlack of the best (zero: the best, nearest Threshold on ties).
	// Cross-validation over coded answers overrates how well a code is
	// found in answers worded unlike any coded one, so among thresholds
	// it cannot tell apart the lowest finds most of those.
	CutSlack float64

	// corpus, when set, holds the texts' terms for every model trained
	// with these options (see corpus.go).
	corpus *corpus
}

// DefaultPseudoMin: see Options.PseudoMin. Chosen from 0.5, 0.7 and 0.9
// (and 0.7 in three rounds) by cross-validation over training answers
// with one phrasing of every point held out, and by the themefinder
// sets' 5-fold figures; never by the held-out test answers.
const DefaultPseudoMin = 0.5

// DefaultPseudoNegMax: see Options.PseudoNegMax. Candidate B of the
// second held-out set's comparison (README), fixed before it was run.
const DefaultPseudoNegMax = 0.05

// SentenceNegativePool is the most finished answers whose sentences
// FeatureSentenceNegatives learns from: a few thousand teach the model
// what a lone sentence looks like, and every one more is two or three
// more examples to fit (at 10,000 coded answers, training would take
// twice as long). Every evaluation set is smaller, so its figures are
// of the method without the cap.
const SentenceNegativePool = 2000

// SelfTrainPool is the most uncoded answers the product hands
// self-training: enough to meet most wordings of a question's points,
// few enough that training stays within its time.
const SelfTrainPool = 5000

// Features is a set of the kinds of term a model uses, and whether it
// chooses a threshold per code.
type Features uint16

const (
	// FeatureWords: stems and pairs of neighbouring stems (always on).
	FeatureWords Features = 1 << iota
	// FeatureGrams: character n-grams within words, as a second block
	// of the vector.
	FeatureGrams
	// FeatureSynonyms: each word's group in the hand-written thesaurus.
	FeatureSynonyms
	// FeatureThresholds: a threshold per code chosen by cross-validation
	// on the training answers alone (otherwise Threshold for every code).
	FeatureThresholds
	// FeatureSelfTrain: learn a second time with the uncoded answers
	// (Options.Unlabelled) the first model suggests a code for with high
	// confidence as extra examples of that code; their other words then
	// count for the code, which reaches answers worded like them.
	FeatureSelfTrain
	// FeatureLSA: a third block of latent semantic analysis dimensions
	// learnt from the coded and uncoded answers' words (see lsa.go).
	FeatureLSA
	// FeatureSentences: an answer's probability for a code is the
	// largest of the whole answer's and each of its sentences' scored
	// alone. TF-IDF vectors are normalised over the whole answer, so one
	// point's words are diluted by the other points', the opening's and
	// the closing's; a rewording sharing a word or two with the known
	// wordings of a point then stays below the threshold as part of a
	// long answer but not on its own. Training is unchanged; thresholds
	// are chosen on predictions scored the same way.
	FeatureSentences
	// FeatureThesaurus: words of a group of the extended thesaurus
	// (thesaurus.go, which includes the base one's groups) are counted as
	// their group, in place of their stem (also inside pairs); it takes
	// the place of FeatureSynonyms, whose group is added beside the stem.
	FeatureThesaurus
	// FeatureSentenceNegatives: with FeatureSentences, each sentence of
	// a finished answer with more than one is also learnt from, alone,
	// as a negative for every code the answer does not have (an answer
	// without a code has no sentence that makes it); it says nothing
	// about the codes the answer has, as which sentence made them is not
	// recorded. Sentence scoring scores sentences alone; a model learnt
	// only from whole answers has never seen one, and a short sentence's
	// few words then reach codes no analyst gave.
	FeatureSentenceNegatives
	// FeaturesX is candidate X of the third held-out set, the default
	// from then until the fourth: B (self-training with negatives,
	// PseudoMin 0.5, PseudoNegMax 0.05) with sentence scoring, sentence
	// negatives and the extended thesaurus. The golden model test pins
	// its model.
	FeaturesX = FeatureWords | FeatureGrams | FeatureThesaurus | FeatureThresholds | FeatureSelfTrain | FeatureSentences | FeatureSentenceNegatives
)

// DefaultFeatures is what the product uses: candidate Y of the fourth
// held-out set, X with WordNet groups in place (FeatureWordNet), chosen
// on the second and third sets used as development sets. By the rule
// fixed before the fourth set existed, it replaced X there: fourth-set
// micro F1 0.583 against X's 0.568 (more than 0.005 better),
// themefinder within 0.01 of X on all three sets. See the README.
const DefaultFeatures = FeaturesX | FeatureWordNet

func (o Options) withDefaults() Options {
	if o.Lambda == 0 {
		o.Lambda = 1e-4
	}
	if o.MinDF == 0 {
		o.MinDF = 2
	}
	if o.MinPositives == 0 {
		o.MinPositives = 3
	}
	if o.Epochs == 0 {
		o.Epochs = 30
	}
	if o.Features == 0 {
		o.Features = DefaultFeatures
	}
	if o.LSADims == 0 {
		o.LSADims = DefaultLSADims
	}
	if o.PseudoMin == 0 {
		o.PseudoMin = DefaultPseudoMin
	}
	if o.PseudoNegMax == 0 {
		o.PseudoNegMax = DefaultPseudoNegMax
	}
	o.Features |= FeatureWords
	return o
}

// Model is a trained model for one question: the vocabulary with its
// inverse document frequencies, and per code a weight for every term
// and a bias. Weights are stored term-major (W[term*len(Codes)+code]) so
// scoring an answer walks each of its terms once.
type Model struct {
	Version string
	// Features the model was trained with (zero in models stored before
	// features were chosen: words and pairs only).
	Features Features
	// Terms are word features, Grams character n-grams; both index IDF
	// and the rows of W.
	Terms map[string]int32
	Grams map[string]int32
	IDF   []float32
	Codes []int32
	W     []float32
	Bias  []float32
	// Cut is each code's threshold (nil: Threshold for every code).
	Cut []float32
	// With FeatureLSA: each LSA stem's index, IDF and LsaDims-long
	// vector (LsaVec[stem*LsaDims+d]); the block's dimensions are the
	// rows LsaBase… of W (their IDF is 1).
	Lsa     map[string]int32
	LsaIDF  []float32
	LsaVec  []float32
	LsaDims int
	LsaBase int32
	// Examples is how many coded answers the model learnt from (hints
	// from the codeframe aside).
	Examples int
}

// vector is a sparse TF-IDF vector, L2-normalised: its non-zero
// features in index order, each index beside its value (fitting reads
// them as one stream). sq is 1 + its squared length as float32 values
// (the bias is a feature of value 1): fitLogistic's curvature for the
// example, the same for every code.
type vector struct {
	ent []entry
	sq  float64
}

// entry is a feature's index and value.
type entry struct {
	j int32
	v float32
}

// Train fits a model to the examples for the given codes. Codes with
// too few positive examples are left out of the model. With
// FeatureThresholds each code's threshold is chosen by cross-validation
// over these examples only: Train never sees the answers a caller will
// measure it on.
func Train(tok *Tokenizer, examples []Example, codes []int32, opt Options) (*Model, error) {
	opt = opt.withDefaults()
	if len(examples) == 0 {
		return nil, fmt.Errorf("autocode: train: no coded answers")
	}
	// One corpus for every model fitted below (self-training's, each
	// fold's), unless the caller shares its own.
	opt = withCorpus(tok, opt)
	if opt.Features&FeatureSelfTrain != 0 {
		return selfTrain(tok, examples, codes, opt)
	}
	// Thresholds are chosen by cross-validation over the caller's
	// examples: sentences are added again inside each fold's training.
	cutExamples := examples
	docs := len(examples) // those that count towards IDF
	if opt.Features&(FeatureSentences|FeatureSentenceNegatives) == FeatureSentences|FeatureSentenceNegatives {
		examples = withSentenceNegatives(examples, codes)
	}
	ds := make([]*doc, len(examples))
	for i, ex := range examples {
		ds[i] = opt.corpus.doc(ex.Text)
	}
	cv := opt.corpus.view()
	// Document frequencies by term number; seen[t] is 1 + the last
	// example that counted t.
	wdf, gdf := make([]int32, len(cv.words)), make([]int32, len(cv.grams))
	wseen, gseen := make([]int32, len(cv.words)), make([]int32, len(cv.grams))
	// A hint's terms are kept however rare: a code's name is chosen
	// words, often ones no coded answer has used yet. (By the term
	// itself, word or gram, as a word and a gram may be written alike.)
	hinted := map[string]bool{}
	for i, d := range ds[:docs] {
		stamp := int32(i + 1)
		for _, t := range d.words {
			if wseen[t] != stamp {
				wseen[t] = stamp
				wdf[t]++
			}
		}
		cv.eachGram(d, func(g int32) {
			if gseen[g] != stamp {
				gseen[g] = stamp
				gdf[g]++
			}
		})
		if examples[i].ID < 0 {
			for _, t := range d.words {
				hinted[cv.words[t]] = true
			}
			cv.eachGram(d, func(g int32) { hinted[cv.grams[g]] = true })
		}
	}
	m := &Model{Features: opt.Features, Terms: map[string]int32{}, Grams: map[string]int32{}}
	for _, ex := range examples[:docs] {
		if ex.ID >= 0 && !ex.Pseudo { // hints have negative ids
			m.Examples++
		}
	}
	n := float64(docs)
	// vocab numbers the kept terms in the order of the terms themselves
	// and returns each term number's index in the model (-1: dropped).
	vocab := func(df []int32, names []string, into map[string]int32) []int32 {
		var keys []int32
		for t, k := range df {
			if k > 0 && (int(k) >= opt.MinDF || docs < 50 || hinted[names[t]]) {
				keys = append(keys, int32(t))
			}
		}
		slices.SortFunc(keys, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
		idx := make([]int32, len(df))
		for i := range idx {
			idx[i] = -1
		}
		for _, t := range keys {
			idx[t] = int32(len(m.IDF))
			into[names[t]] = idx[t]
			m.IDF = append(m.IDF, float32(math.Log((1+n)/(1+float64(df[t])))+1))
		}
		return idx
	}
	widx := vocab(wdf, cv.words, m.Terms)
	gidx := vocab(gdf, cv.grams, m.Grams)
	if opt.Features&FeatureLSA != 0 {
		docs := make([][]string, len(examples))
		for i, d := range ds {
			for _, t := range d.words {
				docs[i] = append(docs[i], cv.words[t])
			}
		}
		var buf []Token
		for _, text := range opt.Unlabelled {
			var ws []string
			buf, ws, _ = tok.Features(text, FeatureWords, buf, nil, nil)
			docs = append(docs, ws)
		}
		fitLSA(m, docs, opt.LSADims)
		if m.LsaDims > 0 {
			m.LsaBase = int32(len(m.IDF))
			for range m.LsaDims {
				m.IDF = append(m.IDF, 1)
			}
		}
	}
	xs := make([]vector, len(examples))
	f := newFeaturizer(m)
	for i, d := range ds {
		xs[i] = f.docVector(m, d, cv, widx, gidx)
	}

	// Which codes have enough positives.
	pos := map[int32]int{}
	for _, ex := range examples {
		for _, c := range ex.Codes {
			pos[c]++
		}
	}
	for _, c := range codes {
		if pos[c] >= opt.MinPositives {
			m.Codes = append(m.Codes, c)
		}
	}
	V, C := len(m.IDF), len(m.Codes)
	m.W = make([]float32, V*C)
	m.Bias = make([]float32, C)
	// Codes are fitted on every core at once: each is independent and
	// writes only its own column of W.
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for ci, c := range m.Codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var rows []fitRow
			for i, ex := range examples {
				switch {
				case slices.Contains(ex.Codes, c):
					rows = append(rows, fitRow{x: xs[i].ent, qd: xs[i].sq, y: 1})
				case ex.Coded || slices.Contains(ex.Rejected, c):
					rows = append(rows, fitRow{x: xs[i].ent, qd: xs[i].sq, y: -1})
				}
			}
			w := make([]float64, V)
			b := fitLogistic(rows, w, opt)
			for j, v := range w {
				m.W[j*C+ci] = float32(v)
			}
			m.Bias[ci] = float32(b)
		}()
	}
	wg.Wait()
	if opt.Features&FeatureThresholds != 0 && C > 0 {
		m.Cut = chooseCuts(tok, cutExamples, m.Codes, opt)
	}
	return m, nil
}

// selfTrain trains once on the examples, labels the uncoded answers
// each code's model is most sure of (probability at least PseudoMin and
// the code's threshold), and trains again with them as examples of
// those codes only: an answer taken for one code says nothing about the
// others. Thresholds are chosen again, by cross-validation over the
// coded answers (the pseudo-labelled ones are always learnt from, never
// measured).
func selfTrain(tok *Tokenizer, examples []Example, codes []int32, opt Options) (*Model, error) {
	first := opt
	first.Features &^= FeatureSelfTrain
	m, err := Train(tok, examples, codes, first)
	if err != nil || len(opt.Unlabelled) == 0 || len(m.Codes) == 0 {
		return m, err
	}
	for range max(1, opt.SelfTrainRounds) {
		// Each round labels afresh with the latest model, on every core
		// (each answer apart; they are added in their own order).
		got, not := make([][]int32, len(opt.Unlabelled)), make([][]int32, len(opt.Unlabelled))
		scorers := newScorers(m, tok)
		var wg sync.WaitGroup
		for w, sc := range scorers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				lo, hi := w*len(got)/len(scorers), (w+1)*len(got)/len(scorers)
				for i := lo; i < hi; i++ {
					for ci, p := range sc.Scores(opt.Unlabelled[i]) {
						switch {
						case p >= opt.PseudoMin && sc.Suggests(ci, p):
							got[i] = append(got[i], m.Codes[ci])
						case p < opt.PseudoNegMax:
							not[i] = append(not[i], m.Codes[ci])
						}
					}
				}
			}()
		}
		wg.Wait()
		extra := slices.Clone(examples)
		for i, text := range opt.Unlabelled {
			// Negatives too: otherwise a word no coded answer used but
			// common among uncoded ones (a stock opening) is only ever
			// seen in positives, and counts for every code it meets.
			if len(got[i])+len(not[i]) > 0 {
				extra = append(extra, Example{ID: int64(len(extra)), Text: text, Codes: got[i], Rejected: not[i], Pseudo: true})
			}
		}
		if len(extra) == len(examples) {
			break
		}
		if m, err = Train(tok, extra, codes, first); err != nil {
			return nil, err
		}
		m.Features |= FeatureSelfTrain
	}
	return m, nil
}

// cut is the threshold of the model's code at index ci.
func (m *Model) cut(ci int) float64 {
	if m.Cut == nil {
		return Threshold
	}
	return float64(m.Cut[ci])
}

// featurizer turns an answer's terms into a model's sparse vector,
// reusing its buffers: words and grams are two blocks, each sublinear
// TF-IDF (1+log tf)·idf normalised to unit length, then scaled so the
// whole vector has unit length. Blocks are normalised apart because a
// word yields a dozen n-grams but one stem: the grams would otherwise
// drown the words. Unknown terms are dropped. Counts live in a slice as
// long as the vocabulary (a map per answer was the scorer's slowest
// part); only the touched entries are read and reset.
type featurizer struct {
	cnt     []int32
	touched [3][]int32
	// LSA stems' counts, those touched, the block's value and its
	// indices (LsaBase…), and each block's scale after each.
	lcnt     []int32
	ltouched []int32
	dims     []int32
	scale    [3]float64
	// x is each touched feature's value after each.
	x   []float64
	key []byte
	// What is left of the block docVector cuts vectors from, and its
	// buffer of indices.
	block []entry
	idx   []int32
}

func newFeaturizer(m *Model) featurizer {
	f := featurizer{cnt: make([]int32, len(m.IDF)), x: make([]float64, len(m.IDF)), lcnt: make([]int32, len(m.LsaIDF))}
	for d := range m.LsaDims {
		f.dims = append(f.dims, m.LsaBase+int32(d))
	}
	return f
}

// reset forgets the last answer's counts.
func (f *featurizer) reset() {
	for b := range f.touched {
		for _, j := range f.touched[b] {
			f.cnt[j] = 0
		}
		f.touched[b] = f.touched[b][:0]
	}
	for _, j := range f.ltouched {
		f.lcnt[j] = 0
	}
	f.ltouched = f.ltouched[:0]
}

// addLSA counts one occurrence of stem for the LSA block.
func (f *featurizer) addLSA(m *Model, stem string) {
	if m.LsaDims == 0 {
		return
	}
	if j, ok := m.Lsa[stem]; ok {
		if f.lcnt[j] == 0 {
			f.ltouched = append(f.ltouched, j)
		}
		f.lcnt[j]++
	}
}

// tfLog[c] is 1 + ln c, the sublinear weight of a term found c times:
// a table, as nearly every count is small (the values math.Log gives,
// so nothing changes).
var tfLog = func() (t [64]float64) {
	for c := 1; c < len(t); c++ {
		t[c] = 1 + math.Log(float64(c))
	}
	return t
}()

func tfWeight(c int32) float64 {
	if c < int32(len(tfLog)) {
		return tfLog[c]
	}
	return 1 + math.Log(float64(c))
}

// lsaWeight is the TF-IDF weight of the LSA stem j in the last answer.
func (f *featurizer) lsaWeight(m *Model, j int32) float64 {
	return tfWeight(f.lcnt[j]) * float64(m.LsaIDF[j])
}

// countDoc counts a corpus text's terms that m has (word terms, then
// grams, in the text's order). widx and gidx are each term number's
// index in m (-1: none).
func (f *featurizer) countDoc(m *Model, d *doc, cv view, widx, gidx []int32) {
	f.reset()
	for _, t := range d.words {
		if m.LsaDims > 0 && isStem(cv.words[t]) {
			f.addLSA(m, cv.words[t])
		}
		if j := widx[t]; j >= 0 {
			if f.cnt[j] == 0 {
				f.touched[0] = append(f.touched[0], j)
			}
			f.cnt[j]++
		}
	}
	cv.eachGram(d, func(g int32) {
		if j := gidx[g]; j >= 0 {
			if f.cnt[j] == 0 {
				f.touched[1] = append(f.touched[1], j)
			}
			f.cnt[j]++
		}
	})
}

// each sets x for every feature of the last counted answer and calls fn
// with it (fn may be nil).
func (f *featurizer) each(m *Model, fn func(j int32, x float64)) {
	var norms [3]float64
	for b, js := range f.touched[:2] {
		for _, j := range js {
			x := tfWeight(f.cnt[j]) * float64(m.IDF[j])
			f.x[j] = x
			norms[b] += x * x
		}
	}
	// The LSA block: the sum of the answer's stems' vectors, each
	// weighted by its TF-IDF.
	if len(f.ltouched) > 0 {
		D := m.LsaDims
		for _, j := range f.dims {
			f.x[j] = 0
		}
		for _, t := range f.ltouched {
			w := f.lsaWeight(m, t)
			vec := m.LsaVec[int(t)*D : int(t)*D+D]
			for d, v := range vec {
				f.x[f.dims[d]] += w * float64(v)
			}
		}
		for _, j := range f.dims {
			norms[2] += f.x[j] * f.x[j]
		}
		if norms[2] > 0 {
			f.touched[2] = append(f.touched[2], f.dims...)
		}
	}
	nonEmpty := 0
	for _, n := range norms {
		if n > 0 {
			nonEmpty++
		}
	}
	for b, js := range f.touched {
		if norms[b] == 0 {
			continue
		}
		scale := 1 / math.Sqrt(norms[b]*float64(nonEmpty))
		f.scale[b] = scale
		for _, j := range js {
			f.x[j] *= scale
			if fn != nil {
				fn(j, f.x[j])
			}
		}
	}
}

// docVector is d's vector under m. Vectors are cut from large blocks:
// a training run makes tens of thousands, each a few hundred long.
func (f *featurizer) docVector(m *Model, d *doc, cv view, widx, gidx []int32) vector {
	f.countDoc(m, d, cv, widx, gidx)
	f.each(m, nil)
	f.idx = append(append(append(f.idx[:0], f.touched[0]...), f.touched[1]...), f.touched[2]...)
	slices.Sort(f.idx)
	n := len(f.idx)
	if len(f.block) < n {
		f.block = make([]entry, max(n, 1<<18))
	}
	v := vector{ent: f.block[:n:n], sq: 1}
	f.block = f.block[n:]
	for k, j := range f.idx {
		x := float32(f.x[j])
		v.ent[k] = entry{j: j, v: x}
		v.sq += float64(x) * float64(x)
	}
	return v
}

// fitRow is one example as fitLogistic sees it: its features, label
// (±1), curvature (vector.sq), weight C_i and its dual variables, kept
// together because the examples are visited in random order.
type fitRow struct {
	x         []entry
	y, qd, ci float64
	alpha     [2]float64 // α_i and C_i − α_i
}

// fitLogistic minimises mean log-loss + λ/2·|w|² by dual coordinate
// descent (Hsieh et al. 2008 / Yu, Huang & Lin 2011, as in liblinear),
// with the bias as a constant feature of value 1. It suits sparse,
// normalised text features: each epoch is one pass over the non-zeros.
func fitLogistic(rows []fitRow, w []float64, opt Options) float64 {
	n := len(rows)
	if n == 0 {
		return 0
	}
	// liblinear's C for our λ: primal is ½|w|² + C·Σ loss.
	C := 1 / (opt.Lambda * float64(n))
	// Positives are usually rare: weight each class so both count
	// alike, as analysts care about finding the answers with a code.
	npos := 0
	for _, r := range rows {
		if r.y > 0 {
			npos++
		}
	}
	cpos, cneg := C, C
	if npos > 0 && npos < n {
		cpos = C * float64(n) / (2 * float64(npos))
		cneg = C * float64(n) / (2 * float64(n-npos))
	}
	const biasX = 1.0
	var b float64
	for i := range rows {
		r := &rows[i]
		r.ci = cneg
		if r.y > 0 {
			r.ci = cpos
		}
		r.alpha[0] = math.Min(0.001*r.ci, 1e-8)
		r.alpha[1] = r.ci - r.alpha[0]
		for _, e := range r.x {
			w[e.j] += r.y * r.alpha[0] * float64(e.v)
		}
		b += r.y * r.alpha[0] * biasX
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	seed := uint64(88172645463325252)
	const innerEps = 1e-2
	for epoch := 0; epoch < opt.Epochs; epoch++ {
		for i := n - 1; i > 0; i-- { // xorshift shuffle: deterministic
			seed ^= seed << 13
			seed ^= seed >> 7
			seed ^= seed << 17
			k := int(seed % uint64(i+1))
			order[i], order[k] = order[k], order[i]
		}
		maxChange := 0.0
		for _, i := range order {
			r := &rows[i]
			yi, Ci := r.y, r.ci
			ywx := b * biasX
			for _, e := range r.x {
				ywx += w[e.j] * float64(e.v)
			}
			ywx *= yi
			a, cc := r.qd, ywx
			ind1, ind2, sign := 0, 1, 1.0
			if 0.5*a*(r.alpha[ind2]-r.alpha[ind1])+cc < 0 {
				ind1, ind2, sign = 1, 0, -1.0
			}
			alphaOld := r.alpha[ind1]
			z := alphaOld
			if Ci-z < 0.5*Ci {
				z = 0.1 * z
			}
			gp := a*(z-alphaOld) + sign*cc + math.Log(z/(Ci-z))
			for inner := 0; inner < 100 && math.Abs(gp) >= innerEps; inner++ {
				gpp := a + Ci/(Ci-z)/z
				tmpz := z - gp/gpp
				if tmpz <= 0 {
					z *= 0.1
				} else {
					z = tmpz
				}
				gp = a*(z-alphaOld) + sign*cc + math.Log(z/(Ci-z))
			}
			r.alpha[ind1], r.alpha[ind2] = z, Ci-z
			d := sign * (z - alphaOld) * yi
			if d != 0 {
				for _, e := range r.x {
					w[e.j] += d * float64(e.v)
				}
				b += d * biasX
				maxChange = math.Max(maxChange, math.Abs(d))
			}
		}
		if maxChange < 1e-4 {
			break
		}
	}
	return b * biasX
}

// Score is a code's probability for one answer.
type Score struct {
	Code int32
	P    float64
}

// Scorer scores answers with a model, reusing its buffers; one per
// goroutine.
type Scorer struct {
	m    *Model
	tok  *Tokenizer
	buf  []Token
	f    featurizer
	sums []float64
	// With FeatureSentences: the answer's spans of tokens (the whole
	// first, then each sentence), the span each code's probability came
	// from, the span f last counted, and each span's sums.
	spans   [][2]int
	from    []int
	counted int
	out     []float64
	// Each token's word (wf) and the index of the pair it ends (pair, -1
	// if none), found once per answer: the whole answer and each of its
	// sentences are counted from them. Words and pairs are kept between
	// answers (words by the word as written, pairs by the two words'
	// ids), so an answer costs one map look-up per word and per pair
	// rather than one per term and character n-gram for each span.
	wf     []*scoredWord
	pair   []int32
	words  map[string]*scoredWord
	pairs  map[uint64]int32
	nextID uint32
	stem   func(string) stemmed
	// Drivers' marks of the features already given to a unit: a feature
	// j is used when usedAt[j] == gen.
	usedAt []uint32
	gen    uint32
}

// scoredWord is a word as the scorer's model sees it: its tokenisation,
// the indices of its term and synonym group (-1 when the model has
// none) and of its character n-grams the model has, in the order
// Tokenizer.Features makes them.
type scoredWord struct {
	st          stemmed
	id          uint32
	term, group int32
	grams       []int32
	// The unit Drivers gave the word in its call of generation unitGen.
	unitGen uint32
	unit    int32
}

// Bounds of a scorer's word and pair caches (a few tens of MB at most):
// answers bring typos and names, so a scorer over a million answers must
// not grow without limit.
const (
	maxScorerWords = 100_000
	maxScorerPairs = 300_000
)

// NewScorer returns a scorer for m.
func NewScorer(m *Model, tok *Tokenizer) *Scorer {
	s := &Scorer{m: m, tok: tok, sums: make([]float64, len(m.Codes)), out: make([]float64, len(m.Codes)), from: make([]int, len(m.Codes)), f: newFeaturizer(m),
		words: map[string]*scoredWord{}, pairs: map[uint64]int32{}}
	s.stem = s.lookup
	return s
}

// lookup is the stem of w for Tokenizer.words, through the scorer's own
// cache; it records the word for the token about to be appended.
func (s *Scorer) lookup(w string) stemmed {
	if e, ok := s.words[w]; ok {
		s.wf = append(s.wf, e)
		return e.st
	}
	st := s.tok.stem(w)
	e := &scoredWord{st: st, id: s.nextID, term: -1, group: -1}
	s.nextID++
	if !st.stop {
		m := s.m
		t := Token{Stem: st.stem, Group: st.group, Group2: st.group2, WN: st.wn, Framed: st.framed}
		if j, ok := m.Terms[t.term(m.Features)]; ok {
			e.term = j
		}
		if g := t.group(m.Features); g != "" {
			if j, ok := m.Terms[g]; ok {
				e.group = j
			}
		}
		if m.Features&FeatureGrams != 0 {
			w := st.framed
			for n := MinGram; n <= MaxGram; n++ {
				for k := 0; k+n <= len(w); k++ {
					if j, ok := m.Grams[w[k:k+n]]; ok {
						e.grams = append(e.grams, j)
					}
				}
			}
		}
	}
	s.words[strings.Clone(w)] = e
	s.wf = append(s.wf, e)
	return st
}

// pairIndex is the model's index of the pair of neighbouring tokens
// i-1 and i (-1 when it has none).
func (s *Scorer) pairIndex(i int) int32 {
	a, b := s.wf[i-1], s.wf[i]
	k := uint64(a.id)<<32 | uint64(b.id)
	if j, ok := s.pairs[k]; ok {
		return j
	}
	f := s.m.Features
	s.f.key = append(append(append(s.f.key[:0], s.buf[i-1].term(f)...), ' '), s.buf[i].term(f)...)
	j, ok := s.m.Terms[string(s.f.key)]
	if !ok {
		j = -1
	}
	s.pairs[k] = j
	return j
}

// tokens tokenises text into s.buf, with each token's word and pair.
func (s *Scorer) tokens(text string) {
	if len(s.words) >= maxScorerWords || len(s.pairs) >= maxScorerPairs {
		// Ids are never reused, so no stale pair can match.
		clear(s.words)
		clear(s.pairs)
	}
	s.wf = s.wf[:0]
	s.buf = s.tok.words(text, s.buf, s.stem)
	s.pair = s.pair[:0]
	for i, t := range s.buf {
		j := int32(-1)
		if i > 0 && !(t.Stop && s.buf[i-1].Stop) {
			j = s.pairIndex(i)
		}
		s.pair = append(s.pair, j)
	}
}

// count counts the features of the tokens in span as Tokenizer.Features
// makes them, in the same order (a pair belongs to a span only when
// both its tokens do).
func (s *Scorer) count(span [2]int) {
	f, m := &s.f, s.m
	f.reset()
	add := func(b int, j int32) {
		if f.cnt[j] == 0 {
			f.touched[b] = append(f.touched[b], j)
		}
		f.cnt[j]++
	}
	for i := span[0]; i < span[1]; i++ {
		if !s.buf[i].Stop {
			e := s.wf[i]
			if e.term >= 0 {
				add(0, e.term)
			}
			f.addLSA(m, s.buf[i].Stem)
			if e.group >= 0 {
				add(0, e.group)
			}
			for _, j := range e.grams {
				add(1, j)
			}
		}
		if i > span[0] && s.pair[i] >= 0 {
			add(0, s.pair[i])
		}
	}
}

// Scores returns every code's probability for text, in m.Codes order.
// The slice is reused by the next call.
func (s *Scorer) Scores(text string) []float64 {
	s.tokens(text)
	s.spans = append(s.spans[:0], [2]int{0, len(s.buf)})
	if s.m.Features&FeatureSentences != 0 {
		start := 0
		for i, t := range s.buf {
			if t.Sentence {
				s.spans = append(s.spans, [2]int{start, i})
				start = i
			}
		}
		if start > 0 { // more than one sentence
			s.spans = append(s.spans, [2]int{start, len(s.buf)})
		} else {
			s.spans = s.spans[:1]
		}
	}
	for k, sp := range s.spans {
		s.score(sp)
		s.counted = k
		for c, p := range s.sums {
			if k == 0 || p > s.out[c] {
				s.out[c], s.from[c] = p, k
			}
		}
	}
	return s.out
}

// score sets sums to every code's probability for the tokens in span.
func (s *Scorer) score(span [2]int) {
	s.count(span)
	C := len(s.m.Codes)
	for c := range s.sums {
		s.sums[c] = float64(s.m.Bias[c])
	}
	sums := s.sums[:C]
	s.f.each(s.m, func(j int32, x float64) {
		row := s.m.W[int(j)*C : int(j)*C+C]
		for k, w := range row {
			sums[k] += x * float64(w)
		}
	})
	for k, z := range s.sums {
		s.sums[k] = sigmoid(z)
	}
}

// Suggests reports whether probability p of the code at index ci is at
// or above the model's threshold for it.
func (s *Scorer) Suggests(ci int, p float64) bool { return p >= s.m.cut(ci) }

// Drivers explains the last answer Scores saw: the words and pairs of
// words that added most to code ci's score (weight × feature value), at
// most n, in the answer's own words. A word gathers the contributions of
// its stem, its synonym group and its share of its character n-grams. A
// single word already shown inside a stronger pair is left out, so the
// list reads as distinct evidence.
//
// With sentence scoring, the words are those of the part of the answer
// (the whole or one sentence) the code's probability came from.
func (s *Scorer) Drivers(ci, n int) []Driver {
	if len(s.spans) == 0 {
		return nil
	}
	if k := s.from[ci]; k != s.counted {
		s.count(s.spans[k])
		s.f.each(s.m, nil)
		s.counted = k
	}
	lo, hi := s.spans[s.counted][0], s.spans[s.counted][1]
	toks := s.buf[lo:hi]
	if len(s.f.touched[0])+len(s.f.touched[1])+len(s.f.touched[2]) == 0 {
		return nil
	}
	// s.f.x still holds the values Scores computed.
	C := len(s.m.Codes)
	contrib := func(j int32) float64 { return s.f.x[j] * float64(s.m.W[int(j)*C+ci]) }
	// A unit is a word (every token written the same way) or a pair of
	// neighbouring tokens; each feature counts once, for the first unit
	// that has it. A gram's contribution is shared between the words it
	// comes from (s.f.cnt still holds how often each occurs).
	type unit struct {
		first, last int
		c           float64
	}
	var units []unit
	if len(s.usedAt) != len(s.m.IDF) {
		s.usedAt, s.gen = make([]uint32, len(s.m.IDF)), 0
	}
	s.gen++
	if s.gen == 0 { // wrapped: forget every mark
		clear(s.usedAt)
		for _, e := range s.words {
			e.unitGen = 0
		}
		s.gen = 1
	}
	// A word's unit is found through its scoredWord (one per word as
	// written), marked with this call's generation.
	word := func(i int) *unit {
		e := s.wf[lo+i]
		if e.unitGen != s.gen {
			e.unitGen, e.unit = s.gen, int32(len(units))
			units = append(units, unit{first: i, last: i})
		}
		return &units[e.unit]
	}
	use := func(j int32) bool {
		if j < 0 || s.usedAt[j] == s.gen {
			return false
		}
		s.usedAt[j] = s.gen
		return true
	}
	// A stem's share of the LSA block: its weighted vector times the
	// code's weights on the block (the block is linear in its stems).
	var lsaW []float64
	if len(s.f.touched[2]) > 0 {
		for _, j := range s.f.dims {
			lsaW = append(lsaW, float64(s.m.W[int(j)*C+ci]))
		}
	}
	usedLSA := map[int32]bool{}
	for i, tok := range toks {
		e := s.wf[lo+i]
		if !tok.Stop {
			if use(e.term) {
				word(i).c += contrib(e.term)
			}
			if t, ok := s.m.Lsa[tok.Stem]; ok && lsaW != nil && !usedLSA[t] {
				usedLSA[t] = true
				D := s.m.LsaDims
				dot := 0.0
				for d, v := range s.m.LsaVec[int(t)*D : int(t)*D+D] {
					dot += float64(v) * lsaW[d]
				}
				word(i).c += s.f.lsaWeight(s.m, t) * s.f.scale[2] * dot
			}
			if use(e.group) {
				word(i).c += contrib(e.group)
			}
			for _, j := range e.grams {
				word(i).c += contrib(j) / float64(s.f.cnt[j])
			}
		}
		if i > 0 && use(s.pair[lo+i]) {
			units = append(units, unit{first: i - 1, last: i, c: contrib(s.pair[lo+i])})
		}
	}
	slices.SortStableFunc(units, func(a, b unit) int { return cmp.Compare(b.c, a.c) })
	var top []Driver
	for _, u := range units {
		if u.c <= 0 || len(top) == 2*n {
			break
		}
		words := toks[u.first].Word
		if u.last > u.first {
			words += " " + toks[u.last].Word
		}
		top = append(top, Driver{Words: words, Contribution: u.c})
	}
	var out []Driver
	for _, d := range top {
		dup := false
		for _, k := range out {
			if strings.Contains(" "+k.Words+" ", " "+d.Words+" ") {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, d)
		}
		if len(out) == n {
			break
		}
	}
	return out
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Driver is a term of an answer that pushed a code's score up: its
// words as written in the answer and its contribution to the score.
type Driver struct {
	Words        string
	Contribution float64
}

// Explain returns the terms of text that contribute most to code's
// score (largest positive weight × feature value), at most n.
func (m *Model) Explain(tok *Tokenizer, text string, code int32, n int) []Driver {
	ci := slices.Index(m.Codes, code)
	if ci < 0 {
		return nil
	}
	sc := NewScorer(m, tok)
	sc.Scores(text)
	return sc.Drivers(ci, n)
}

// withSentenceNegatives appends, for each finished example with more
// than one sentence, each sentence as an unfinished example rejecting
// every code the example does not have (FeatureSentenceNegatives).
func withSentenceNegatives(examples []Example, codes []int32) []Example {
	out := slices.Clone(examples)
	split := 0
	for _, ex := range examples {
		if !ex.Coded || split == SentenceNegativePool {
			continue
		}
		parts := sentences(ex.Text)
		if len(parts) < 2 {
			continue
		}
		split++
		var not []int32
		for _, c := range codes {
			if !slices.Contains(ex.Codes, c) {
				not = append(not, c)
			}
		}
		for _, p := range parts {
			out = append(out, Example{ID: int64(len(out)), Text: p, Rejected: not, Pseudo: true})
		}
	}
	return out
}

// sentences splits text where the tokenizer starts a new sentence: after
// one of . ? ! ; : (empty parts dropped).
func sentences(text string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		if p := strings.TrimSpace(text[start:end]); p != "" {
			out = append(out, p)
		}
		start = end
	}
	for i, r := range text {
		switch r {
		case '.', '?', '!', ';', ':':
			flush(i + 1)
		}
	}
	flush(len(text))
	return out
}
