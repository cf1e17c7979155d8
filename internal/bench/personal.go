package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/personal"
)

// letterParagraph is one paragraph of a consultation letter; letters are
// built from about 18 of them (3 KB), with the personal data a real
// letter carries: a phone number, an email address, a date of birth, a
// name in the sign-off and a postcode.
const letterParagraph = "I am writing about the care my mother received at the home in 2021. The staff were kind but there were not enough of them, and the inspection report did not say so. "

// benchLetter is letter i: letter-length, its personal data varied so
// that no two letters are the same.
func benchLetter(i int) string {
	var b strings.Builder
	b.Grow(3300)
	b.WriteString("Dear Sir or Madam,\n\n")
	for k := range 18 {
		b.WriteString(letterParagraph)
		if k%6 == 5 {
			b.WriteString("\n\n")
		}
	}
	// 07911 1xxxxx is a valid mobile range (07700 900xxx, Ofcom's drama
	// range, is rightly not a phone number to the detector).
	fmt.Fprintf(&b, "You can reach me on 07911 1%05d or at writer%d@example.org. My date of birth is 0%d/04/1950.\n\n", i%100000, i, 1+i%9)
	fmt.Fprintf(&b, "Yours sincerely,\nJo Bloggs%c\n%d High Street, Leeds LS1 4AB\n", 'a'+rune(i%26), 1+i%200)
	return b.String()
}

// letterResponses makes n responses of c whose one open answer is a
// letter-length text.
func letterResponses(c *consultation.Consultation, prefix string, n int) []ingest.Response {
	open := firstOpen(c)
	out := make([]ingest.Response, n)
	for i := range out {
		text := benchLetter(i)
		out[i] = ingest.Response{
			SourceRef: fmt.Sprintf("%s-%07d", prefix, i), Channel: "letter",
			ReceivedAt: time.Date(2021, 1, 7, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
			Answers:    []ingest.Answer{{QuestionID: open, Text: &text}},
		}
	}
	return out
}

// importLetters loads rs through ingest.Writer in one transaction, as an
// importer loads one file, with detection on or deferred.
func importLetters(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, rs []ingest.Response, detect bool) (time.Duration, error) {
	start := time.Now()
	err := db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		w.DeferDetection = !detect
		for _, r := range rs {
			if err := w.Add(ctx, r); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		return 0, fmt.Errorf("bench: letters import (detection %v): %w", detect, err)
	}
	return time.Since(start), nil
}

// detectionSection measures personal-data detection as the import runs
// it: the same n letter-length texts imported with detection and with
// it deferred, into consultations of their own, twice each in turn (the
// better of two runs, as the machine is shared). Detection's cost is the
// difference; its rate is n over that difference.
func detectionSection(ctx context.Context, pool *pgxpool.Pool, n int, out io.Writer) error {
	inMemoryN := min(n, 5000)
	sample := make([]string, inMemoryN)
	for i := range sample {
		sample[i] = benchLetter(i)
	}
	cpu0 := cpuTime()
	start := time.Now()
	for _, l := range sample {
		personal.Detect(l)
	}
	inMemory, inMemoryCPU := time.Since(start), cpuTime()-cpu0

	best, bestCPU := map[bool]time.Duration{}, map[bool]time.Duration{}
	for round := range 2 {
		for _, detect := range []bool{false, true} {
			slug := fmt.Sprintf("bench-letters-%v-%d", detect, round)
			c, err := loadDefinition(ctx, pool, slug)
			if err != nil {
				return err
			}
			rs := letterResponses(c, slug, n)
			cpu0 := cpuTime()
			took, err := importLetters(ctx, pool, c, rs, detect)
			if err != nil {
				return err
			}
			if b, ok := best[detect]; !ok || took < b {
				best[detect], bestCPU[detect] = took, cpuTime()-cpu0
			}
		}
	}
	on, off := best[true], best[false]
	var spans int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM personal_spans s JOIN consultations c ON c.id = s.consultation_id WHERE c.slug = 'bench-letters-true-1'`).Scan(&spans); err != nil {
		return fmt.Errorf("bench: count spans: %w", err)
	}
	fmt.Fprintf(out, "\n  personal data detection, %s letter-length texts (%d bytes each, 5 items of personal data) imported through ingest.Writer (target ≥ 2,000 texts/s);\n  CPU is the bench process's own (user + system), which a busy machine does not inflate:\n",
		fmtInt(int64(n)), len(benchLetter(0)))
	fmt.Fprintf(out, "  Detect alone, one goroutine        %8s texts/s   %8s texts per CPU second\n", rate(inMemoryN, inMemory), rate(inMemoryN, inMemoryCPU))
	fmt.Fprintf(out, "  import with detection     %7.1f s  %8s texts/s  (%s spans stored)\n", on.Seconds(), rate(n, on), fmtInt(spans))
	fmt.Fprintf(out, "  import, detection deferred %6.1f s  %8s texts/s\n", off.Seconds(), rate(n, off))
	if bestCPU[true] > bestCPU[false] {
		fmt.Fprintf(out, "  detection's CPU in the import      %8s texts per CPU second (heard's side: %.1f s with, %.1f s without)\n",
			rate(n, bestCPU[true]-bestCPU[false]), bestCPU[true].Seconds(), bestCPU[false].Seconds())
	}
	if on > off {
		fmt.Fprintf(out, "  detection in the import path       %8s texts/s   import with detection at %.2f× the rate without\n", rate(n, on-off), off.Seconds()/on.Seconds())
	} else {
		fmt.Fprintf(out, "  detection in the import path: within the noise (with %.1f s, without %.1f s)\n", on.Seconds(), off.Seconds())
	}
	return nil
}

// subjectNeedles are the person the subject access section looks for:
// 20 letters naming her, among the N loaded responses.
const subjectNeedles = 20

// subjectAccessSection stores 20 responses about one person among the
// loaded ones and times personal.Service.Search for her by email
// address, name, reference, organisation and phone number.
func subjectAccessSection(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, requests int, out io.Writer) error {
	rs := make([]ingest.Response, subjectNeedles)
	for i := range rs {
		text := "I am writing about my father's care home. " + strings.Repeat(letterParagraph, 4) +
			"\n\nYou can reach me on 0117 496 0123 or at jane.harrowgate@example.org.\n\nYours sincerely,\nJane Harrowgate\n"
		rs[i] = ingest.Response{SourceRef: fmt.Sprintf("subject-%02d", i), Channel: "letter", OnBehalfOfOrg: i%2 == 0,
			Organisation: "Harrowgate Carers Trust", ReceivedAt: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC),
			Answers: []ingest.Answer{{QuestionID: firstOpen(c), Text: &text}}}
	}
	if _, err := importLetters(ctx, pool, c, rs, true); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, "ANALYZE personal_spans"); err != nil {
		return fmt.Errorf("bench: analyze: %w", err)
	}
	svc := &personal.Service{Pool: pool}
	terms := []struct{ name, term string }{
		{"email address", "jane.harrowgate@example.org"},
		{"name", "Jane Harrowgate"},
		{"reference", "subject-07"},
		{"organisation", "Harrowgate Carers Trust"},
		{"phone number, written differently", "+44 117 496 0123"},
		{"a word in the free text only", "father's care home"},
	}
	fmt.Fprintf(out, "\n  subject access search (personal.Service.Search: responses, drafts, uploads, audit log), %d searches each (target < 2 s):\n", requests)
	for _, t := range terms {
		var times []time.Duration
		found := 0
		for range requests {
			start := time.Now()
			f, err := svc.Search(ctx, t.term)
			if err != nil {
				return fmt.Errorf("bench: subject access %q: %w", t.term, err)
			}
			times = append(times, time.Since(start))
			found = len(f.Responses)
		}
		slices.Sort(times)
		fmt.Fprintf(out, "  %-36s p50 %7.1f ms   p95 %7.1f ms   %5d responses found\n", t.name, ms(times[len(times)*50/100]), ms(times[len(times)*95/100]), found)
	}
	return nil
}

func firstOpen(c *consultation.Consultation) int32 {
	for _, q := range c.Questions {
		if q.Scale == nil {
			return q.ID
		}
	}
	return 0
}
