package batchimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// SampleResponse is one imported response as the preview and the batch
// page show it: where it came from and how its text was attributed.
type SampleResponse struct {
	ID                                int64
	Ref, Channel, Group, Suggested    string
	SuggestionReason, Sender, Subject string
	Segments                          []SampleSegment
}

// SampleSegment is one attributed run of a response's text.
type SampleSegment struct {
	Question, Theme, How, Text string
}

// Sample returns the first n responses of a batch with their segments.
func Sample(ctx context.Context, q *db.Queries, batchID int64, n int) ([]SampleResponse, error) {
	rows, err := q.BatchResponses(ctx, db.BatchResponsesParams{BatchID: &batchID, PageSize: int32(n)})
	if err != nil {
		return nil, fmt.Errorf("batchimport: sample of batch %d: %w", batchID, err)
	}
	out := make([]SampleResponse, len(rows))
	ids := make([]int64, len(rows))
	byID := map[int64]*SampleResponse{}
	for i, r := range rows {
		out[i] = SampleResponse{ID: r.ID, Ref: r.SourceRef, Channel: string(r.Channel), Group: r.GroupLabel, Suggested: r.SuggestedLabel,
			SuggestionReason: r.SuggestionReason, Sender: r.SenderName, Subject: r.Subject}
		ids[i] = r.ID
		byID[r.ID] = &out[i]
	}
	segs, err := q.ResponseSegments(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("batchimport: segments of batch %d: %w", batchID, err)
	}
	for _, s := range segs {
		r := byID[s.ResponseID]
		r.Segments = append(r.Segments, SampleSegment{Question: s.QuestionCode, Theme: s.ThemeTitle, How: s.How, Text: s.Text})
	}
	return out, nil
}

// progressFile opens path for reading and reports the bytes read so far
// to o.Progress, at most five times a second.
func (imp *importer) open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if imp.o.Progress == nil {
		return f, nil
	}
	return &progressReader{f: f, report: imp.o.Progress}, nil
}

type progressReader struct {
	f      *os.File
	n      atomic.Int64
	last   time.Time
	report func(read int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.f.Read(b)
	total := p.n.Add(int64(n))
	if time.Since(p.last) > 200*time.Millisecond {
		p.last = time.Now()
		p.report(total)
	}
	return n, err
}

func (p *progressReader) Close() error { return p.f.Close() }

// Batch returns the record of an imported (or rejected) file of c, with
// a sample of its responses.
func (s *Service) Batch(ctx context.Context, c *consultation.Consultation, id int64) (*Report, error) {
	q := db.New(s.Pool)
	b, err := q.GetBatch(ctx, db.GetBatchParams{ID: id, ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrUploadNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("batchimport: batch %d: %w", id, err)
	}
	rep := &Report{File: b.FileName, SHA256: b.Sha256, Format: b.Format, BatchID: b.ID, Status: b.Status,
		Imported: int(b.Imported), Rejected: int(b.Rejected)}
	if err := json.Unmarshal(b.Problems, &rep.Problems); err != nil {
		return nil, fmt.Errorf("batchimport: problems of batch %d: %w", id, err)
	}
	if err := json.Unmarshal(b.DuplicateList, &rep.Duplicates); err != nil {
		return nil, fmt.Errorf("batchimport: duplicates of batch %d: %w", id, err)
	}
	if rep.Sample, err = Sample(ctx, q, id, sampleSize); err != nil {
		return nil, err
	}
	return rep, nil
}
