package autocode

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
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
}

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
	return o
}

// Model is a trained model for one question: the vocabulary with its
// inverse document frequencies, and per code a weight for every term
// and a bias. Weights are stored term-major (W[term*len(Codes)+code]) so
// scoring an answer walks each of its terms once.
type Model struct {
	Version string
	Terms   map[string]int32
	IDF     []float32
	Codes   []int32
	W       []float32
	Bias    []float32
	// Examples is how many coded answers the model learnt from.
	Examples int
}

// vector is a sparse TF-IDF vector, L2-normalised.
type vector struct {
	idx []int32
	val []float32
}

// Train fits a model to the examples for the given codes. Codes with
// too few positive examples are left out of the model.
func Train(tok *Tokenizer, examples []Example, codes []int32, opt Options) (*Model, error) {
	opt = opt.withDefaults()
	if len(examples) == 0 {
		return nil, fmt.Errorf("autocode: train: no coded answers")
	}
	terms := make([][]string, len(examples))
	df := map[string]int{}
	var buf []Token
	for i, ex := range examples {
		var ts []string
		buf, ts = tok.Terms(ex.Text, buf, nil)
		terms[i] = ts
		seen := map[string]bool{}
		for _, t := range ts {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	m := &Model{Terms: map[string]int32{}, Examples: len(examples)}
	keys := make([]string, 0, len(df))
	for t, n := range df {
		if n >= opt.MinDF || len(examples) < 50 {
			keys = append(keys, t)
		}
	}
	slices.Sort(keys)
	n := float64(len(examples))
	for _, t := range keys {
		m.Terms[t] = int32(len(m.IDF))
		m.IDF = append(m.IDF, float32(math.Log((1+n)/(1+float64(df[t])))+1))
	}
	xs := make([]vector, len(examples))
	for i, ts := range terms {
		xs[i] = m.vectorize(ts)
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
	w := make([]float64, V)
	for ci, c := range m.Codes {
		var xi []vector
		var y []float64
		for i, ex := range examples {
			switch {
			case slices.Contains(ex.Codes, c):
				xi, y = append(xi, xs[i]), append(y, 1)
			case ex.Coded || slices.Contains(ex.Rejected, c):
				xi, y = append(xi, xs[i]), append(y, -1)
			}
		}
		clear(w)
		b := fitLogistic(xi, y, w, opt)
		for j, v := range w {
			m.W[j*C+ci] = float32(v)
		}
		m.Bias[ci] = float32(b)
	}
	return m, nil
}

// vectorize counts terms into a sublinear TF-IDF vector (1+log tf)·idf,
// normalised to unit length; unknown terms are dropped.
func (m *Model) vectorize(terms []string) vector {
	counts := map[int32]int{}
	for _, t := range terms {
		if j, ok := m.Terms[t]; ok {
			counts[j]++
		}
	}
	v := vector{idx: make([]int32, 0, len(counts)), val: make([]float32, 0, len(counts))}
	for j := range counts {
		v.idx = append(v.idx, j)
	}
	slices.Sort(v.idx)
	var norm float64
	for _, j := range v.idx {
		x := (1 + math.Log(float64(counts[j]))) * float64(m.IDF[j])
		v.val = append(v.val, float32(x))
		norm += x * x
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for k := range v.val {
			v.val[k] *= inv
		}
	}
	return v
}

// fitLogistic minimises mean log-loss + λ/2·|w|² by dual coordinate
// descent (Hsieh et al. 2008 / Yu, Huang & Lin 2011, as in liblinear),
// with the bias as a constant feature of value 1. It suits sparse,
// normalised text features: each epoch is one pass over the non-zeros.
func fitLogistic(xs []vector, y []float64, w []float64, opt Options) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	// liblinear's C for our λ: primal is ½|w|² + C·Σ loss.
	C := 1 / (opt.Lambda * float64(n))
	// Positives are usually rare: weight each class so both count
	// alike, as analysts care about finding the answers with a code.
	npos := 0
	for _, v := range y {
		if v > 0 {
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
	alpha := make([]float64, 2*n) // alpha[2i] = α_i, alpha[2i+1] = C_i − α_i
	qd := make([]float64, n)
	ci := make([]float64, n)
	for i, x := range xs {
		ci[i] = cneg
		if y[i] > 0 {
			ci[i] = cpos
		}
		alpha[2*i] = math.Min(0.001*ci[i], 1e-8)
		alpha[2*i+1] = ci[i] - alpha[2*i]
		sq := biasX * biasX
		for _, v := range x.val {
			sq += float64(v) * float64(v)
		}
		qd[i] = sq
		for k, j := range x.idx {
			w[j] += y[i] * alpha[2*i] * float64(x.val[k])
		}
		b += y[i] * alpha[2*i] * biasX
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
			x, yi, Ci := xs[i], y[i], ci[i]
			ywx := b * biasX
			for k, j := range x.idx {
				ywx += w[j] * float64(x.val[k])
			}
			ywx *= yi
			a, cc := qd[i], ywx
			ind1, ind2, sign := 2*i, 2*i+1, 1.0
			if 0.5*a*(alpha[ind2]-alpha[ind1])+cc < 0 {
				ind1, ind2, sign = 2*i+1, 2*i, -1.0
			}
			alphaOld := alpha[ind1]
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
			alpha[ind1], alpha[ind2] = z, Ci-z
			d := sign * (z - alphaOld) * yi
			if d != 0 {
				for k, j := range x.idx {
					w[j] += d * float64(x.val[k])
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
	m      *Model
	tok    *Tokenizer
	buf    []Token
	terms  []string
	sums   []float64
	counts map[int32]int
	norm   float64
}

// NewScorer returns a scorer for m.
func NewScorer(m *Model, tok *Tokenizer) *Scorer {
	return &Scorer{m: m, tok: tok, sums: make([]float64, len(m.Codes)), counts: map[int32]int{}}
}

// Scores returns every code's probability for text, in m.Codes order.
// The slice is reused by the next call.
func (s *Scorer) Scores(text string) []float64 {
	s.buf, s.terms = s.tok.Terms(text, s.buf, s.terms)
	clear(s.counts)
	for _, t := range s.terms {
		if j, ok := s.m.Terms[t]; ok {
			s.counts[j]++
		}
	}
	var norm float64
	for j, c := range s.counts {
		x := (1 + math.Log(float64(c))) * float64(s.m.IDF[j])
		norm += x * x
	}
	C := len(s.m.Codes)
	for c := range s.sums {
		s.sums[c] = float64(s.m.Bias[c])
	}
	if norm > 0 {
		inv := 1 / math.Sqrt(norm)
		for j, c := range s.counts {
			x := (1 + math.Log(float64(c))) * float64(s.m.IDF[j]) * inv
			row := s.m.W[int(j)*C : int(j)*C+C]
			for k, w := range row {
				s.sums[k] += x * float64(w)
			}
		}
	}
	for k, z := range s.sums {
		s.sums[k] = sigmoid(z)
	}
	s.norm = norm
	return s.sums
}

// Drivers explains the last answer Scores saw: its terms that added
// most to code ci's score (weight × feature value), at most n, in the
// answer's own words. A single word already shown inside a stronger
// pair is left out, so the list reads as distinct evidence.
func (s *Scorer) Drivers(ci, n int) []Driver {
	if s.norm == 0 {
		return nil
	}
	C, inv := len(s.m.Codes), 1/math.Sqrt(s.norm)
	type contrib struct {
		j int32
		c float64
	}
	var top []contrib
	for j, cnt := range s.counts {
		x := (1 + math.Log(float64(cnt))) * float64(s.m.IDF[j]) * inv
		if c := x * float64(s.m.W[int(j)*C+ci]); c > 0 {
			top = append(top, contrib{j, c})
		}
	}
	slices.SortFunc(top, func(a, b contrib) int { return cmp.Or(cmp.Compare(b.c, a.c), cmp.Compare(a.j, b.j)) })
	if len(top) > 2*n {
		top = top[:2*n]
	}
	// The surface words of each chosen term: walk the tokens the way
	// Terms made them.
	surface := map[int32]string{}
	for _, t := range top {
		surface[t.j] = ""
	}
	find := func(term, words string) {
		if j, ok := s.m.Terms[term]; ok {
			if w, want := surface[j]; want && w == "" {
				surface[j] = words
			}
		}
	}
	for i, tok := range s.buf {
		if !tok.Stop {
			find(tok.Stem, tok.Word)
		}
		if i > 0 && !(tok.Stop && s.buf[i-1].Stop) {
			find(s.buf[i-1].Stem+" "+tok.Stem, s.buf[i-1].Word+" "+tok.Word)
		}
	}
	var out []Driver
	for _, t := range top {
		d := Driver{Words: surface[t.j], Contribution: t.c}
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
