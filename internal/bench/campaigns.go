package bench

import (
	"context"
	"errors"
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
//
// ordinary, when set, is the bench consultation: 1,000 of its responses
// are then loaded (and rolled back) on top, as an importer would.
func campaignSection(ctx context.Context, pool *pgxpool.Pool, c, ordinary *consultation.Consultation, n, dbN int, out io.Writer) error {
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

	// The background job's pass through PostgreSQL: dbN responses stored,
	// then detected by the same call the job and `heard import` make (the
	// whole-consultation pass in memory, signatures stored with COPY),
	// with its heap sampled and its clustering scored against the truth.
	g = campaign.NewGenerator(50, 0.2, 7)
	dbTruth := make([]int, 0, dbN)
	for from := 0; from < dbN; from += 50_000 {
		k := min(50_000, dbN-from)
		if err := storeGenerated(ctx, pool, c, g, from, k, &dbTruth); err != nil {
			return err
		}
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE responses, answers, response_sources"); err != nil {
		return fmt.Errorf("bench: vacuum: %w", err)
	}
	svc := &campaign.Service{Pool: pool}
	runtime.GC()
	peak.Store(0)
	stop = make(chan struct{})
	wg.Add(1)
	go func() {
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
	t0 = time.Now()
	dst, err := svc.DetectPending(ctx, c.ID)
	if err != nil {
		return err
	}
	stored := time.Since(t0)
	close(stop)
	wg.Wait()
	dbLabels, err := storedLabels(ctx, pool, c.ID, dbN)
	if err != nil {
		return err
	}
	p, r = campaign.PairScoresOf(dbTruth, dbLabels)
	fmt.Fprintf(out, "  job pass through PostgreSQL, %s responses  %7.1f s  %10s responses/s   peak heap %4.0f MB\n", fmtInt(int64(dbN)), stored.Seconds(), rate(dbN, stored), float64(peak.Load())/(1<<20))
	fmt.Fprintf(out, "  job pass precision %.4f   recall %.4f (campaign memberships stored)\n", p, r)
	fmt.Fprintf(out, "  job pass phases (in memory: %v): sign and COPY %.1f s (read texts %.1f, COPY %.1f), read signatures %.1f s, cluster %.1f s, place %.1f s\n",
		dst.Bulk, dst.Signing.Seconds(), dst.TextReading.Seconds(), dst.Storing.Seconds(), dst.Reading.Seconds(), dst.Clustering.Seconds(), dst.Placing.Seconds())
	dbLabels = nil
	if err := oneAtATime(ctx, pool, c, g, &dbTruth, nil, out); err != nil {
		return err
	}
	return ordinaryLoad(ctx, pool, ordinary, dbN, nil, out)
}

// oneAtATime times detection of 200 new responses stored one at a time
// after those in truth (generated by g, which continues their sequence),
// as the periodic job meets them, and scores their placement.
// With times (the pool's tracer), the detection's statements are added
// up and printed.
func oneAtATime(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, g *campaign.Generator, truth *[]int, times *statementTimes, out io.Writer) error {
	svc := &campaign.Service{Pool: pool}
	stored := len(*truth)
	var lat []time.Duration
	var sum time.Duration
	for i := 0; i < 200; i++ {
		if err := storeGenerated(ctx, pool, c, g, stored+i, 1, truth); err != nil {
			return err
		}
		if times != nil {
			times.off.Store(false)
		}
		t0 := time.Now()
		if _, err := svc.DetectNew(ctx, c.ID); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
		sum += lat[i]
		if times != nil {
			times.off.Store(true)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if times != nil {
		times.print(out, sum)
	}
	fmt.Fprintf(out, "  one new response, after %s stored      p50 %6.1f ms   p95 %6.1f ms   max %6.1f ms\n", fmtInt(int64(stored)), ms(lat[len(lat)/2]), ms(lat[len(lat)*95/100]), ms(lat[len(lat)-1]))
	all, err := storedLabels(ctx, pool, c.ID, len(*truth))
	if err != nil {
		return err
	}
	p, r := placementScores(*truth, all, stored)
	fmt.Fprintf(out, "  one new response placement  precision %.4f   recall %.4f (the %d responses after the job pass, through the stored band keys)\n", p, r, len(*truth)-stored)
	return nil
}

// ordinaryLoad times 1,000 ordinary bench responses (13 answers each)
// through ingest.Writer into the database holding the campaign
// responses, as an importer loads a file, then rolls them back so that
// later sections see the database as it was. At 1M campaign responses
// this took 34.4 s while the same load into an empty database takes well
// under one: a trigger hashed every stored response per statement
// (migration 000036).
// With times (the pool's tracer), its statements are printed.
func ordinaryLoad(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, stored int, times *statementTimes, out io.Writer) error {
	if c == nil {
		return nil
	}
	if times != nil {
		times.reset()
		times.off.Store(false)
		defer times.off.Store(true)
	}
	const n = 1000
	var took time.Duration
	errRollback := errors.New("roll back")
	err := db.WithTx(ctx, pool, func(_ pgx.Tx, q *db.Queries) error {
		start := time.Now()
		w := ingest.NewWriter(q, c)
		for i := range n {
			r := synth(c, i)
			r.SourceRef = fmt.Sprintf("bench-ordinary-%d", i)
			if err := w.Add(ctx, r); err != nil {
				return err
			}
		}
		if err := w.Flush(ctx); err != nil {
			return err
		}
		took = time.Since(start)
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return fmt.Errorf("bench: ordinary load: %w", err)
	}
	fmt.Fprintf(out, "  1,000 ordinary responses (%d answers each) through ingest.Writer, after %s campaign responses stored  %.2f s (rolled back)\n",
		len(c.Questions), fmtInt(int64(stored)), took.Seconds())
	if times != nil {
		times.print(out, took)
	}
	return nil
}

// placementScores scores the one-new-response placements of responses
// from `from` on. Recall: of the new campaign copies, the share that
// joined the campaign holding most of their campaign's earlier copies.
// Precision: of the new responses placed in a campaign, the share whose
// true label is the one most of that campaign's members have.
func placementScores(truth, labels []int, from int) (precision, recall float64) {
	home := map[int]map[int]int{} // true campaign → placed campaign → earlier copies
	for i := 0; i < from; i++ {
		if truth[i] < 0 && labels[i] > 0 {
			if home[truth[i]] == nil {
				home[truth[i]] = map[int]int{}
			}
			home[truth[i]][labels[i]]++
		}
	}
	members := map[int]map[int]int{} // placed campaign → true label → members
	for i := range labels {
		if labels[i] > 0 {
			if members[labels[i]] == nil {
				members[labels[i]] = map[int]int{}
			}
			members[labels[i]][truth[i]]++
		}
	}
	most := func(m map[int]int) int {
		best, n := 0, -1
		for k, v := range m {
			if v > n || (v == n && k < best) {
				best, n = k, v
			}
		}
		return best
	}
	var copies, joined, placed, right int
	for i := from; i < len(labels); i++ {
		if truth[i] < 0 {
			copies++
			if labels[i] > 0 && labels[i] == most(home[truth[i]]) {
				joined++
			}
		}
		if labels[i] > 0 {
			placed++
			if most(members[labels[i]]) == truth[i] {
				right++
			}
		}
	}
	precision, recall = 1, 1
	if placed > 0 {
		precision = float64(right) / float64(placed)
	}
	if copies > 0 {
		recall = float64(joined) / float64(copies)
	}
	return precision, recall
}

// storeGenerated stores k generated responses as webform answers to the
// consultation's first open question.
// With truth set, each response's true campaign label is appended to it.
func storeGenerated(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, g *campaign.Generator, from, k int, truth *[]int) error {
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
			if truth != nil {
				*truth = append(*truth, campaign.TruthLabel(d, i, *truth))
			}
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

// storedLabels are the responses' campaign labels as detection stored
// them (bench responses are stored in order, so the i-th is
// campaign-bench-i): the campaign id, or a label of its own when alone.
func storedLabels(ctx context.Context, pool *pgxpool.Pool, cid int64, n int) ([]int, error) {
	labels := make([]int, n)
	for i := range labels {
		labels[i] = -(i + 1)
	}
	rows, err := pool.Query(ctx, `SELECT substr(r.source_ref, 16)::int, m.campaign_id
		FROM campaign_members m JOIN responses r ON r.id = m.response_id
		WHERE m.consultation_id = $1 AND NOT m.removed AND r.source_ref LIKE 'campaign-bench-%'`, cid)
	if err != nil {
		return nil, fmt.Errorf("bench: stored campaign labels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var id int64
		if err := rows.Scan(&i, &id); err != nil {
			return nil, fmt.Errorf("bench: stored campaign labels: %w", err)
		}
		if i < n {
			labels[i] = int(id)
		}
	}
	return labels, rows.Err()
}

// existingCampaigns re-times incremental detection and the ordinary load
// on a database kept from a campaigns run (-keep), after a change, without
// rebuilding it: the generator replays the stored responses' sequence
// (seed 7, as campaignSection stores them) for the placement scores.
func existingCampaigns(ctx context.Context, url string, ordinary *consultation.Consultation, out io.Writer) error {
	poolCfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("bench: -existing: %w", err)
	}
	times := newStatementTimes()
	times.off.Store(true)
	poolCfg.ConnConfig.Tracer = times
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return fmt.Errorf("bench: connect: %w", err)
	}
	defer pool.Close()
	c, err := (&consultation.Service{Pool: pool}).Get(ctx, "bench-campaigns")
	if err != nil {
		return fmt.Errorf("bench: the kept database has no bench-campaigns consultation: %w", err)
	}
	var stored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM responses WHERE consultation_id = $1 AND source_ref LIKE 'campaign-bench-%'`, c.ID).Scan(&stored); err != nil {
		return fmt.Errorf("bench: count campaign responses: %w", err)
	}
	// Anything stored and not yet detected (an interrupted run) first.
	if _, err := (&campaign.Service{Pool: pool}).DetectPending(ctx, c.ID); err != nil {
		return err
	}
	g := campaign.NewGenerator(50, 0.2, 7)
	truth := make([]int, 0, stored+200)
	for i := 0; i < stored; i++ {
		truth = append(truth, campaign.TruthLabel(g.Next(), i, truth))
	}
	fmt.Fprintf(out, "\n  campaigns (#15) on a kept database, %s campaign responses (target: one new response < 20 ms):\n", fmtInt(int64(stored)))
	if err := oneAtATime(ctx, pool, c, g, &truth, times, out); err != nil {
		return err
	}
	return ordinaryLoad(ctx, pool, ordinary, stored, times, out)
}
