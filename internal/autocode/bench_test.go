package autocode

import (
	"os"
	"testing"
)

// BenchmarkSuggest: scoring and explaining answers on every core, no
// database (go test -bench Suggest ./internal/autocode;
// HEARD_AUTOCODE_X=1 for the previous default, X).
func BenchmarkSuggest(b *testing.B) {
	tok := NewTokenizer()
	ex := toyExamples(2000)
	opt := Options{}
	if os.Getenv("HEARD_AUTOCODE_X") == "1" {
		opt.Features = FeaturesX
	}
	m, err := Train(tok, ex, []int32{1, 2}, opt)
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, 5000)
	for i := range texts {
		texts[i] = ex[i%len(ex)].Text + " and the waiting list at the surgery was long, the staff were kind."
	}
	b.ResetTimer()
	for b.Loop() {
		suggest(newScorers(m, tok), texts)
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "answers/s")
}
