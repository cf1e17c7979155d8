package app

import (
	"context"
	"fmt"
	"io"

	"heard/internal/batchimport"
)

// readScans reads the scanned letters waiting for OCR, a page at a time,
// printing progress: the command line has no background worker, so an
// import of scans finishes with their text read (or the reason not).
func readScans(ctx context.Context, w io.Writer, svc *batchimport.Service) error {
	for {
		out, err := svc.ReadNextScan(ctx, func(id int64, file string, page, pages int) {
			fmt.Fprintf(w, "  OCR %s (response %d): page %d of %d\n", file, id, page, pages)
		})
		if err != nil {
			return fmt.Errorf("import: read scans: %w", err)
		}
		if out == nil {
			return nil
		}
		switch {
		case out.Status == "needs_typing":
			fmt.Fprintf(w, "  %s: NOT READ, needs typing up: %s\n", out.File, out.Error)
		case out.Confidence == nil:
			fmt.Fprintf(w, "  %s: no words found: needs checking\n", out.File)
		case out.Status == "needs_checking":
			fmt.Fprintf(w, "  %s: read, mean confidence %.0f%%: NEEDS CHECKING\n", out.File, *out.Confidence)
		default:
			fmt.Fprintf(w, "  %s: read, mean confidence %.0f%%\n", out.File, *out.Confidence)
		}
	}
}
