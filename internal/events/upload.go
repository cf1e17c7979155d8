package events

import (
	"context"
	"fmt"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/consultation"
)

// Upload imports a CSV or XLSX file in the standard template (see
// batchimport.WriteTemplate) as responses taken at event ev: each row
// becomes a response with channel "event" linked to the event. The file
// is imported whole or not at all unless skipInvalid; it leaves a batch
// record and an audit entry like every import. Rows without a date are
// dated the day of the event. Rows' references are the
// event's own: uploading the same file again adds nothing.
func (s *Service) Upload(ctx context.Context, a accounts.Actor, c *consultation.Consultation, ev *Event, path, name string, skipInvalid bool) (*batchimport.Report, error) {
	format, err := batchimport.FormatOf(name)
	if err != nil {
		return nil, err
	}
	if format != "csv" && format != "xlsx" {
		return nil, fmt.Errorf("%w %q: an event's responses come in the CSV or XLSX template", batchimport.ErrFormat, "."+format)
	}
	id := ev.ID
	rep, err := (&batchimport.Service{Pool: s.Pool}).ImportPath(ctx, path, name, batchimport.Options{
		Consultation: c, Channel: "event", EventID: &id, ReceivedOn: ev.HeldOn, SkipInvalid: skipInvalid, By: a,
	})
	if err != nil {
		return nil, fmt.Errorf("events: upload to %d: %w", ev.ID, err)
	}
	return rep, nil
}
