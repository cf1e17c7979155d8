package bench

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
)

// importRun is one `heard import` of a generated file.
type importRun struct {
	name      string
	items     int
	bytes     int64
	took      time.Duration
	peakRSSMB float64
}

// runImport runs the real `heard import` on path in its own process, so
// its peak memory can be read from the kernel.
func runImport(ctx context.Context, heard, dbURL, slug, path string, items int) (importRun, error) {
	st, err := os.Stat(path)
	if err != nil {
		return importRun{}, err
	}
	cmd := exec.CommandContext(ctx, heard, "import", "--consultation", slug, "--channel", "letter", path)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return importRun{}, fmt.Errorf("bench: start heard import: %w", err)
	}
	peak := watchPeak(cmd.Process.Pid)
	err = cmd.Wait()
	took := time.Since(start)
	r := importRun{name: filepath.Base(path), items: items, bytes: st.Size(), took: took, peakRSSMB: float64(peak()) / 1024}
	if err != nil {
		return importRun{}, fmt.Errorf("bench: heard import %s: %v\n%s", r.name, err, out.String())
	}
	if !strings.Contains(out.String(), fmt.Sprintf("imported:            %d", items)) {
		return r, fmt.Errorf("bench: heard import %s did not import %d items:\n%s", r.name, items, out.String())
	}
	return r, nil
}

// watchPeak samples the process's own peak resident memory (VmHWM, in
// KiB) every 10 ms until the returned function is called, which gives the
// highest value seen. Not the rusage of wait4: on Linux a child started
// from a large parent (Go starts children with CLONE_VM) inherits the
// parent's high-water mark at exec, so ru_maxrss reported the bench's own
// peak, not the import's.
func watchPeak(pid int) func() int64 {
	var peak int64
	stop, done := make(chan struct{}), make(chan struct{})
	path := fmt.Sprintf("/proc/%d/status", pid)
	sample := func() {
		b, err := os.ReadFile(path)
		if err != nil {
			return
		}
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				peak = max(peak, kb)
			}
		}
	}
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		return peak
	}
}

// writeCSV writes n rows in the import template, the same rows synth
// makes for the other measurements.
func writeCSV(path string, c *consultation.Consultation, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	header := []string{"reference", "received_on", "channel", "respondent_group"}
	for _, q := range c.Questions {
		header = append(header, q.Code)
	}
	if err := w.Write(header); err != nil {
		return err
	}
	options := map[int32]string{}
	groups := map[int32]string{}
	for _, q := range c.Questions {
		if q.Scale != nil {
			for _, o := range q.Scale.Options {
				options[o.ID] = o.Slug
			}
		}
	}
	for _, g := range c.Groups {
		groups[g.ID] = g.Slug
	}
	rec := make([]string, len(header))
	for i := range n {
		r := synth(c, i)
		rec[0], rec[1], rec[2], rec[3] = r.SourceRef, r.ReceivedAt.Format("2006-01-02"), "letter", groups[*r.GroupID]
		for k, a := range r.Answers {
			if a.OptionID != nil {
				rec[4+k] = options[*a.OptionID]
			} else {
				rec[4+k] = *a.Text
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeMbox writes n emails, each a letter set out under theme headings
// with one explicit closed answer, as an mbox.
func writeMbox(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	for i := range n {
		writeMessage(w, i)
	}
	return w.Flush()
}

func writeMessage(w io.Writer, i int) {
	fmt.Fprintf(w, "From sender%d@example.org Mon Feb  1 10:00:00 2021\n", i)
	fmt.Fprintf(w, "From: Sender %d <sender%d@example.org>\nTo: strategy@example.org\nSubject: Consultation response %d\n", i, i, i)
	fmt.Fprintf(w, "Date: Mon, 1 Feb 2021 10:%02d:%02d +0000\nMessage-ID: <bench-%d@example.org>\nMIME-Version: 1.0\n", i/60%60, i%60, i)
	fmt.Fprintf(w, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n")
	fmt.Fprintf(w, "Dear team,\n\nQ1a: Mostly\n\nPeople and communities\n\nPutting people's experiences first is right (letter %d).\n\n", i)
	fmt.Fprintf(w, "Smarter regulation\n\nWe worry about a potential reduction in time spent on site.\n\nYours sincerely,\nSender %d\n\n", i)
}

// importsBench measures the two imports the issue names.
func importsBench(ctx context.Context, pool *pgxpool.Pool, dbURL, heard string, csvRows, mboxMessages int) ([]importRun, error) {
	dir, err := os.MkdirTemp("", "heard-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var runs []importRun
	if mboxMessages > 0 {
		if _, err := loadDefinition(ctx, pool, "bench-mbox"); err != nil {
			return nil, err
		}
		p := filepath.Join(dir, "letters.mbox")
		if err := writeMbox(p, mboxMessages); err != nil {
			return nil, err
		}
		r, err := runImport(ctx, heard, dbURL, "bench-mbox", p, mboxMessages)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	if csvRows > 0 {
		c, err := loadDefinition(ctx, pool, "bench-csv")
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, "typed.csv")
		if err := writeCSV(p, c, csvRows); err != nil {
			return nil, err
		}
		r, err := runImport(ctx, heard, dbURL, "bench-csv", p, csvRows)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}
