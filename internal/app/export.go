package app

import (
	"context"
	"fmt"
	"io"
	"slices"

	"heard/internal/audit"
	"heard/internal/db"
	"heard/internal/export"
)

func (e *env) export(ctx context.Context, args []string) error {
	fs := newFlags("export", e)
	slug := fs.String("consultation", "", "the consultation's `slug`")
	what := fs.String("what", "responses", "what to export: responses")
	format := fs.String("format", "json", "json, csv or xlsx")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	redacted := fs.Bool("redacted", false, "remove personal data (as published pages do); without it the export holds personal data as received")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" {
		return fmt.Errorf("%w: export needs --consultation SLUG", errUsage)
	}
	if *what != "responses" {
		return fmt.Errorf("%w: --what %q: only responses can be exported so far", errUsage, *what)
	}
	if !slices.Contains(export.Formats, *format) {
		return fmt.Errorf("%w: --format %q: use json, csv or xlsx", errUsage, *format)
	}
	pool, c, err := e.openConsultation(ctx, "export", *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	red := export.NotRedacted
	if *redacted {
		red = export.Redacted
	}
	if err := e.writeOut(*out, func(w io.Writer) error { return export.Write(ctx, pool, c, *format, red, w) }); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return audit.Record(ctx, db.New(pool), audit.Entry{Actor: "command line", Action: "export", ConsultationID: &c.ID,
		RecordType: "responses", Detail: map[string]any{"format": *format, "file": *out, "personal_data": red.Label()}})
}
