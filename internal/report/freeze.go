package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// ErrNoSnapshot: no frozen report has that id in the consultation.
var ErrNoSnapshot = errors.New("report: no such frozen report")

// Snapshot is a frozen report.
type Snapshot struct {
	ID        int64
	At        time.Time
	By        string
	Codeframe string
	Markdown  string
	HTML      string
}

// CodeframeVersion names the state of coding a report saw: how many
// codes, and the last coding event.
func (s *Service) CodeframeVersion(ctx context.Context, c *consultation.Consultation) (string, error) {
	v, err := db.New(s.Pool).CodeframeVersion(ctx, c.ID)
	if err != nil {
		return "", fmt.Errorf("report: codeframe version of %s: %w", c.Slug, err)
	}
	return fmt.Sprintf("%d codes, coding event %d", v.Codes, v.LastEvent), nil
}

// Freeze stores r as it is, rendered as Markdown and HTML.
func (s *Service) Freeze(ctx context.Context, c *consultation.Consultation, by, codeframe, markdown, html string) (int64, error) {
	row, err := db.New(s.Pool).CreateReportSnapshot(ctx, db.CreateReportSnapshotParams{
		ConsultationID: c.ID, CreatedBy: by, CodeframeVersion: codeframe, Markdown: markdown, Html: html,
	})
	if err != nil {
		return 0, fmt.Errorf("report: freeze %s: %w", c.Slug, err)
	}
	return row.ID, nil
}

// Snapshots lists c's frozen reports, newest first, without their text.
func (s *Service) Snapshots(ctx context.Context, c *consultation.Consultation) ([]Snapshot, error) {
	rows, err := db.New(s.Pool).ReportSnapshots(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("report: snapshots of %s: %w", c.Slug, err)
	}
	out := make([]Snapshot, len(rows))
	for i, r := range rows {
		out[i] = Snapshot{ID: r.ID, At: r.CreatedAt, By: r.CreatedBy, Codeframe: r.CodeframeVersion}
	}
	return out, nil
}

// Snapshot returns one frozen report.
func (s *Service) Snapshot(ctx context.Context, c *consultation.Consultation, id int64) (Snapshot, error) {
	r, err := db.New(s.Pool).ReportSnapshot(ctx, db.ReportSnapshotParams{ConsultationID: c.ID, ID: id})
	if errors.Is(err, pgx.ErrNoRows) {
		return Snapshot{}, ErrNoSnapshot
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("report: snapshot %d of %s: %w", id, c.Slug, err)
	}
	return Snapshot{ID: r.ID, At: r.CreatedAt, By: r.CreatedBy, Codeframe: r.CodeframeVersion, Markdown: r.Markdown, HTML: r.Html}, nil
}
