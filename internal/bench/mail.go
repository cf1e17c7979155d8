package bench

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/imaptest"
	"heard/internal/mailbox"
	mt "heard/internal/msg/msgtest"
	"heard/internal/ocr"
	"heard/internal/ocr/ocrtest"
)

// Email and post as they arrive (#17): Outlook .msg files through the
// importer, a fetch from a local Dovecot, and OCR per page.

// mailSection measures what cfg asks for; a size of 0 skips that part.
func mailSection(ctx context.Context, pool *pgxpool.Pool, cfg Config, out io.Writer) error {
	fmt.Fprintf(out, "\n  email and post (targets: .msg ≥ 500 messages/s; IMAP fetch of 10,000 < 2 min):\n")
	if cfg.MsgN > 0 {
		if err := msgBench(ctx, pool, cfg.MsgN, out); err != nil {
			return err
		}
	}
	if cfg.IMAPN > 0 {
		if err := imapBench(ctx, pool, cfg.IMAPN, out); err != nil {
			return err
		}
	}
	if cfg.OCRPages > 0 {
		if err := ocrBench(ctx, cfg.OCRPages, out); err != nil {
			return err
		}
	}
	return nil
}

func mailConsultation(ctx context.Context, pool *pgxpool.Pool, slug string) (*consultation.Consultation, error) {
	return loadDefinition(ctx, pool, slug)
}

// msgBench imports a zip of n .msg files, each with an attachment.
func msgBench(ctx context.Context, pool *pgxpool.Pool, n int, out io.Writer) error {
	c, err := mailConsultation(ctx, pool, "bench-msg")
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "heard-bench-msg-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "outlook.zip")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for i := range n {
		m := &mt.Message{Props: []mt.Prop{
			mt.P(mt.PidSubject, "Consultation response"), mt.P(mt.PidSenderName, fmt.Sprintf("Sender %d", i)),
			mt.P(mt.PidSenderSMTP, fmt.Sprintf("s%d@example.org", i)), mt.P(mt.PidClientSubmitTime, time.Date(2021, 2, 1, 0, 0, i%60, 0, time.UTC)),
			mt.P(mt.PidInternetMsgID, fmt.Sprintf("<msg-bench-%d@example.org>", i)),
			mt.P(mt.PidBody, fmt.Sprintf("Q1a: Mostly\r\nQ1b: Response %d. %s", i, strings.Repeat("We support putting people first. ", 20))),
		}, Attachments: []mt.Attachment{{Props: []mt.Prop{mt.P(mt.PidAttachLongName, "notes.txt"), mt.P(mt.PidAttachData, []byte(strings.Repeat("Further notes. ", 40)))}}}}
		w, err := zw.Create(fmt.Sprintf("m%06d.msg", i))
		if err != nil {
			return err
		}
		if _, err := w.Write(m.Bytes()); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	f.Close()
	st, _ := os.Stat(path)
	start := time.Now()
	rep, err := (&batchimport.Service{Pool: pool}).ImportPath(ctx, path, "outlook.zip", batchimport.Options{Consultation: c})
	if err != nil {
		return err
	}
	took := time.Since(start)
	if rep.Imported != n {
		return fmt.Errorf("bench: .msg import: %d of %d imported (%d problems)", rep.Imported, n, len(rep.Problems))
	}
	fmt.Fprintf(out, "  .msg zip import   %9s messages  %6.0f MB  %7.1f s  %8s messages/s\n", fmtInt(int64(n)), float64(st.Size())/(1<<20), took.Seconds(), rate(n, took))
	return nil
}

// imapBench fetches n messages from a Dovecot started for the bench.
func imapBench(ctx context.Context, pool *pgxpool.Pool, n int, out io.Writer) (err error) {
	tb := &benchTB{}
	defer tb.finish(&err)
	srv := imaptest.Start(tb)
	c, err := mailConsultation(ctx, pool, "bench-imap")
	if err != nil {
		return err
	}
	msgs := make([][]byte, n)
	for i := range n {
		msgs[i] = []byte(fmt.Sprintf("From: Person %d <p%d@example.org>\r\nSubject: Response %d\r\nDate: Mon, 1 Feb 2021 10:00:00 +0000\r\nMessage-ID: <imap-bench-%d@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nQ1a: Fully\r\nQ1b: Response %d. %s\r\n",
			i, i, i, i, i, strings.Repeat("People and communities first. ", 20)))
	}
	srv.Deliver(tb, "", msgs...)
	key, _ := mailbox.ParseKey(strings.Repeat("b", 32))
	svc := &mailbox.Service{Pool: pool, Key: key}
	if err := svc.Connect(ctx, c, accounts.Actor{ClientIP: "bench"}, mailbox.Config{
		Host: "127.0.0.1", Port: srv.Port, Security: mailbox.None, User: srv.User, Password: srv.Password,
	}); err != nil {
		return err
	}
	start := time.Now()
	rep, err := svc.Fetch(ctx, c, accounts.Actor{ClientIP: "bench"})
	if err != nil {
		return err
	}
	took := time.Since(start)
	if rep.Imported != n {
		return fmt.Errorf("bench: IMAP fetch: %d of %d imported", rep.Imported, n)
	}
	fmt.Fprintf(out, "  IMAP fetch        %9s messages  %7.1f s  %8s messages/s  (Dovecot on 127.0.0.1, %d batches)\n",
		fmtInt(int64(n)), took.Seconds(), rate(n, took), len(rep.Batches))
	return nil
}

// ocrBench reads n A4 pages of typed text, one at a time, as the
// background job does, and reports time and Tesseract's memory per page.
func ocrBench(ctx context.Context, n int, out io.Writer) error {
	if err := ocr.Available(); err != nil {
		fmt.Fprintf(out, "  OCR               skipped: %v\n", err)
		return nil
	}
	lines := make([]string, 40)
	for i := range lines {
		lines[i] = fmt.Sprintf("Line %d: we support the ambition to put people and communities first.", i+1)
	}
	page := ocrtest.PNG(ocrtest.Image(lines...))
	var total time.Duration
	var maxRSS int64
	words := 0
	for range n {
		start := time.Now()
		p, err := ocr.ReadImage(ctx, page)
		if err != nil {
			return err
		}
		total += time.Since(start)
		maxRSS = max(maxRSS, p.MaxRSS)
		words += len(p.Words)
	}
	per := total / time.Duration(n)
	fmt.Fprintf(out, "  OCR (Tesseract)   %9d pages     %7.1f s  %6.2f s/page  %5.1f pages/min  peak RSS %4.0f MB/page  (%d words/page, 1 thread, %d cores)\n",
		n, total.Seconds(), per.Seconds(), 60/per.Seconds(), float64(maxRSS)/(1<<20), words/n, runtime.NumCPU())
	return nil
}

// benchTB lets the bench start the test Dovecot.
type benchTB struct {
	cleanups []func()
}

type benchFatal struct{ msg string }

func (b *benchTB) Helper()                      {}
func (b *benchTB) Fatal(args ...any)            { panic(benchFatal{fmt.Sprint(args...)}) }
func (b *benchTB) Fatalf(f string, args ...any) { panic(benchFatal{fmt.Sprintf(f, args...)}) }
func (b *benchTB) Skipf(f string, args ...any) {
	panic(benchFatal{"skipped: " + fmt.Sprintf(f, args...)})
}
func (b *benchTB) Cleanup(f func()) { b.cleanups = append(b.cleanups, f) }

// finish runs the cleanups and turns a Fatal into an error.
func (b *benchTB) finish(err *error) {
	r := recover()
	for i := len(b.cleanups) - 1; i >= 0; i-- {
		b.cleanups[i]()
	}
	if f, ok := r.(benchFatal); ok {
		*err = fmt.Errorf("bench: IMAP server: %s", f.msg)
	} else if r != nil {
		panic(r)
	}
}
