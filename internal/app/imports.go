package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/campaign"
	"heard/internal/consultation"
)

// importFiles is `heard import`: each file becomes one batch.
func (e *env) importFiles(ctx context.Context, args []string) error {
	fs := newFlags("import", e)
	slug := fs.String("consultation", "", "the consultation's `slug`")
	channel := fs.String("channel", "", "email, letter or event: the channel of every response (default email for mail files; for CSV/XLSX, rows' own channel column)")
	group := fs.String("group", "", "respondent group `slug` for responses that do not state one")
	encoding := fs.String("encoding", "", "what a CSV file's bytes are (utf-8, windows-1252, iso-8859-1...); default UTF-8, or Windows-1252 when the whole file reads cleanly as that")
	skip := fs.Bool("skip-invalid", false, "import the valid part of a file and list what was left out, instead of rejecting the whole file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() == 0 {
		return fmt.Errorf("%w: import needs --consultation and at least one file, e.g. heard import --consultation cqc-2021 letters.mbox", errUsage)
	}
	if *channel != "" && !slices.Contains([]string{"email", "letter", "event"}, *channel) {
		return fmt.Errorf("%w: --channel %q: use email, letter or event", errUsage, *channel)
	}
	for _, f := range fs.Args() {
		if _, err := batchimport.FormatOf(f); err != nil {
			return fmt.Errorf("%w: %s: %v", errUsage, f, err)
		}
	}
	pool, c, err := e.openConsultation(ctx, "import", *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	o := batchimport.Options{Consultation: c, Channel: *channel, SkipInvalid: *skip, Encoding: *encoding, By: accounts.Actor{ClientIP: "command line"}}
	if *group != "" {
		if o.Group = c.Group(*group); o.Group == nil {
			return fmt.Errorf("import: %q is not a respondent group of %s (groups: %s)", *group, c.Slug, groupSlugs(c))
		}
	}
	svc := &batchimport.Service{Pool: pool}
	rejected, scans := false, 0
	for _, path := range fs.Args() {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		rep, err := svc.ImportPath(ctx, path, path, o)
		if err != nil {
			return err
		}
		printReport(e.stdout, rep)
		scans += rep.Scans
		if len(rep.Problems) > 0 {
			rejected = true
		}
	}
	if err := readScans(ctx, e.stdout, svc, scans); err != nil { // scanned letters (#17)
		return err
	}
	// Campaigns and repeats (#15): match what was just imported.
	st, err := (&campaign.Service{Pool: pool}).DetectPending(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(e.stdout, "campaigns: %d responses checked, %d in campaigns, %d probable repeats\n", st.Signed, st.Joined, st.Repeats)
	if rejected {
		return errors.New("import: some files or items were rejected (see above)")
	}
	return nil
}

func printReport(w io.Writer, r *batchimport.Report) {
	switch r.Status {
	case "rejected":
		fmt.Fprintf(w, "%s: REJECTED, nothing imported (batch %d, sha256 %s)\n", r.File, r.BatchID, r.SHA256[:12])
	default:
		fmt.Fprintf(w, "%s: %s (batch %d, sha256 %s)\n", r.File, r.Status, r.BatchID, r.SHA256[:12])
	}
	fmt.Fprintf(w, "  imported:            %d\n", r.Imported)
	if r.Scans > 0 {
		fmt.Fprintf(w, "  scans to read (OCR): %d\n", r.Scans)
	}
	fmt.Fprintf(w, "  duplicates skipped:  %d\n", len(r.Duplicates))
	for _, d := range r.Duplicates {
		fmt.Fprintf(w, "    %s (%s): %s\n", d.Item, d.Ref, d.Reason)
	}
	if len(r.Problems) > 0 {
		label := "rejected"
		if r.Status == "partial" {
			label = "left out"
		}
		fmt.Fprintf(w, "  %s:  %d item(s), %d problem(s)\n", label, r.Rejected, len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(w, "    %s: %s\n", r.File, p)
		}
	}
}

func groupSlugs(c *consultation.Consultation) string {
	var s []string
	for _, g := range c.Groups {
		s = append(s, g.Slug)
	}
	return strings.Join(s, ", ")
}

func (e *env) template(ctx context.Context, args []string) error {
	fs := newFlags("template", e)
	slug := fs.String("consultation", "", "the consultation's `slug`")
	format := fs.String("format", "csv", "csv or xlsx")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" || (*format != "csv" && *format != "xlsx") {
		return fmt.Errorf("%w: template needs --consultation SLUG and --format csv or xlsx", errUsage)
	}
	pool, c, err := e.openConsultation(ctx, "template", *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	return e.writeOut(*out, func(w io.Writer) error { return batchimport.WriteTemplate(w, c, *format) })
}

// writeOut writes to FILE (created whole or not at all) or standard output.
func (e *env) writeOut(path string, fn func(io.Writer) error) error {
	if path == "" {
		return fn(e.stdout)
	}
	tmp, err := os.CreateTemp(dirOf(path), ".heard-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}
