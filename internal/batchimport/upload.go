package batchimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// MaxUploadBytes bounds a file uploaded on the admin pages.
const MaxUploadBytes = 100 << 20

// BackgroundBytes: uploads larger than this are imported by a background
// job, with a progress page; smaller ones at once.
const BackgroundBytes = 2 << 20

// Upload is a file uploaded on the admin pages, between its preview and
// its import.
type Upload struct {
	db.GetUploadRow
	Preview *Report
}

// ErrUploadNotFound: no such upload for this consultation.
var ErrUploadNotFound = errors.New("upload not found")

// CreateUpload stores an uploaded file and previews it: a dry run whose
// report (counts, problems, a sample of responses) is kept with it.
func (s *Service) CreateUpload(ctx context.Context, name string, data []byte, o Options) (int64, error) {
	if _, err := FormatOf(name); err != nil {
		return 0, err
	}
	path, cleanup, err := tempFile(name, data)
	if err != nil {
		return 0, err
	}
	defer cleanup()
	o.DryRun = true
	rep, err := s.ImportPath(ctx, path, name, o)
	if err != nil {
		return 0, err
	}
	rep.makeSafe()
	preview, err := json.Marshal(rep)
	if err != nil {
		return 0, fmt.Errorf("batchimport: keep preview: %w", err)
	}
	sum := sha256.Sum256(data)
	p := db.CreateUploadParams{
		ConsultationID: o.Consultation.ID, FileName: ingest.SafeText(filepath.Base(name)), Sha256: hex.EncodeToString(sum[:]),
		Size: int64(len(data)), Data: data, SkipInvalid: o.SkipInvalid, Preview: preview, Encoding: o.Encoding,
	}
	if o.Channel != "" {
		ch := db.Channel(o.Channel)
		p.Channel = &ch
	}
	if o.Group != nil {
		p.GroupID = &o.Group.ID
	}
	if o.By.User != nil {
		p.UploadedBy = &o.By.User.ID
	}
	id, err := db.New(s.Pool).CreateUpload(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("batchimport: store upload: %w", err)
	}
	return id, nil
}

// GetUpload returns an upload of consultation c with its preview.
func (s *Service) GetUpload(ctx context.Context, c *consultation.Consultation, id int64) (*Upload, error) {
	row, err := db.New(s.Pool).GetUpload(ctx, db.GetUploadParams{ID: id, ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrUploadNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("batchimport: upload %d: %w", id, err)
	}
	u := &Upload{GetUploadRow: row, Preview: &Report{}}
	if err := json.Unmarshal(row.Preview, u.Preview); err != nil {
		return nil, fmt.Errorf("batchimport: preview of upload %d: %w", id, err)
	}
	return u, nil
}

// ErrAlreadyStarted: the upload was confirmed or discarded already (a
// double click, or two people at once).
var ErrAlreadyStarted = errors.New("this upload has already been confirmed or discarded")

// Confirm marks a previewed upload as queued, inside tx, so that the
// caller can enqueue its job in the same transaction.
func Confirm(ctx context.Context, q *db.Queries, id int64) error {
	_, err := q.SetUploadStatus(ctx, db.SetUploadStatusParams{ID: id, Status: "queued", FromStatus: "preview"})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrAlreadyStarted
	}
	return err
}

// ConfirmUpload imports a previewed upload: in a background job when it
// is large and s.Enqueue queues it (in the transaction that confirms it,
// so a job exists exactly when the upload is confirmed), otherwise here
// and now. It reports whether the import went to the background; an
// import run here that fails is recorded on the upload and returned
// wrapped in ErrImportFailed.
func (s *Service) ConfirmUpload(ctx context.Context, c *consultation.Consultation, u *Upload) (background bool, err error) {
	err = db.WithTx(ctx, s.Pool, func(tx pgx.Tx, q *db.Queries) error {
		if err := Confirm(ctx, q, u.ID); err != nil {
			return err
		}
		if s.Enqueue == nil || u.Size <= BackgroundBytes {
			return nil
		}
		background, err = s.Enqueue(ctx, tx, c, u.ID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("batchimport: confirm upload %d: %w", u.ID, err)
	}
	if !background {
		if _, err := s.RunUpload(ctx, c, u.ID); err != nil {
			return false, fmt.Errorf("%w: %w", ErrImportFailed, err)
		}
	}
	return background, nil
}

// ErrImportFailed: a confirmed upload was imported and failed; the
// failure is recorded on the upload, for its page to show.
var ErrImportFailed = errors.New("import failed")

// Discard drops a previewed upload's file.
func (s *Service) Discard(ctx context.Context, c *consultation.Consultation, id int64) error {
	_, err := db.New(s.Pool).DiscardUpload(ctx, db.DiscardUploadParams{ID: id, ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrAlreadyStarted
	}
	return err
}

// RunUpload imports a queued upload for real, reporting progress as it
// reads, and records the outcome on the upload.
func (s *Service) RunUpload(ctx context.Context, c *consultation.Consultation, id int64) (*Report, error) {
	q, unlock, err := s.lockUpload(ctx, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := q.SetUploadStatus(ctx, db.SetUploadStatusParams{ID: id, Status: "running", FromStatus: "queued"}); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrAlreadyStarted
		}
		return nil, fmt.Errorf("batchimport: start upload %d: %w", id, err)
	}
	rep, err := s.runUpload(ctx, q, c, id)
	// The outcome is written on a connection from the pool (the import's
	// transaction has given its back): a cancelled progress write may have
	// closed the lock's connection.
	q = db.New(s.Pool)
	if err != nil && ctx.Err() != nil {
		// Stopped, not failed: keep the file for a retry.
		if _, ierr := q.InterruptUpload(context.WithoutCancel(ctx), db.InterruptUploadParams{ID: id, Error: InterruptedReason}); ierr != nil {
			err = errors.Join(err, ierr)
		}
		return nil, err
	}
	status, msg := "done", ""
	var batch *int64
	if err != nil {
		status, msg = "failed", err.Error()
	} else {
		batch = &rep.BatchID
	}
	if ferr := q.FinishUpload(context.WithoutCancel(ctx), db.FinishUploadParams{ID: id, Status: status, BatchID: batch, Error: msg}); ferr != nil && err == nil {
		err = fmt.Errorf("batchimport: finish upload %d: %w", id, ferr)
	}
	return rep, err
}

func (s *Service) runUpload(ctx context.Context, q *db.Queries, c *consultation.Consultation, id int64) (*Report, error) {
	u, err := s.GetUpload(ctx, c, id)
	if err != nil {
		return nil, err
	}
	data, err := q.UploadData(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("batchimport: read upload %d: %w", id, err)
	}
	o := Options{Consultation: c, SkipInvalid: u.SkipInvalid, Encoding: u.Encoding}
	if u.Channel != nil {
		o.Channel = string(*u.Channel)
	}
	for _, g := range c.Groups {
		if u.GroupID != nil && g.ID == *u.GroupID {
			o.Group = g
		}
	}
	if u.UploadedBy != nil {
		usr, err := q.GetUser(ctx, *u.UploadedBy)
		if err != nil {
			return nil, fmt.Errorf("batchimport: uploader of %d: %w", id, err)
		}
		o.By = accounts.Actor{User: &accounts.User{ID: usr.ID, Email: usr.Email, Role: accounts.Role(usr.Role)}}
	}
	o.Progress = func(read int64) {
		// Progress is a courtesy: a failure to record it must not stop the import.
		_ = q.SetUploadProgress(ctx, db.SetUploadProgressParams{ID: id, Processed: read})
	}
	path, cleanup, err := tempFile(u.FileName, data)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	return s.ImportPath(ctx, path, u.FileName, o)
}

func tempFile(name string, data []byte) (string, func(), error) {
	dir, err := os.MkdirTemp("", "heard-upload-")
	if err != nil {
		return "", nil, fmt.Errorf("batchimport: temp dir: %w", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, "upload"+filepath.Ext(name))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("batchimport: temp file: %w", err)
	}
	return path, cleanup, nil
}
