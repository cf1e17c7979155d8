package autocode_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"heard/internal/autocode"
	"heard/internal/demo"
)

var updateGolden = flag.Bool("update-golden", false, "write testdata/model_golden.json from this code (only from the code the figures must match)")

// golden is what a model learnt and suggests, for a fixed training set:
// written once by the code before training and scoring were made faster
// (commit 9723f80), and compared with what the code makes now.
type golden struct {
	Codes []int32
	Cuts  []float32
	Bias  []float32
	// W is the SHA-256 of every weight's float32 bits and of the IDF.
	W string
	// Probs are each test answer's probabilities, in Codes order;
	// Suggested the codes (indices) suggested for it and Drivers their
	// driving words.
	Probs     [][]float64
	Suggested [][]int
	Drivers   [][][]string
	// CV are the 5-fold cross-validated predictions of a smaller set
	// (what the quality page shows is measured from them).
	CV []autocode.Prediction
}

// goldenSet is Q1b of the evaluation set as the product trains on it:
// analysts' finished answers, the codes' names as hints, and uncoded
// answers (the third held-out set's texts) for self-training.
func goldenSet(train int) (ex []autocode.Example, codes []int32, test []string) {
	q := demo.EvalSetWithThird(train, 0, 0, 120, 1)[0]
	ids := map[string]int32{}
	names := map[int32]string{}
	for i, c := range q.Codes {
		ids[c] = int32(i + 1)
		codes = append(codes, int32(i+1))
		names[int32(i+1)] = q.Names[c]
	}
	for i, a := range q.Train {
		e := autocode.Example{ID: int64(i), Text: a.Text, Coded: true}
		for _, c := range a.Codes {
			if !slices.Contains(e.Codes, ids[c]) {
				e.Codes = append(e.Codes, ids[c])
			}
		}
		ex = append(ex, e)
	}
	for _, a := range q.Third {
		test = append(test, a.Text)
	}
	return append(ex, autocode.Hints(names, codes)...), codes, test
}

func makeGolden(t *testing.T) golden {
	tok := autocode.NewTokenizer()
	ex, codes, test := goldenSet(400)
	opt := autocode.Options{Features: autocode.FeaturesX, Unlabelled: test}
	m, err := autocode.Train(tok, ex, codes, opt)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if err := binary.Write(h, binary.LittleEndian, m.W); err != nil {
		t.Fatal(err)
	}
	if err := binary.Write(h, binary.LittleEndian, m.IDF); err != nil {
		t.Fatal(err)
	}
	g := golden{Codes: m.Codes, Cuts: m.Cut, Bias: m.Bias, W: hex.EncodeToString(h.Sum(nil))}
	sc := autocode.NewScorer(m, tok)
	for _, text := range test {
		ps := slices.Clone(sc.Scores(text))
		var sug []int
		var drv [][]string
		for ci, p := range ps {
			if !sc.Suggests(ci, p) {
				continue
			}
			sug = append(sug, ci)
			var words []string
			for _, d := range sc.Drivers(ci, 3) {
				words = append(words, d.Words)
			}
			drv = append(drv, words)
		}
		g.Probs, g.Suggested, g.Drivers = append(g.Probs, ps), append(g.Suggested, sug), append(g.Drivers, drv)
	}
	small, codes, _ := goldenSet(120)
	g.CV = autocode.CrossValidate(tok, small, codes, autocode.Folds, opt, 1)
	return g
}

// What the model learns and suggests is the same as before training and
// scoring were made faster: the same codes, thresholds, biases, weights
// and IDF (to the bit), every
// probability of 120 answers to the last bit, the same suggestions with
// the same driving words, and the same cross-validated predictions.
func TestModelUnchangedByFasterTraining(t *testing.T) {
	path := filepath.Join("testdata", "model_golden.json")
	got := makeGolden(t)
	if *updateGolden {
		b, err := json.MarshalIndent(got, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want golden
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if got.W != want.W {
		t.Errorf("weights or IDF differ (SHA-256 %s, want %s)", got.W, want.W)
	}
	if !slices.Equal(got.Codes, want.Codes) || !slices.Equal(got.Cuts, want.Cuts) || !slices.Equal(got.Bias, want.Bias) {
		t.Fatalf("codes %v cuts %v bias %v, want %v %v %v", got.Codes, got.Cuts, got.Bias, want.Codes, want.Cuts, want.Bias)
	}
	if len(got.Probs) != len(want.Probs) {
		t.Fatalf("%d answers scored, want %d", len(got.Probs), len(want.Probs))
	}
	worst := 0.0
	for i := range want.Probs {
		for ci, p := range want.Probs[i] {
			worst = max(worst, abs(got.Probs[i][ci]-p))
		}
		if !slices.Equal(got.Suggested[i], want.Suggested[i]) {
			t.Errorf("answer %d: suggested %v, want %v", i, got.Suggested[i], want.Suggested[i])
			continue
		}
		for k := range want.Drivers[i] {
			if !slices.Equal(got.Drivers[i][k], want.Drivers[i][k]) {
				t.Errorf("answer %d, code index %d: drivers %q, want %q", i, want.Suggested[i][k], got.Drivers[i][k], want.Drivers[i][k])
			}
		}
	}
	if worst > 0 {
		t.Errorf("probabilities differ by up to %g", worst)
	}
	if len(got.CV) != len(want.CV) {
		t.Fatalf("%d cross-validated predictions, want %d", len(got.CV), len(want.CV))
	}
	for i, p := range want.CV {
		if got.CV[i] != p {
			t.Fatalf("cross-validated prediction %d: %+v, want %+v", i, got.CV[i], p)
		}
	}
}

// Training on both cores gives the same model every run.
func TestTrainingIsDeterministic(t *testing.T) {
	ex, codes, test := goldenSet(200)
	var first *autocode.Model
	for run := range 3 {
		m, err := autocode.Train(autocode.NewTokenizer(), ex, codes, autocode.Options{Features: autocode.FeaturesX, Unlabelled: test})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = m
			continue
		}
		if !slices.Equal(m.W, first.W) || !slices.Equal(m.Bias, first.Bias) || !slices.Equal(m.Cut, first.Cut) || !slices.Equal(m.IDF, first.IDF) {
			t.Fatalf("run %d: a different model", run+1)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// BenchmarkTrainAtScale trains Q1b's model as heard-bench's auto-coding
// section does, without a database: HEARD_AUTOCODE_TRAIN coded answers
// (default 2,000) and 5,000 uncoded ones for self-training, e.g.
// HEARD_AUTOCODE_TRAIN=10000 go test -run X -bench TrainAtScale
// -benchtime 1x -cpuprofile cpu.out ./internal/autocode. It reports CPU
// seconds beside wall time: on a shared machine the wall clock says more
// about the neighbours.
func BenchmarkTrainAtScale(b *testing.B) {
	n := 2000
	if v := os.Getenv("HEARD_AUTOCODE_TRAIN"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	ex, codes, _ := goldenSet(n)
	var uncoded []string
	for _, a := range demo.EvalSet(1, 5000, 2)[0].Test {
		uncoded = append(uncoded, a.Text)
	}
	tok := autocode.NewTokenizer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := autocode.Train(tok, ex, codes, autocode.Options{Features: benchFeatures(), Unlabelled: uncoded}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// benchFeatures is the default model's features, or the previous
// default X's when HEARD_AUTOCODE_X=1 (to compare their cost).
func benchFeatures() autocode.Features {
	if os.Getenv("HEARD_AUTOCODE_X") == "1" {
		return autocode.FeaturesX
	}
	return autocode.DefaultFeatures
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScoreAtScale scores Q1b answers with the default model as the
// background job does (probabilities, then the driving words of every
// suggestion), one goroutine, and reports answers per CPU-second.
func BenchmarkScoreAtScale(b *testing.B) {
	ex, codes, _ := goldenSet(2000)
	var texts []string
	for _, a := range demo.EvalSet(1, 20000, 3)[0].Test {
		texts = append(texts, a.Text)
	}
	tok := autocode.NewTokenizer()
	m, err := autocode.Train(tok, ex, codes, autocode.Options{Features: benchFeatures(), Unlabelled: texts[:5000]})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		sc := autocode.NewScorer(m, tok)
		for _, text := range texts {
			for ci, p := range sc.Scores(text) {
				if sc.Suggests(ci, p) {
					sc.Drivers(ci, 3)
				}
			}
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/(cpuTime()-cpu).Seconds(), "answers/cpu-s")
}
