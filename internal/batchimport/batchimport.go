// Package batchimport imports files of responses that did not come
// through the webform — .eml, .mbox and .zip of emails, and .csv and
// .xlsx files in Heard's template for typed-up letters and event
// responses — and accounts for every one: each file is imported whole or
// not at all (unless the caller chooses to skip what is invalid), nothing
// is stored twice, and every file leaves a batch record and an audit entry.
package batchimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// Formats lists the file types Import reads, by extension.
var Formats = []string{"eml", "msg", "mbox", "zip", "csv", "xlsx", "pdf", "png", "jpg", "jpeg", "tif", "tiff"}

// Options say how to import one file.
type Options struct {
	Consultation *consultation.Consultation
	// Channel is the channel of every response (email for mail files
	// when empty); for CSV/XLSX it is the default for rows that leave
	// the channel column empty.
	Channel string
	// Group is the respondent group of responses that do not state one
	// (nil: group not known).
	Group *consultation.Group
	// SkipInvalid imports the valid part of a file and lists what was
	// left out, instead of rejecting the whole file.
	SkipInvalid bool
	// By is who is importing, for the batch record and the audit log.
	By accounts.Actor
	// EventID links every response to an engagement event (Channel must
	// be "event"); references are then the event's own, so two events'
	// files may both number their rows 1, 2, 3.
	EventID *int64
	// ReceivedOn dates rows that leave received_on empty (an event's
	// date); zero means the day of the import.
	ReceivedOn time.Time
	// DryRun does everything but commit: the report says what an import
	// would do, with a sample of the responses, and nothing is kept.
	DryRun bool
	// Encoding is what a CSV file's bytes are, when the admin says so
	// (a WHATWG name: utf-8, windows-1252, iso-8859-1...); empty: UTF-8,
	// or Windows-1252 when the whole file reads cleanly as that.
	Encoding string
	// Progress, if set, is told how many bytes of the file have been read.
	Progress func(read int64)
}

// Problem is one reason something in a file could not be imported.
type Problem struct {
	Item   string `json:"item"`            // "message 3", "row 7", a zip entry, or "" for the whole file
	Field  string `json:"field,omitempty"` // a column or header, if one is at fault
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// safe escapes what a problem quotes from the file (see ingest.SafeText).
func (p Problem) safe() Problem {
	p.Item, p.Field, p.Value, p.Reason = ingest.SafeText(p.Item), ingest.SafeText(p.Field), ingest.SafeText(p.Value), ingest.SafeText(p.Reason)
	return p
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Item != "" {
		b.WriteString(p.Item)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, ", column %s", p.Field)
	}
	if p.Value != "" {
		fmt.Fprintf(&b, ", value %q", truncate(p.Value, 60))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// Duplicate is something in the file that was already stored.
type Duplicate struct {
	Item   string `json:"item"`
	Ref    string `json:"ref"`
	Reason string `json:"reason"`
}

// Report says what happened to one file.
type Report struct {
	File       string
	SHA256     string
	Format     string
	BatchID    int64
	Status     string // imported, partial or rejected
	Imported   int
	Duplicates []Duplicate
	Problems   []Problem
	// Rejected counts the items (messages, rows) left out for problems.
	Rejected int
	// Scans counts the scanned letters imported to be read by OCR (or
	// typed up) after the import.
	Scans int
	// Sample is the first few responses, for a dry run's preview.
	Sample []SampleResponse
}

// Service imports files.
type Service struct {
	Pool *pgxpool.Pool
	// Enqueue, when set, queues a confirmed upload for a background job
	// inside tx and reports whether it did; ConfirmUpload runs the upload
	// itself otherwise. (The job queue lives in package jobs, which
	// imports this one.)
	Enqueue func(ctx context.Context, tx pgx.Tx, c *consultation.Consultation, uploadID int64) (bool, error)
}

// ErrFormat is an extension Import does not read.
var ErrFormat = errors.New("unsupported file type")

// FormatOf names the format of a file from its extension.
func FormatOf(name string) (string, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	if !slices.Contains(Formats, ext) {
		return "", fmt.Errorf("%w %q: Heard imports .eml, .msg (Outlook), .mbox, .zip (of emails or of scans), .csv and .xlsx files, and scanned letters (.pdf, .png, .jpg, .tif)", ErrFormat, filepath.Ext(name))
	}
	return ext, nil
}

// errRejected rolls back an import whose file has problems; errDryRun
// rolls back a preview.
var (
	errRejected = errors.New("file rejected")
	errDryRun   = errors.New("dry run")
)

// sampleSize is how many responses a preview shows.
const sampleSize = 5

// ImportPath imports the file at path, reported under name (the file
// name a person knows it by).
func (s *Service) ImportPath(ctx context.Context, path, name string, o Options) (*Report, error) {
	format, err := FormatOf(name)
	if err != nil {
		return nil, err
	}
	if o.Consultation == nil {
		return nil, errors.New("batchimport: no consultation")
	}
	if o.Channel != "" && !slices.Contains([]string{"email", "letter", "event"}, o.Channel) {
		return nil, fmt.Errorf("batchimport: channel %q: imports take email, letter or event", o.Channel)
	}
	scans := IsScan(name) || format == "zip" && zipOfScans(path) // #17
	if scans && o.Channel != "" && o.Channel != "letter" {
		return nil, fmt.Errorf("batchimport: scanned letters come through the letter channel, not %q", o.Channel)
	}
	if scans {
		o.Channel = "letter"
	}
	if o.EventID != nil && (o.Channel != "event" || (format != "csv" && format != "xlsx")) {
		return nil, fmt.Errorf("batchimport: an event's responses come in a CSV or XLSX file with channel event (not %s, %q)", format, o.Channel)
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return nil, err
	}
	rep := &Report{File: ingest.SafeText(filepath.Base(name)), Format: format, SHA256: sum}
	err = db.WithTx(ctx, s.Pool, func(tx pgx.Tx, q *db.Queries) error {
		// Every trigger statement is planned for the rows at hand: a
		// pooled connection may have run the same triggers for one row
		// before (a preview, another job), and a plan kept from then
		// joins a whole batch row by row against everything
		// (000036 and 000040 fixed the statements known to do it; this
		// covers the rest for imports).
		if _, err := tx.Exec(ctx, "SET LOCAL plan_cache_mode = force_custom_plan"); err != nil {
			return fmt.Errorf("batchimport: plan per batch: %w", err)
		}
		id, err := q.InsertBatch(ctx, s.batchParams(rep, o, "imported"))
		if err != nil {
			return fmt.Errorf("batchimport: record batch: %w", err)
		}
		rep.BatchID = id
		imp := newImporter(q, o, rep)
		switch format {
		case "csv", "xlsx":
			err = imp.table(ctx, path, format)
		case "pdf", "png", "jpg", "jpeg", "tif", "tiff", "zip":
			if scans {
				err = imp.scans(ctx, path, name)
			} else {
				err = imp.mail(ctx, path, name)
			}
		default:
			err = imp.mail(ctx, path, name)
		}
		if err != nil {
			return err
		}
		if err := imp.w.Flush(ctx); err != nil {
			return err
		}
		rep.Imported = imp.w.Result().Inserted
		for _, d := range imp.w.Result().Duplicates {
			rep.Duplicates = append(rep.Duplicates, Duplicate{Item: d.Item, Ref: d.Ref, Reason: "already stored (same reference or Message-ID), or repeated in this file"})
		}
		if o.DryRun {
			if rep.Sample, err = Sample(ctx, q, rep.BatchID, sampleSize); err != nil {
				return err
			}
			return errDryRun
		}
		if len(rep.Problems) > 0 && !o.SkipInvalid {
			return errRejected
		}
		rep.Status = "imported"
		if len(rep.Problems) > 0 {
			rep.Status = "partial"
		}
		if rep.Imported >= ingest.AnalyzeAfter {
			if err := q.AnalyzeImportTables(ctx); err != nil {
				return fmt.Errorf("batchimport: refresh statistics: %w", err)
			}
		}
		return s.finish(ctx, q, rep, o)
	})
	if errors.Is(err, errDryRun) {
		rep.BatchID, rep.Status = 0, "preview"
		return rep, nil
	}
	if errors.Is(err, errRejected) {
		return rep, s.recordRejected(ctx, rep, o)
	}
	if err != nil {
		err = fmt.Errorf("batchimport: %s: %w", rep.File, err)
		if !o.DryRun && ctx.Err() == nil {
			// Every file leaves a batch record, even one that failed on
			// our side: the admin sees it was tried and nothing was kept.
			rep.Problems = append(rep.Problems[:0:0], Problem{Reason: "the import failed on the server and nothing was stored; try again or report it"})
			if rerr := s.recordRejected(ctx, rep, o); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		return nil, err
	}
	return rep, nil
}

func (s *Service) batchParams(rep *Report, o Options, status string) db.InsertBatchParams {
	p := db.InsertBatchParams{
		ConsultationID: o.Consultation.ID, FileName: rep.File, Sha256: rep.SHA256, Format: rep.Format,
		SkipInvalid: o.SkipInvalid, Status: status, Problems: []byte("[]"), DuplicateList: []byte("[]"),
	}
	if o.Channel != "" {
		ch := db.Channel(o.Channel)
		p.Channel = &ch
	}
	if o.Group != nil {
		p.DefaultGroupID = &o.Group.ID
	}
	if o.By.User != nil {
		p.ImportedBy = &o.By.User.ID
	}
	return p
}

// makeSafe escapes everything in the report that quotes the file, so it
// can be stored as jsonb whatever the file held.
func (rep *Report) makeSafe() {
	rep.File = ingest.SafeText(rep.File)
	for i, p := range rep.Problems {
		rep.Problems[i] = p.safe()
	}
	for i, d := range rep.Duplicates {
		rep.Duplicates[i] = Duplicate{Item: ingest.SafeText(d.Item), Ref: ingest.SafeText(d.Ref), Reason: ingest.SafeText(d.Reason)}
	}
}

// finish writes the batch's counts and its audit entry.
func (s *Service) finish(ctx context.Context, q *db.Queries, rep *Report, o Options) error {
	rep.makeSafe()
	problems, _ := json.Marshal(nonNil(rep.Problems))
	dups, _ := json.Marshal(nonNil(rep.Duplicates))
	if err := q.FinishBatch(ctx, db.FinishBatchParams{
		ID: rep.BatchID, Sha256: rep.SHA256, Status: rep.Status, Imported: int32(rep.Imported),
		Duplicates: int32(len(rep.Duplicates)), Rejected: int32(rep.Rejected), Problems: problems, DuplicateList: dups,
	}); err != nil {
		return fmt.Errorf("batchimport: finish batch: %w", err)
	}
	e := o.By.Entry("import_" + rep.Status)
	e.ConsultationID, e.RecordType, e.RecordID = &o.Consultation.ID, "batch", fmt.Sprint(rep.BatchID)
	e.Detail = map[string]any{"file": rep.File, "sha256": rep.SHA256, "imported": rep.Imported, "duplicates": len(rep.Duplicates), "rejected": rep.Rejected, "problems": len(rep.Problems)}
	if o.EventID != nil {
		e.Detail["event_id"] = *o.EventID
	}
	return audit.Record(ctx, q, e)
}

// recordRejected keeps a record of a file that was rejected whole.
func (s *Service) recordRejected(ctx context.Context, rep *Report, o Options) error {
	rep.Status, rep.Imported = "rejected", 0
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		id, err := q.InsertBatch(ctx, s.batchParams(rep, o, "rejected"))
		if err != nil {
			return fmt.Errorf("batchimport: record rejected batch: %w", err)
		}
		rep.BatchID = id
		return s.finish(ctx, q, rep, o)
	})
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("batchimport: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("batchimport: read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

var now = time.Now
