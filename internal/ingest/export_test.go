package ingest

// SetFew sets the largest batch w writes without COPY, for tests that
// compare the two paths.
func SetFew(w *Writer, n int) { w.few = n }

// FewResponses is the default of SetFew.
const FewResponses = fewResponses
