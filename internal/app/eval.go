package app

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"heard/internal/autocode"
	"heard/internal/demo"
)

// eval measures auto-coding: on a labelled set built from the demo's
// codeframes (training and test answers from disjoint phrasings), and,
// when the themefinder folder is present, on i.AI's synthetic set by
// 5-fold cross-validation. It needs no database.
func (e *env) eval(args []string) error {
	flags := flag.NewFlagSet("eval", flag.ContinueOnError)
	flags.SetOutput(e.stderr)
	train := flags.Int("train", 150, "training answers per question")
	test := flags.Int("test", 100, "test answers per question")
	tf := flags.String("themefinder", "", "folder of i.AI's themefinder evaluation data (default: ../shared/eval/themefinder, or ../../shared/… from a worktree; skipped when absent)")
	lambda := flags.Float64("lambda", 0, "L2 penalty (0: the product's default)")
	if err := flags.Parse(args); err != nil {
		return fmt.Errorf("%w: eval: %v", errUsage, err)
	}
	if *tf == "" {
		*tf = filepath.Join("..", "shared", "eval", "themefinder")
		if _, err := os.Stat(*tf); err != nil {
			*tf = filepath.Join("..", "..", "shared", "eval", "themefinder")
		}
	}
	tok := autocode.NewTokenizer()
	start := time.Now()
	var reports []autocode.Report
	fmt.Fprintf(e.stdout, "Auto-coding evaluation: TF-IDF words and pairs, one-vs-rest L2 logistic regression, threshold %.2f; 95%% bootstrap intervals.\n", autocode.Threshold)
	for _, q := range demo.EvalSet(*train, *test, 1) {
		// One model per question, as in the product; codes are named by
		// question so the overall table keeps them apart.
		prefix := func(as []demo.EvalAnswer) []autocode.Labelled {
			out := make([]autocode.Labelled, len(as))
			for i, a := range as {
				out[i].Text = a.Text
				for _, c := range a.Codes {
					out[i].Codes = append(out[i].Codes, q.Question+" "+c)
				}
			}
			return out
		}
		var qc []string
		for _, c := range q.Codes {
			qc = append(qc, q.Question+" "+c)
		}
		r := autocode.HeldOut(tok, "CQC "+q.Question, qc, prefix(q.Train), prefix(q.Test), autocode.Options{Lambda: *lambda})
		if err := r.Print(e.stdout); err != nil {
			return err
		}
		reports = append(reports, r)
	}
	all := autocode.Combine(reports)
	fmt.Fprintf(e.stdout, "\nCQC, all %d questions: micro F1 %.3f (95%% CI %.3f–%.3f), precision %.3f, recall %.3f, over %d held-out answers\n",
		len(reports), all.F1.Value, all.F1.Low, all.F1.High, all.Precision.Value, all.Recall.Value, all.Answers)
	sets, err := autocode.LoadThemefinder(*tf)
	switch {
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(e.stdout, "\nthemefinder data not found at %s: external check skipped\n", *tf)
	case err != nil:
		return err
	default:
		for _, s := range sets {
			if err := autocode.KFold(tok, s.Name, s.Codes, s.Answers, autocode.Folds, autocode.Options{Lambda: *lambda}).Print(e.stdout); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(e.stdout, "\ndone in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
