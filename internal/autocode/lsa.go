package autocode

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Latent semantic analysis (Deerwester et al. 1990): words that occur in
// the same answers — coded or not — get nearby vectors, so an answer in
// words no coded answer used still lands near the answers that did. The
// vectors are the top right singular vectors of the answers × stems
// TF-IDF matrix, found by a randomised SVD (Halko, Martinsson & Tropp
// 2011). An answer's LSA block is the sum of its stems' vectors weighted
// by their TF-IDF, a third block of the model's vector.

// DefaultLSADims is how many latent dimensions the LSA block has.
const DefaultLSADims = 100

// isStem reports whether a word term is a single stem (not a pair of
// stems, nor a synonym group).
func isStem(t string) bool { return !strings.HasPrefix(t, "~") && !strings.Contains(t, " ") }

// lsaRow is a text's sparse TF-IDF row of the LSA matrix.
type lsaRow struct {
	idx []int32
	val []float32
}

// fitLSA learns stem vectors from texts (their stems, as word terms
// lists: see Tokenizer.Features) and stores them in m: m.Lsa, m.LsaIDF,
// m.LsaVec and m.LsaDims. Stems in fewer than two texts are left out.
// It does nothing when there are too few texts or stems to say anything.
func fitLSA(m *Model, docs [][]string, dims int) {
	df := map[string]int{}
	seen := map[string]bool{}
	for _, d := range docs {
		clear(seen)
		for _, t := range d {
			if isStem(t) && !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	var vocab []string
	for t, k := range df {
		if k >= 2 {
			vocab = append(vocab, t)
		}
	}
	slices.Sort(vocab)
	n, V := len(docs), len(vocab)
	l := dims + 10          // oversampling
	if n < 2*l || V < 2*l { // a small question: fewer dimensions
		dims = min(dims, min(n, V)/2)
		l = dims + min(10, dims)
		if dims < 2 {
			return
		}
	}
	m.Lsa = make(map[string]int32, V)
	m.LsaIDF = make([]float32, V)
	for j, t := range vocab {
		m.Lsa[t] = int32(j)
		m.LsaIDF[j] = float32(math.Log((1+float64(n))/(1+float64(df[t]))) + 1)
	}
	// Rows of A: each text's sublinear TF-IDF over the vocabulary, unit
	// length.
	rows := make([]lsaRow, n)
	cnt := map[int32]int{}
	for i, d := range docs {
		clear(cnt)
		for _, t := range d {
			if j, ok := m.Lsa[t]; ok && isStem(t) {
				cnt[j]++
			}
		}
		v := lsaRow{}
		norm := 0.0
		for j, c := range cnt {
			x := (1 + math.Log(float64(c))) * float64(m.LsaIDF[j])
			v.idx = append(v.idx, j)
			v.val = append(v.val, float32(x))
			norm += x * x
		}
		for k := range v.val {
			v.val[k] = float32(float64(v.val[k]) / math.Sqrt(norm))
		}
		rows[i] = v
	}
	// Y = A·Ω, then two power iterations Y = A·(Aᵀ·Y), orthonormalised
	// each time. Matrices are row-major slices: n × l and V × l.
	rng := rand.New(rand.NewPCG(1, 5))
	omega := make([]float64, V*l)
	for i := range omega {
		omega[i] = rng.NormFloat64()
	}
	mulA := func(x []float64) []float64 { // A·x: n × l
		out := make([]float64, n*l)
		for i, v := range rows {
			row := out[i*l : i*l+l]
			for k, j := range v.idx {
				xr := x[int(j)*l : int(j)*l+l]
				a := float64(v.val[k])
				for c := range row {
					row[c] += a * xr[c]
				}
			}
		}
		return out
	}
	mulAT := func(y []float64) []float64 { // Aᵀ·y: V × l
		out := make([]float64, V*l)
		for i, v := range rows {
			yr := y[i*l : i*l+l]
			for k, j := range v.idx {
				row := out[int(j)*l : int(j)*l+l]
				a := float64(v.val[k])
				for c := range row {
					row[c] += a * yr[c]
				}
			}
		}
		return out
	}
	// orth orthonormalises the columns of an r × l matrix in place
	// (modified Gram–Schmidt; a column that vanishes stays zero).
	orth := func(y []float64) []float64 {
		r := len(y) / l
		for c := range l {
			for p := range c {
				dot := 0.0
				for i := range r {
					dot += y[i*l+c] * y[i*l+p]
				}
				for i := range r {
					y[i*l+c] -= dot * y[i*l+p]
				}
			}
			norm := 0.0
			for i := range r {
				norm += y[i*l+c] * y[i*l+c]
			}
			if norm < 1e-20 {
				for i := range r {
					y[i*l+c] = 0
				}
				continue
			}
			norm = math.Sqrt(norm)
			for i := range r {
				y[i*l+c] /= norm
			}
		}
		return y
	}
	y := orth(mulA(omega))
	for range 2 {
		y = orth(mulA(orth(mulAT(y))))
	}
	// B = Qᵀ·A (l × V), kept as Bᵀ = Aᵀ·Q; B·Bᵀ = U·Σ²·Uᵀ, and the
	// right singular vectors are Bᵀ·u / σ.
	bt := mulAT(y)
	bbt := mat.NewSymDense(l, nil)
	for a := range l {
		for b := a; b < l; b++ {
			s := 0.0
			for j := range V {
				s += bt[j*l+a] * bt[j*l+b]
			}
			bbt.SetSym(a, b, s)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(bbt, true) {
		m.Lsa, m.LsaIDF = nil, nil
		return
	}
	vals := eig.Values(nil)
	var u mat.Dense
	eig.VectorsTo(&u)
	// Eigenvalues ascend: the largest dims are the last columns.
	m.LsaDims = dims
	m.LsaVec = make([]float32, V*dims)
	for d := range dims {
		c := l - 1 - d
		sigma := math.Sqrt(math.Max(vals[c], 0))
		if sigma < 1e-9 {
			continue
		}
		for j := range V {
			s := 0.0
			for k := range l {
				s += bt[j*l+k] * u.At(k, c)
			}
			m.LsaVec[j*dims+d] = float32(s / sigma)
		}
	}
}
