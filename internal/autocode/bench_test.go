package autocode

import (
	"testing"
)

// BenchmarkSuggest: scoring and explaining answers on every core, no
// database (go test -bench Suggest ./internal/autocode).
func BenchmarkSuggest(b *testing.B) {
	tok := NewTokenizer()
	ex := toyExamples(2000)
	m, err := Train(tok, ex, []int32{1, 2}, Options{})
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
