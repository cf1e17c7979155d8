package autocode

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Threshold is the probability above which the model suggests a code,
// and at which its quality is measured.
const Threshold = 0.5

// MinCoded is the fewest coded answers a question needs before its
// quality is measured: below it, the product says "not enough coded
// answers to say".
const MinCoded = 25

// Folds is k of the k-fold cross-validation.
const Folds = 5

// Prediction is the model's probability that an answer has a code, made
// by a model that did not learn from that answer, beside the analyst's
// decision.
type Prediction struct {
	Answer int // index into the examples
	Code   int32
	P      float64
	// Cut is the model's threshold for the code: it suggests the code
	// when P ≥ Cut.
	Cut   float64
	Truth bool
}

// Interval is a measure with its 95% bootstrap confidence interval.
type Interval struct {
	Value, Low, High float64
}

// Quality is how well the model agrees with analysts on answers it did
// not learn from: per code and overall (micro-averaged over codes).
type Quality struct {
	Code                  int32 // 0: overall
	Precision, Recall, F1 Interval
	// Answers behind the figures, and how many of them have the code.
	Answers, Positives int
	TP, FP, FN         int
}

// CrossValidate splits the finished (Coded) examples into k folds and
// predicts each fold with a model trained on the others: every
// prediction comes from a model that never saw the answer. Unfinished
// examples (only rejections) are always in training. With
// self-training, each fold's texts (never their codes) join the
// uncoded answers, as the answers the product scores are uncoded.
func CrossValidate(tok *Tokenizer, examples []Example, codes []int32, k int, opt Options, seed uint64) []Prediction {
	opt = withCorpus(tok, opt) // the folds share their texts' terms
	var coded, rest []int
	for i, ex := range examples {
		if ex.Coded {
			coded = append(coded, i)
		} else {
			rest = append(rest, i)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	rng.Shuffle(len(coded), func(i, j int) { coded[i], coded[j] = coded[j], coded[i] })
	folds := make([][]Prediction, k)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for f := range k {
		var train []Example
		var test []int
		for n, i := range coded {
			if n%k == f {
				test = append(test, i)
			} else {
				train = append(train, examples[i])
			}
		}
		for _, i := range rest {
			train = append(train, examples[i])
		}
		fopt := withHeldOutTexts(opt, examples, test)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			folds[f] = predict(tok, train, examples, test, codes, fopt)
		}()
	}
	wg.Wait()
	return slices.Concat(folds...)
}

// withHeldOutTexts adds the texts of the examples at test to the
// uncoded answers self-training may learn from (a copy: opt is shared).
func withHeldOutTexts(opt Options, examples []Example, test []int) Options {
	if opt.withDefaults().Features&FeatureSelfTrain == 0 {
		return opt
	}
	opt.Unlabelled = slices.Clone(opt.Unlabelled)
	for _, i := range test {
		opt.Unlabelled = append(opt.Unlabelled, examples[i].Text)
	}
	return opt
}

// predict trains on train and predicts the examples at test. A code the
// model could not learn (too few positives) is predicted absent.
func predict(tok *Tokenizer, train, all []Example, test []int, codes []int32, opt Options) []Prediction {
	m, err := Train(tok, train, codes, opt)
	var sc *Scorer
	if err == nil {
		sc = NewScorer(m, tok)
	}
	var out []Prediction
	for _, i := range test {
		var ps []float64
		if sc != nil {
			ps = sc.Scores(all[i].Text)
		}
		for _, c := range codes {
			p, cut := 0.0, Threshold
			if sc != nil {
				if ci := slices.Index(m.Codes, c); ci >= 0 {
					p, cut = ps[ci], m.cut(ci)
				}
			}
			out = append(out, Prediction{Answer: i, Code: c, P: p, Cut: cut, Truth: slices.Contains(all[i].Codes, c)})
		}
	}
	return out
}

// Measure turns predictions into quality per code and overall, each
// with a 95% bootstrap interval over answers (resampled with
// replacement, so answers with several codes move together). A
// prediction counts as a suggestion when P reaches its Cut.
func Measure(preds []Prediction, codes []int32, rounds int, seed uint64) (overall Quality, per []Quality) {
	// Each answer's predictions as (code index, outcome): 0 true
	// positive, 1 false positive, 2 false negative, 3 true negative.
	ci := map[int32]int{}
	for i, c := range codes {
		ci[c] = i
	}
	type outcome struct{ k, o int }
	pos := map[int]int{}
	var byAnswer [][]outcome
	for _, p := range preds {
		a, ok := pos[p.Answer]
		if !ok {
			a = len(byAnswer)
			pos[p.Answer] = a
			byAnswer = append(byAnswer, nil)
		}
		yes := p.P >= p.Cut
		o := 3
		switch {
		case yes && p.Truth:
			o = 0
		case yes:
			o = 1
		case p.Truth:
			o = 2
		}
		byAnswer[a] = append(byAnswer[a], outcome{ci[p.Code], o})
	}
	order := make([]int, len(byAnswer))
	for i := range order {
		order[i] = i
	}
	// counts[c] = tp, fp, fn for code c; index len(codes) is overall.
	counts := make([][3]int, len(codes)+1)
	tally := func(sample []int) [][3]int {
		clear(counts)
		for _, a := range sample {
			for _, x := range byAnswer[a] {
				if x.o < 3 {
					counts[x.k][x.o]++
					counts[len(codes)][x.o]++
				}
			}
		}
		return counts
	}
	base := slices.Clone(tally(order))
	rng := rand.New(rand.NewPCG(seed, 2))
	boot := make([][][3]float64, len(codes)+1) // per code: rounds × (p, r, f)
	sample := make([]int, len(order))
	for range rounds {
		for i := range sample {
			sample[i] = order[rng.IntN(len(order))]
		}
		for k, c := range tally(sample) {
			p, r, f := prf(c)
			boot[k] = append(boot[k], [3]float64{p, r, f})
		}
	}
	positives := make([]int, len(codes)+1)
	for _, p := range preds {
		if p.Truth {
			positives[ci[p.Code]]++
			positives[len(codes)]++
		}
	}
	build := func(k int, code int32) Quality {
		p, r, f := prf(base[k])
		return Quality{
			Code:      code,
			Precision: interval(p, boot[k], 0),
			Recall:    interval(r, boot[k], 1),
			F1:        interval(f, boot[k], 2),
			Answers:   len(order), Positives: positives[k],
			TP: base[k][0], FP: base[k][1], FN: base[k][2],
		}
	}
	for k, c := range codes {
		per = append(per, build(k, c))
	}
	return build(len(codes), 0), per
}

func prf(c [3]int) (p, r, f float64) {
	tp, fp, fn := float64(c[0]), float64(c[1]), float64(c[2])
	if tp+fp > 0 {
		p = tp / (tp + fp)
	}
	if tp+fn > 0 {
		r = tp / (tp + fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// interval is the 2.5th and 97.5th percentiles of the bootstrap values.
func interval(v float64, boot [][3]float64, which int) Interval {
	if len(boot) == 0 {
		return Interval{Value: v, Low: v, High: v}
	}
	xs := make([]float64, len(boot))
	for i, b := range boot {
		xs[i] = b[which]
	}
	slices.Sort(xs)
	lo := xs[int(0.025*float64(len(xs)-1)+0.5)]
	hi := xs[int(0.975*float64(len(xs)-1)+0.5)]
	return Interval{Value: v, Low: lo, High: hi}
}

// PrecisionAbove is the share of a code's held-out predictions at or
// above threshold that analysts agreed with, and how many there were:
// what an analyst can expect from accepting every suggestion above it.
func PrecisionAbove(preds []Prediction, code int32, threshold float64) (precision float64, n int) {
	tp := 0
	for _, p := range preds {
		if p.Code == code && p.P >= threshold {
			n++
			if p.Truth {
				tp++
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(tp) / float64(n), n
}

// CurvePoint is the model's overall F1 after learning from Coded answers.
type CurvePoint struct {
	Coded int
	F1    Interval
}

// LearningCurve holds out a fifth of the finished examples and trains on
// 25, 50, 100, 200, 400… of the rest, measuring micro F1 on the held-out
// fifth each time: when suggestions become worth using.
func LearningCurve(tok *Tokenizer, examples []Example, codes []int32, opt Options, seed uint64) []CurvePoint {
	opt = withCorpus(tok, opt)
	var coded, rest []int
	for i, ex := range examples {
		if ex.Coded {
			coded = append(coded, i)
		} else {
			rest = append(rest, i)
		}
	}
	if len(coded) < MinCoded*5/4 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	rng.Shuffle(len(coded), func(i, j int) { coded[i], coded[j] = coded[j], coded[i] })
	nTest := len(coded) / 5
	test, pool := coded[:nTest], coded[nTest:]
	var sizes []int
	for n := MinCoded; ; n *= 2 {
		n = min(n, len(pool))
		sizes = append(sizes, n)
		if n == len(pool) {
			break
		}
	}
	out := make([]CurvePoint, len(sizes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, n := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// Rejections and hints are learnt from at every size.
			train := make([]Example, 0, n+len(rest))
			for _, j := range slices.Concat(pool[:n], rest) {
				train = append(train, examples[j])
			}
			preds := predict(tok, train, examples, test, codes, withHeldOutTexts(opt, examples, test))
			q, _ := Measure(preds, codes, 200, seed)
			out[i] = CurvePoint{Coded: n, F1: q.F1}
		}()
	}
	wg.Wait()
	return out
}

// cutFolds is k of the cross-validation inside training that chooses
// each code's threshold.
const cutFolds = 3

// chooseCuts picks each code's threshold from 0.05…0.95 as the one whose
// F1 is best over cross-validated predictions of the training examples
// themselves (ties: the one nearest Threshold). With too few finished
// examples, or a code never found, the threshold stays at Threshold.
func chooseCuts(tok *Tokenizer, examples []Example, codes []int32, opt Options) []float32 {
	cuts := make([]float32, len(codes))
	for i := range cuts {
		cuts[i] = Threshold
	}
	coded := 0
	for _, ex := range examples {
		if ex.Coded {
			coded++
		}
	}
	if coded < MinCoded {
		return cuts
	}
	inner := opt
	inner.Features &^= FeatureThresholds
	preds := CrossValidate(tok, examples, codes, cutFolds, inner, 7)
	for i, c := range codes {
		cuts[i] = float32(LowestCutWithin(preds, c, opt.CutSlack))
	}
	return cuts
}

// LowestCutWithin is the lowest threshold in 0.05…0.95 whose F1 over
// code's predictions is within slack of the best; BestCut when slack is
// zero.
func LowestCutWithin(preds []Prediction, code int32, slack float64) float64 {
	if slack <= 0 {
		return BestCut(preds, code)
	}
	fs := make([]float64, 20)
	best := 0.0
	for k := 1; k <= 19; k++ {
		fs[k] = cutF1(preds, code, float64(k)/20)
		best = max(best, fs[k])
	}
	if best == 0 {
		return Threshold
	}
	for k := 1; k <= 19; k++ {
		if fs[k] >= best-slack {
			return float64(k) / 20
		}
	}
	return Threshold
}

// cutF1 is the F1 of code's predictions at threshold t.
func cutF1(preds []Prediction, code int32, t float64) float64 {
	var c [3]int
	for _, p := range preds {
		if p.Code != code {
			continue
		}
		switch yes := p.P >= t; {
		case yes && p.Truth:
			c[0]++
		case yes:
			c[1]++
		case p.Truth:
			c[2]++
		}
	}
	_, _, f := prf(c)
	return f
}

// BestCut is the threshold in 0.05…0.95 (steps of 0.05) at which code's
// predictions have the best F1; Threshold when none finds the code.
func BestCut(preds []Prediction, code int32) float64 {
	best, bestF := Threshold, 0.0
	for k := 1; k <= 19; k++ {
		t := float64(k) / 20
		var c [3]int
		for _, p := range preds {
			if p.Code != code {
				continue
			}
			switch yes := p.P >= t; {
			case yes && p.Truth:
				c[0]++
			case yes:
				c[1]++
			case p.Truth:
				c[2]++
			}
		}
		_, _, f := prf(c)
		if f > bestF+1e-12 || (math.Abs(f-bestF) <= 1e-12 && f > 0 && math.Abs(t-Threshold) < math.Abs(best-Threshold)) {
			best, bestF = t, f
		}
	}
	return best
}
