package batchimport

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Untyped is an imported email or letter from which no text could be
// read: a scanned letter, an attachment Heard cannot read.
type Untyped struct {
	ResponseID  int64
	Ref         string // the response's reference, e.g. "scan:<sha256>"
	ReceivedAt  time.Time
	Sender      string
	Subject     string
	Attachments []string
	Warnings    []string
}

// NeedsTyping lists the consultation's emails and letters that hold no
// readable text, for an analyst to type up.
func (s *Service) NeedsTyping(ctx context.Context, c *consultation.Consultation) ([]Untyped, error) {
	rows, err := db.New(s.Pool).NeedsTyping(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("batchimport: letters needing typing: %w", err)
	}
	out := make([]Untyped, 0, len(rows))
	for _, r := range rows {
		u := Untyped{ResponseID: r.ID, Ref: r.SourceRef, ReceivedAt: r.ReceivedAt, Sender: r.SenderName, Subject: r.Subject}
		if u.Sender == "" {
			u.Sender = r.SenderAddress
		}
		var atts []struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(r.Attachments, &atts); err != nil {
			return nil, fmt.Errorf("batchimport: attachments of %d: %w", r.ID, err)
		}
		for _, a := range atts {
			u.Attachments = append(u.Attachments, a.Name)
		}
		if err := json.Unmarshal(r.Warnings, &u.Warnings); err != nil {
			return nil, fmt.Errorf("batchimport: warnings of %d: %w", r.ID, err)
		}
		out = append(out, u)
	}
	return out, nil
}
