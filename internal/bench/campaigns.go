package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/campaign"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// campaignSection measures campaign detection (#15): the whole-consultation
// pass over n generated responses (20% in 50 campaigns) in memory, its
// clustering precision and recall, and incremental detection of single new
// responses through PostgreSQL on top of dbN stored ones.
func campaignSection(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n, dbN int, out io.Writer) error {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // sample the heap: the target is < 500 MB
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if v := m.HeapInuse + m.StackInuse; v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	g := campaign.NewGenerator(50, 0.2, 2026)
	fps := make([]campaign.Fingerprint, n)
	truth := make([]int, n)
	// Text is generated and signed in chunks so it is never all in memory;
	// only signing and clustering are timed.
	const chunk = 10_000
	texts := make([]string, chunk)
	var signing time.Duration
	workers := runtime.GOMAXPROCS(0)
	for start := 0; start < n; start += chunk {
		end := min(start+chunk, n)
		for i := start; i < end; i++ {
			d := g.Next()
			texts[i-start] = d.Text
			truth[i] = campaign.TruthLabel(d, i, truth)
		}
		t0 := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := start + w; i < end; i += workers {
					fps[i] = campaign.FingerprintOf(texts[i-start])
				}
			}(w)
		}
		wg.Wait()
		signing += time.Since(t0)
	}
	t0 := time.Now()
	labels := campaign.Cluster(fps, campaign.DefaultThresholds)
	clustering := time.Since(t0)
	close(stop)
	wg.Wait()
	total := signing + clustering
	p, r := campaign.PairScoresOf(truth, labels)
	fmt.Fprintf(out, "\n  campaigns (#15): %s generated responses, 20%% in 50 campaigns, %d workers (targets: ≥ 5,000 responses/s, < 500 MB; precision and recall ≥ 0.95; one new response < 20 ms):\n", fmtInt(int64(n)), workers)
	fmt.Fprintf(out, "  sign (normalise, shingle, MinHash)  %7.1f s\n", signing.Seconds())
	fmt.Fprintf(out, "  cluster (LSH bands, containment)    %7.1f s\n", clustering.Seconds())
	fmt.Fprintf(out, "  whole pass                          %7.1f s  %10s responses/s   peak heap %4.0f MB\n", total.Seconds(), rate(n, total), float64(peak.Load())/(1<<20))
	fmt.Fprintf(out, "  clustering precision %.4f   recall %.4f (pairs in the same campaign)\n", p, r)
	fps, labels, truth = nil, nil, nil

	// Incremental detection through PostgreSQL: dbN responses stored and
	// detected, then single new responses timed one at a time.
	g = campaign.NewGenerator(50, 0.2, 7)
	if err := storeGenerated(ctx, pool, c, g, 0, dbN); err != nil {
		return err
	}
	svc := &campaign.Service{Pool: pool}
	t0 = time.Now()
	if _, err := svc.DetectPending(ctx, c.ID); err != nil {
		return err
	}
	stored := time.Since(t0)
	fmt.Fprintf(out, "  detection through PostgreSQL, %s responses  %7.1f s  %10s responses/s\n", fmtInt(int64(dbN)), stored.Seconds(), rate(dbN, stored))
	var lat []time.Duration
	for i := 0; i < 200; i++ {
		if err := storeGenerated(ctx, pool, c, g, dbN+i, 1); err != nil {
			return err
		}
		t0 := time.Now()
		if _, err := svc.DetectNew(ctx, c.ID); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Fprintf(out, "  one new response, after %s stored      p50 %6.1f ms   p95 %6.1f ms\n", fmtInt(int64(dbN)), ms(lat[len(lat)/2]), ms(lat[len(lat)*95/100]))
	return nil
}

// storeGenerated stores k generated responses as webform answers to the
// consultation's first open question.
func storeGenerated(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, g *campaign.Generator, from, k int) error {
	var open *consultation.Question
	for _, q := range c.Questions {
		if q.Kind == "open" {
			open = q
			break
		}
	}
	return db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		w := ingest.NewWriter(q, c)
		for i := from; i < from+k; i++ {
			d := g.Next()
			text := d.Text
			err := w.Add(ctx, ingest.Response{
				SourceRef: fmt.Sprintf("campaign-bench-%d", i), Channel: "webform", Organisation: d.Sender,
				ReceivedAt: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
				Answers:    []ingest.Answer{{QuestionID: open.ID, Text: &text}},
			})
			if err != nil {
				return fmt.Errorf("bench: store generated response %d: %w", i, err)
			}
		}
		return w.Flush(ctx)
	})
}
