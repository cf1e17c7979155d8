package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/autocode"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/demo"
	"heard/internal/server"
)

// autocodeSection measures auto-coding (#13): training on trainN coded
// answers (the model alone, then with the cross-validation and learning
// curve the product runs with it), scoring every answer to Q1b of the
// bench consultation into stored suggestions as the background job does,
// with the Go heap's peak, and the suggestion list page's latency.
func autocodeSection(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, trainN int, quality bool, requests int, out io.Writer, logger *slog.Logger) error {
	q := c.Question("Q1b")
	set := demo.EvalSet(trainN, 0, 1)[0] // Q1b's codeframe and phrasings
	svc := autocode.NewService(pool)
	// A kept database (-existing) measured before has the codes already.
	cf, err := svc.Coding.Codeframe(ctx, c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil {
		return fmt.Errorf("bench: codeframe: %w", err)
	}
	have := map[string]int32{}
	for _, cd := range cf.Codes {
		have[cd.Key] = cd.ID
	}
	ids := map[string]int32{}
	var codes []int32
	for _, key := range set.Codes {
		id, ok := have[key]
		if !ok {
			code, err := svc.Coding.AddCode(ctx, accounts.Actor{}, c.ID, coding.Frame{QuestionID: q.ID}, coding.CodeInput{Key: key, Name: set.Names[key]})
			if err != nil {
				return fmt.Errorf("bench: code %s: %w", key, err)
			}
			id = code.ID
		}
		ids[key] = id
		codes = append(codes, id)
	}
	examples := make([]autocode.Example, len(set.Train))
	for i, a := range set.Train {
		examples[i] = autocode.Example{ID: int64(i), Text: a.Text, Coded: true}
		for _, k := range a.Codes {
			examples[i].Codes = append(examples[i].Codes, ids[k])
		}
	}
	names := map[int32]string{}
	for key, id := range ids {
		names[id] = set.Names[key]
	}
	examples = append(examples, autocode.Hints(names, codes)...)
	fmt.Fprintf(out, "\n  auto-coding (targets: train on 10,000 < 30 s; score ≥ 20,000 answers/s, memory < 500 MB; suggestion page p95 < 100 ms):\n")
	// CPU seconds beside wall seconds: on a shared machine the wall
	// clock says more about the neighbours than about training.
	// As the job does: with self-training on, uncoded answers are read
	// first (the read is timed with training).
	start, cpu := time.Now(), cpuTime()
	opt, err := svc.TrainOptions(ctx, q.ID)
	if err != nil {
		return err
	}
	m, err := autocode.Train(svc.Tok, examples, codes, opt)
	if err != nil {
		return err
	}
	fit, fitCPU := time.Since(start), cpuTime()-cpu
	fmt.Fprintf(out, "  train on %s coded answers (+ self-training on %s uncoded), %d codes   %7.1f s model (%.1f s CPU)",
		fmtInt(int64(trainN)), fmtInt(int64(len(opt.Unlabelled))), len(codes), fit.Seconds(), fitCPU.Seconds())
	if quality {
		start, cpu = time.Now(), cpuTime()
		preds := autocode.CrossValidate(svc.Tok, examples, codes, autocode.Folds, opt, 1)
		autocode.Measure(preds, codes, 1000, 1)
		autocode.LearningCurve(svc.Tok, examples, codes, opt, 1)
		measure, measureCPU := time.Since(start), cpuTime()-cpu
		fmt.Fprintf(out, ", %7.1f s more for 5-fold CV, bootstrap and learning curve (%.1f s CPU)", measure.Seconds(), measureCPU.Seconds())
	}
	fmt.Fprintln(out)

	m.Version = "bench"
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if v := ms.HeapInuse + ms.StackInuse; v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	runtime.GC()
	start = time.Now()
	suggested, err := svc.Score(ctx, q.ID, m)
	close(done)
	if err != nil {
		return err
	}
	took := time.Since(start)
	// The rate is of the answers scored: those not yet coded (the
	// job skips coded ones), as the job's own query selects them.
	var answers, scored int64
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM unit_states s
		WHERE s.question_id = a.question_id AND s.response_id = a.response_id AND s.segment_id IS NULL AND s.coded))
		FROM answers a WHERE a.question_id = $1 AND a.text IS NOT NULL`, q.ID).Scan(&answers, &scored); err != nil {
		return fmt.Errorf("bench: count answers: %w", err)
	}
	fmt.Fprintf(out, "  score the %s uncoded of %s answers into %s stored suggestions  %7.1f s  %8s answers/s   Go heap peak %4.0f MB\n",
		fmtInt(scored), fmtInt(answers), fmtInt(int64(suggested)), took.Seconds(), rate(int(scored), took), float64(peak.Load())/(1<<20))
	if _, err := pool.Exec(ctx, "ANALYZE autocode_suggestions"); err != nil {
		return fmt.Errorf("bench: analyze: %w", err)
	}

	lat, err := suggestionLatency(ctx, pool, c, q, codes, requests, logger)
	if err != nil {
		return err
	}
	for _, l := range lat {
		fmt.Fprintf(out, "  %-44s p50 %6.1f ms   p95 %6.1f ms\n", l.name, ms(l.p50), ms(l.p95))
	}
	return nil
}

// suggestionLatency signs an analyst in and times the suggestions page of
// the code with most suggestions, and of its second page.
func suggestionLatency(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, q *consultation.Question, codes []int32, n int, logger *slog.Logger) ([]latency, error) {
	const email, password = "bench-autocoder@example.org", "bench password long enough 1"
	// A kept database (-existing) measured before has the analyst.
	if _, err := accounts.NewService(pool).Create(ctx, accounts.Actor{}, email, password, accounts.Analyst); err != nil {
		if ve := (*accounts.ValidationError)(nil); !errors.As(err, &ve) || ve.Field != "email" {
			return nil, fmt.Errorf("bench: analyst: %w", err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: listen: %w", err)
	}
	web := server.New(logger, pool, server.Options{InsecureCookies: true})
	defer web.Close()
	srv := &http.Server{Handler: web.Routes()}
	go srv.Serve(ln) //nolint:errcheck // closed below
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Timeout: 30 * time.Second, Jar: jar}
	root := "http://" + ln.Addr().String()
	res, err := client.PostForm(root+"/sign-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, fmt.Errorf("bench: sign in: %w", err)
	}
	res.Body.Close()
	var top int32
	var most int64
	for _, id := range codes {
		var k int64
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM autocode_suggestions WHERE question_id = $1 AND code_id = $2`, q.ID, id).Scan(&k); err != nil {
			return nil, err
		}
		if k > most {
			top, most = id, k
		}
	}
	base := root + "/consultations/" + c.Slug + "/questions/Q1b/suggestions"
	pages := []struct{ name, path string }{
		{"suggestions page, no code chosen", base},
		{"suggestions of the largest code (" + fmtInt(most) + ")", base + "?code=" + strconv.Itoa(int(top))},
	}
	var out []latency
	for _, p := range pages {
		var times []time.Duration
		for i := range n + 5 {
			start := time.Now()
			res, err := client.Get(p.path)
			if err != nil {
				return nil, fmt.Errorf("bench: GET %s: %w", p.path, err)
			}
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 || res.Request.URL.Path == "/sign-in" {
				return nil, fmt.Errorf("bench: GET %s: status %d at %s, %v", p.path, res.StatusCode, res.Request.URL.Path, err)
			}
			if i >= 5 {
				times = append(times, time.Since(start))
			}
		}
		slices.Sort(times)
		out = append(out, latency{name: p.name, p50: times[len(times)*50/100], p95: times[len(times)*95/100]})
	}
	return out, nil
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
