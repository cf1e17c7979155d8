package autocode

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Labelled is an answer with the keys of the codes an analyst gave it.
type Labelled struct {
	Text  string
	Codes []string
}

// Report is what an evaluation measured: overall (micro) and per-code
// quality, and a learning curve.
type Report struct {
	Name    string
	Method  string
	Codes   []string
	Overall Quality
	PerCode []Quality
	Curve   []CurvePoint
	// Preds are the held-out predictions behind the figures.
	Preds []Prediction
}

// Combine is the overall (micro) quality of several reports' predictions
// taken together, e.g. every question of a consultation.
func Combine(reports []Report) Quality {
	var preds []Prediction
	var codes []int32
	offset, codeOffset := 0, int32(0)
	for _, r := range reports {
		top := 0
		for _, p := range r.Preds {
			p.Answer += offset
			p.Code += codeOffset
			top = max(top, p.Answer+1)
			preds = append(preds, p)
		}
		for i := range r.Codes {
			codes = append(codes, codeOffset+int32(i+1))
		}
		offset, codeOffset = top, codeOffset+int32(len(r.Codes))
	}
	q, _ := Measure(preds, codes, 1000, 1)
	return q
}

// examples numbers code keys (1, 2, …) and turns labelled answers into
// finished examples, followed by one hint example per code that has a
// text in hints (its name and description).
func examples(codes []string, answers []Labelled, hints map[string]string) ([]Example, []int32) {
	ids := map[string]int32{}
	var out []int32
	for i, c := range codes {
		ids[c] = int32(i + 1)
		out = append(out, int32(i+1))
	}
	ex := make([]Example, len(answers))
	for i, a := range answers {
		ex[i] = Example{ID: int64(i), Text: a.Text, Coded: true}
		for _, c := range a.Codes {
			if id, ok := ids[c]; ok && !slices.Contains(ex[i].Codes, id) {
				ex[i].Codes = append(ex[i].Codes, id)
			}
		}
	}
	texts := map[int32]string{}
	for k, t := range hints {
		if id, ok := ids[k]; ok {
			texts[id] = t
		}
	}
	return append(ex, Hints(texts, out)...), out
}

// HeldOut trains on train and measures on test with the product's own
// training and scoring code; the learning curve trains on the first 25,
// 50, 100… training answers and measures on the same test answers.
// Hints (code key → name and description) are training examples too.
// The test answers' texts (never their codes) are added to
// opt.Unlabelled, as the product's uncoded answers are the ones it
// scores.
func HeldOut(tok *Tokenizer, name string, codes []string, train, test []Labelled, hints map[string]string, opt Options) Report {
	r, tr, hinted, all, te, ids, opt := split(tok, name, codes, train, test, hints, opt)
	for n := MinCoded; ; n *= 2 {
		n = min(n, len(tr))
		q, _ := Measure(predict(tok, slices.Concat(tr[:n], hinted), all, te, ids, opt), ids, 200, 1)
		r.Curve = append(r.Curve, CurvePoint{Coded: n, F1: q.F1})
		if n == len(tr) {
			break
		}
	}
	return r
}

// Split is HeldOut without the learning curve.
func Split(tok *Tokenizer, name string, codes []string, train, test []Labelled, hints map[string]string, opt Options) Report {
	r, _, _, _, _, _, _ := split(tok, name, codes, train, test, hints, opt)
	return r
}

func split(tok *Tokenizer, name string, codes []string, train, test []Labelled, hints map[string]string, opt Options) (r Report, tr, hinted, all []Example, te []int, ids []int32, _ Options) {
	opt = withCorpus(tok, opt) // every model below tokenises a text once
	all, ids = examples(codes, append(slices.Clone(train), test...), hints)
	hinted = all[len(train)+len(test):]
	all = all[:len(train)+len(test)]
	tr = all[:len(train)]
	opt.Unlabelled = slices.Clone(opt.Unlabelled)
	for i := len(train); i < len(all); i++ {
		te = append(te, i)
		opt.Unlabelled = append(opt.Unlabelled, all[i].Text)
	}
	r = Report{Name: name, Method: fmt.Sprintf("trained on %d, tested on %d held-out answers", len(train), len(test)), Codes: codes}
	r.Preds = predict(tok, slices.Concat(tr, hinted), all, te, ids, opt)
	r.Overall, r.PerCode = Measure(r.Preds, ids, 1000, 1)
	return r, tr, hinted, all, te, ids, opt
}

// KFold measures by k-fold cross-validation, as the product does on a
// question's coded answers; hints are always in training.
func KFold(tok *Tokenizer, name string, codes []string, answers []Labelled, hints map[string]string, k int, opt Options) Report {
	ex, ids := examples(codes, answers, hints)
	opt = withCorpus(tok, opt)
	r := Report{Name: name, Method: fmt.Sprintf("%d-fold cross-validation over %d answers", k, len(answers)), Codes: codes}
	r.Preds = CrossValidate(tok, ex, ids, k, opt, 1)
	r.Overall, r.PerCode = Measure(r.Preds, ids, 1000, 1)
	r.Curve = LearningCurve(tok, ex, ids, opt, 1)
	return r
}

// Print writes the report as plain-text tables.
func (r Report) Print(w io.Writer) error {
	fmt.Fprintf(w, "\n%s (%s)\n", r.Name, r.Method)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tanswers with code\tprecision\trecall\tF1\t95% CI\t")
	row := func(name string, q Quality) {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f–%.2f\t\n", name, q.Positives, q.Precision.Value, q.Recall.Value, q.F1.Value, q.F1.Low, q.F1.High)
	}
	for i, q := range r.PerCode {
		row(r.Codes[i], q)
	}
	row("overall (micro)", r.Overall)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Curve) > 0 {
		fmt.Fprintln(w, "learning curve (overall F1 by coded answers learnt from):")
		for _, p := range r.Curve {
			fmt.Fprintf(w, "  %5d  %.2f (%.2f–%.2f)\n", p.Coded, p.F1.Value, p.F1.Low, p.F1.High)
		}
	}
	return nil
}

// Hints turn what a codeframe says about its codes (code → its name,
// description and rule query, as one text) into training examples: each
// a positive for its code and a negative for every other. They are not
// finished answers, so cross-validation always trains on them and never
// measures them.
func Hints(texts map[int32]string, codes []int32) []Example {
	var out []Example
	for _, c := range codes {
		t := texts[c]
		if t == "" {
			continue
		}
		ex := Example{ID: -int64(c), Text: t, Codes: []int32{c}}
		for _, o := range codes {
			if o != c {
				ex.Rejected = append(ex.Rejected, o)
			}
		}
		out = append(out, ex)
	}
	return out
}
