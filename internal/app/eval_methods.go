package app

import (
	"fmt"
	"io"
	"text/tabwriter"

	"heard/internal/autocode"
	"heard/internal/demo"
)

// evalMethod is one way of training that `heard eval -methods` compares:
// a feature set, and whether code names are learnt from.
type evalMethod struct {
	name     string
	features autocode.Features
	hints    bool
}

var evalMethods = []evalMethod{
	{"words + pairs (before)", autocode.FeatureWords, false},
	{"+ character 3–5-grams", autocode.FeatureWords | autocode.FeatureGrams, false},
	{"+ synonym groups", autocode.FeatureWords | autocode.FeatureSynonyms, false},
	{"+ code names as examples", autocode.FeatureWords, true},
	{"+ threshold per code (CV on training)", autocode.FeatureWords | autocode.FeatureThresholds, false},
	{"all of these (product default)", autocode.DefaultFeatures, true},
}

// compareMethods prints, per method, the micro F1 of 5-fold
// cross-validation over the CQC training answers alone (what a choice
// between methods may look at), the held-out CQC test figures, and the
// themefinder sets' 5-fold figures.
func compareMethods(w io.Writer, tok *autocode.Tokenizer, questions []demo.EvalQuestion, sets []autocode.ThemefinderSet, lambda float64) error {
	fmt.Fprintln(w, "Methods compared (micro P / R / F1, 95% bootstrap CI of F1):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "method\tCQC train 5-fold F1\tCQC held-out P\tR\tF1 (95% CI)"
	for _, s := range sets {
		head += "\t" + s.Name + " F1 (95% CI)"
	}
	fmt.Fprintln(tw, head+"\t")
	ci := func(q autocode.Quality) string {
		return fmt.Sprintf("%.3f (%.3f–%.3f)", q.F1.Value, q.F1.Low, q.F1.High)
	}
	for _, m := range evalMethods {
		opt := autocode.Options{Lambda: lambda, Features: m.features}
		var cv, test []autocode.Report
		for _, q := range questions {
			codes, tr, te, hints := cqcQuestion(q)
			if !m.hints {
				hints = nil
			}
			cv = append(cv, autocode.KFold(tok, q.Question, codes, tr, hints, autocode.Folds, opt))
			test = append(test, autocode.HeldOut(tok, q.Question, codes, tr, te, hints, opt))
		}
		c, t := autocode.Combine(cv), autocode.Combine(test)
		line := fmt.Sprintf("%s\t%s\t%.3f\t%.3f\t%s", m.name, ci(c), t.Precision.Value, t.Recall.Value, ci(t))
		for _, s := range sets {
			hints := s.Hints
			if !m.hints {
				hints = nil
			}
			r := autocode.KFold(tok, s.Name, s.Codes, s.Answers, hints, autocode.Folds, opt)
			line += "\t" + ci(r.Overall)
		}
		fmt.Fprintln(tw, line+"\t")
	}
	return tw.Flush()
}
