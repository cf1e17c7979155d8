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
	fresh := flags.Int("fresh", 100, "answers per question of the second held-out set (phrasings in neither training nor test answers)")
	third := flags.Int("third", 100, "answers per question of the third held-out set (phrasings in none of the other sets; 0: not measured)")
	fourth := flags.Int("fourth", 100, "answers per question of the fourth held-out set (phrasings in none of the other sets; 0: not measured)")
	candidates := flags.Bool("candidates", false, "with -methods: only the methods compared on the second held-out set (A–D), with their figures on it")
	letters := flags.String("letters", "", "with -methods: only the candidates with these letters (comma-separated, e.g. B,X), with their figures on the second and, with -third and -fourth, the third and fourth held-out sets")
	tf := flags.String("themefinder", "", "folder of i.AI's themefinder evaluation data (default: ../shared/eval/themefinder, or ../../shared/… from a worktree; skipped when absent)")
	lambda := flags.Float64("lambda", 0, "L2 penalty (0: the product's default)")
	methods := flags.Bool("methods", false, "compare the methods tried, one line each (test figures once per method)")
	only := flags.String("method", "", "with -methods: only the methods whose name contains this")
	devOnly := flags.Bool("dev", false, "with -methods: only the second and third sets (development sets), skipping the cross-validations and themefinder")
	heldOut := flags.Bool("heldout", true, "with -methods: also measure each method on the held-out CQC test answers (false: only what a choice may look at)")
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
	questions := demo.EvalSetWithFourth(*train, *test, *fresh, *third, *fourth, 1)
	sets, err := autocode.LoadThemefinder(*tf)
	switch {
	case errors.Is(err, os.ErrNotExist):
		sets = nil
		fmt.Fprintf(e.stdout, "themefinder data not found at %s: external check skipped\n", *tf)
	case err != nil:
		return err
	}
	if *methods {
		if err := compareMethods(e.stdout, tok, questions, sets, *lambda, *heldOut, *only, *candidates, *letters, *third > 0, *fourth > 0, *devOnly); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\ndone in %s\n", time.Since(start).Round(time.Millisecond))
		return nil
	}
	opt := autocode.Options{Lambda: *lambda}
	selfTraining := ""
	if autocode.DefaultFeatures&autocode.FeatureSelfTrain != 0 {
		selfTraining = fmt.Sprintf("; self-training on the uncoded answers — here the test answers' texts, never their codes — at p ≥ %.1f, with negatives below %.2f", autocode.DefaultPseudoMin, autocode.DefaultPseudoNegMax)
	}
	sentences := ""
	if autocode.DefaultFeatures&autocode.FeatureSentences != 0 {
		sentences = "; an answer scored as a whole and sentence by sentence, the highest probability counting, with the training answers' sentences learnt from as negatives"
	}
	fmt.Fprintf(e.stdout, "Auto-coding evaluation: the product's model (TF-IDF of stems, word pairs, synonym groups and character %d–%d-grams; code names as extra examples; one-vs-rest L2 logistic regression; a threshold per code chosen by cross-validation on the training answers%s%s); 95%% bootstrap intervals.\n", autocode.MinGram, autocode.MaxGram, selfTraining, sentences)
	measure := func(title string, set func(demo.EvalQuestion) []autocode.Labelled) (autocode.Quality, error) {
		var reports []autocode.Report
		for _, q := range questions {
			codes, tr, _, hints := cqcQuestion(q)
			r := autocode.HeldOut(tok, title+" "+q.Question, codes, tr, set(q), hints, opt)
			if err := r.Print(e.stdout); err != nil {
				return autocode.Quality{}, err
			}
			reports = append(reports, r)
		}
		return autocode.Combine(reports), nil
	}
	all, err := measure("CQC", func(q demo.EvalQuestion) []autocode.Labelled { _, _, te, _ := cqcQuestion(q); return te })
	if err != nil {
		return err
	}
	later := laterSets(*fresh, *third, *fourth)
	figures := make([]autocode.Quality, len(later))
	for i, s := range later {
		fmt.Fprintln(e.stdout, "\n"+s.about)
		if figures[i], err = measure(s.title, func(q demo.EvalQuestion) []autocode.Labelled { return labelled(q, s.answers(q)) }); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "\nCQC, all %d questions: micro F1 %.3f (95%% CI %.3f–%.3f), precision %.3f, recall %.3f, over %d held-out answers\n",
		len(questions), all.F1.Value, all.F1.Low, all.F1.High, all.Precision.Value, all.Recall.Value, all.Answers)
	for i, s := range later {
		q := figures[i]
		fmt.Fprintf(e.stdout, "CQC %s held-out set, all %d questions: micro F1 %.3f (95%% CI %.3f–%.3f), precision %.3f, recall %.3f, over %d held-out answers\n",
			s.name, len(questions), q.F1.Value, q.F1.Low, q.F1.High, q.Precision.Value, q.Recall.Value, q.Answers)
	}
	for _, s := range sets {
		if err := autocode.KFold(tok, s.Name, s.Codes, s.Answers, s.Hints, autocode.Folds, opt).Print(e.stdout); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "\ndone in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// laterSet is a held-out set after the first that heard eval measures
// the default model on: its name in the closing summary, the title of
// its per-question tables, what it is, and its answers.
type laterSet struct {
	name, title, about string
	answers            func(demo.EvalQuestion) []demo.EvalAnswer
}

// laterSets are the held-out sets after the first that are asked for
// (answers per question of the second, third and fourth; 0: not
// measured), in that order.
func laterSets(fresh, third, fourth int) []laterSet {
	var out []laterSet
	if fresh > 0 {
		out = append(out, laterSet{"second", "CQC fresh",
			"Second held-out set: the same training answers, tested on answers written from phrasings in neither the training nor the first test answers.",
			func(q demo.EvalQuestion) []demo.EvalAnswer { return q.Fresh }})
	}
	if third > 0 {
		out = append(out, laterSet{"third", "CQC third",
			"Third held-out set: the same training answers, tested on answers written from phrasings in none of the training, first or second held-out answers.",
			func(q demo.EvalQuestion) []demo.EvalAnswer { return q.Third }})
	}
	if fourth > 0 {
		out = append(out, laterSet{"fourth", "CQC fourth",
			"Fourth held-out set: the same training answers, tested on answers written from phrasings in none of the training, first, second or third held-out answers.",
			func(q demo.EvalQuestion) []demo.EvalAnswer { return q.Fourth }})
	}
	return out
}

// cqcQuestion names one evaluation question's codes by question (so the
// overall table keeps them apart) and returns its training and test
// answers and its codes' names as hints.
func cqcQuestion(q demo.EvalQuestion) (codes []string, train, test []autocode.Labelled, hints map[string]string) {
	hints = map[string]string{}
	for _, c := range q.Codes {
		codes = append(codes, q.Question+" "+c)
		hints[q.Question+" "+c] = q.Names[c]
	}
	return codes, labelled(q, q.Train), labelled(q, q.Test), hints
}

// labelled names answers' codes by question, as cqcQuestion does.
func labelled(q demo.EvalQuestion, as []demo.EvalAnswer) []autocode.Labelled {
	out := make([]autocode.Labelled, len(as))
	for i, a := range as {
		out[i].Text = a.Text
		for _, c := range a.Codes {
			out[i].Codes = append(out[i].Codes, q.Question+" "+c)
		}
	}
	return out
}
