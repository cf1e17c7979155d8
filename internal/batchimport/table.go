package batchimport

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"heard/internal/consultation"
	"heard/internal/ingest"
)

// Fixed columns of the template, before one column per question code.
var fixedColumns = []string{"reference", "received_on", "channel", "respondent_group", "organisation"}

// Cell limits: a typed-up answer may be long, the other cells are short.
const (
	maxCellChars = 500
)

// XLSXUnzipLimit bounds what a workbook may expand to: a zip bomb
// dressed as a spreadsheet is refused before it is unpacked. (Large
// batches are better sent as CSV, which streams.)
var XLSXUnzipLimit int64 = 512 << 20

// rowSource yields the rows of a CSV or XLSX file.
type rowSource interface {
	next() ([]string, error) // io.EOF at the end
	close()
}

func (imp *importer) table(ctx context.Context, path, format string) error {
	var src rowSource
	var err error
	if format == "csv" {
		src, err = imp.openCSV(path)
	} else {
		src, err = openXLSX(path)
	}
	if err != nil {
		imp.problem("", "", "", err.Error())
		return nil
	}
	defer src.close()

	header, err := src.next()
	if errors.Is(err, io.EOF) {
		imp.problem("", "", "", "the file is empty: it needs the template's header row")
		return nil
	}
	var hfe *fieldError
	if errors.As(err, &hfe) {
		imp.problem("row 1", fmt.Sprint(hfe.col+1), "", hfe.reason)
		return nil
	}
	if err != nil {
		imp.problem("row 1", "", "", err.Error())
		return nil
	}
	cols, ok := imp.columns(header)
	if !ok {
		return nil // a header problem rejects the file whatever --skip-invalid says
	}
	refs := fileRefs{}
	for n := 2; ; n++ {
		rec, err := src.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		item := fmt.Sprintf("row %d", n)
		var fe *fieldError
		if errors.As(err, &fe) {
			imp.problem(item, columnName(cols, header, fe.col), "", fe.reason)
			imp.rep.Rejected++
			continue
		}
		if err != nil {
			imp.problem(item, "", "", err.Error())
			imp.rep.Rejected++
			if errors.Is(err, errUnreadable) {
				return nil
			}
			continue
		}
		if blank(rec) {
			continue
		}
		r, ok := imp.fromRow(item, cols, rec)
		if !ok {
			imp.rep.Rejected++
			continue
		}
		if !refs.check(imp, item, r.SourceRef, rec) {
			imp.rep.Rejected++
			continue
		}
		if err := imp.add(ctx, item, r); err != nil {
			return err
		}
	}
}

// fileRefs remembers each reference of a file with the row it was on
// and a digest of that row, to tell a repeated row from a conflicting one.
type fileRefs map[string]refRow

type refRow struct {
	item string
	sum  uint64
}

// check reports whether a row may go on: a reference repeated with the
// same cells is a duplicate (reported by the writer), but with different
// cells one of the two rows is wrong, and that is an error naming both.
func (f fileRefs) check(imp *importer, item, ref string, rec []string) bool {
	h := fnv.New64a()
	for _, v := range rec {
		h.Write([]byte(strings.TrimSpace(v))) //nolint:errcheck // hash
		h.Write([]byte{0})                    //nolint:errcheck // hash
	}
	sum := h.Sum64()
	prev, seen := f[ref]
	if !seen {
		f[ref] = refRow{item: item, sum: sum}
		return true
	}
	if prev.sum == sum {
		return true
	}
	imp.problem(item, "reference", ref, fmt.Sprintf("the same reference is on %s with different answers: one of the two rows is wrong (or needs its own reference)", prev.item))
	return false
}

// columnName names column i of a row for a problem.
func columnName(cols []column, header []string, i int) string {
	if i < len(cols) && cols[i].name != "" {
		return cols[i].name
	}
	if i < len(header) {
		return strings.TrimSpace(header[i])
	}
	return fmt.Sprint(i + 1)
}

// maxColumnProblems: more unknown columns than this are summarised.
const maxColumnProblems = 5

// column is what one column of the file holds.
type column struct {
	name     string
	question *consultation.Question // nil for the fixed columns
}

func (imp *importer) columns(header []string) ([]column, bool) {
	cols := make([]column, len(header))
	seen := map[string]bool{}
	ok := true
	var unknown []string
	for i, h := range header {
		name := strings.TrimSpace(h)
		key := strings.ToLower(name)
		switch {
		case name == "":
			imp.problem("row 1", fmt.Sprint(i+1), "", "the header is empty")
			ok = false
		case seen[key]:
			imp.problem("row 1", name, "", "the column appears twice")
			ok = false
		case slices.Contains(fixedColumns, key):
			cols[i] = column{name: key}
		case imp.c.Question(name) != nil:
			cols[i] = column{name: imp.c.Question(name).Code, question: imp.c.Question(name)}
		default:
			unknown = append(unknown, name)
			ok = false
		}
		seen[key] = true
	}
	expected := fmt.Sprintf("expected %s, then question codes", strings.Join(fixedColumns, ", "))
	if len(unknown) <= maxColumnProblems {
		for _, name := range unknown {
			imp.problem("row 1", name, "", fmt.Sprintf("not a column of the %s template: %s", imp.c.Slug, expected))
		}
	} else {
		// One line, not thousands: the file is probably not in the template at all.
		imp.problem("row 1", "", "", fmt.Sprintf("%d columns are not columns of the %s template (the first: %s): %s",
			len(unknown), imp.c.Slug, strings.Join(unknown[:maxColumnProblems], ", "), expected))
	}
	if !seen["reference"] {
		imp.problem("row 1", "reference", "", "the reference column is missing: every row needs a reference that is unique in this consultation")
		ok = false
	}
	return cols, ok
}

// fromRow turns one row into a response, recording every problem in it.
func (imp *importer) fromRow(item string, cols []column, rec []string) (ingest.Response, bool) {
	r := ingest.Response{Channel: imp.o.Channel, BatchID: &imp.rep.BatchID, EventID: imp.o.EventID}
	if imp.o.Group != nil {
		r.GroupID = &imp.o.Group.ID
	}
	ok := true
	bad := func(col, value, reason string) {
		imp.problem(item, col, value, reason)
		ok = false
	}
	for i := len(cols); i < len(rec); i++ {
		if strings.TrimSpace(rec[i]) != "" {
			bad(fmt.Sprint(i+1), rec[i], "is beyond the last column of the header row")
		}
	}
	for i, col := range cols {
		if i >= len(rec) {
			break
		}
		v := strings.TrimSpace(rec[i])
		limit := maxCellChars
		if col.question != nil && col.question.Scale == nil {
			limit = consultation.MaxAnswerChars
		}
		switch {
		case strings.ContainsRune(v, 0):
			bad(col.name, "", "contains a NUL byte")
			continue
		case consultation.AnswerChars(v) > limit:
			bad(col.name, "", fmt.Sprintf("is %d characters long, over the limit of %d", consultation.AnswerChars(v), limit))
			continue
		}
		switch col.name {
		case "reference":
			if v == "" {
				bad(col.name, "", "every row needs a reference")
			}
			r.SourceRef = v
			if imp.o.EventID != nil && v != "" {
				r.SourceRef = fmt.Sprintf("event-%d-row-%s", *imp.o.EventID, v)
			}
		case "received_on":
			t, err := parseDate(v)
			if err != nil {
				bad(col.name, v, err.Error())
			}
			r.ReceivedAt = t
		case "channel":
			if v == "" {
				continue
			}
			ch := strings.ToLower(v)
			if !slices.Contains([]string{"email", "letter", "event"}, ch) {
				bad(col.name, v, "the channel must be email, letter or event")
			}
			if imp.o.EventID != nil && ch != "event" {
				bad(col.name, v, "every response in an event's file was taken at the event: leave the channel empty or write event")
			}
			r.Channel = ch
		case "respondent_group":
			if v == "" {
				continue
			}
			g := matchGroup(imp.c, v)
			if g == nil {
				bad(col.name, v, "not a respondent group of "+imp.c.Slug+": use one of "+groupNames(imp.c))
				continue
			}
			r.GroupID = &g.ID
		case "organisation":
			r.Organisation, r.OnBehalfOfOrg = v, v != ""
		default:
			if v == "" {
				continue
			}
			a, err := answer(col.question, v)
			if err != nil {
				bad(col.name, v, err.Error())
				continue
			}
			r.Answers = append(r.Answers, a)
		}
	}
	if r.Channel == "" && ok {
		bad("channel", "", "no channel: fill in the channel column or give one for the whole file (--channel)")
	}
	if r.ReceivedAt.IsZero() && ok {
		r.ReceivedAt = imp.o.ReceivedOn
	}
	if r.ReceivedAt.IsZero() && ok {
		r.ReceivedAt = now().UTC()
	}
	return r, ok
}

func answer(q *consultation.Question, v string) (ingest.Answer, error) {
	if q.Scale == nil {
		return ingest.Answer{QuestionID: q.ID, Text: &v}, nil
	}
	var labels []string
	for _, o := range q.Scale.Options {
		if strings.EqualFold(v, o.Label) || strings.EqualFold(v, o.Slug) {
			return ingest.Answer{QuestionID: q.ID, OptionID: &o.ID}, nil
		}
		labels = append(labels, o.Label)
	}
	return ingest.Answer{}, fmt.Errorf("not an answer to %s: use one of %s", q.Code, strings.Join(labels, ", "))
}

func matchGroup(c *consultation.Consultation, v string) *consultation.Group {
	for _, g := range c.Groups {
		if strings.EqualFold(v, g.Slug) || strings.EqualFold(v, g.Label) {
			return g
		}
	}
	return nil
}

func groupNames(c *consultation.Consultation) string {
	var s []string
	for _, g := range c.Groups {
		s = append(s, g.Slug)
	}
	return strings.Join(s, ", ")
}

// parseDate reads the dates people type: 2021-03-04, 04/03/2021 (day
// first, as in the UK), or an Excel date serial number.
func parseDate(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006", time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, london); err == nil {
			return t, nil
		}
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 20000 && f < 80000 {
		if t, err := excelize.ExcelDateToTime(f, false); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, london), nil
		}
	}
	return time.Time{}, errors.New("not a date: write it as 2021-03-04 or 04/03/2021")
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// errUnreadable ends reading a file that cannot be read any further.
var errUnreadable = errors.New("the rest of the file cannot be read")

// csvRows reads CSV in the encoding sniffEncoding chose, without a
// UTF-8 byte-order mark.
type csvRows struct {
	f    io.Closer
	r    *csv.Reader
	path string
	enc  fileEncoding
	base int64 // bytes before what the csv.Reader reads (a BOM)
}

func (imp *importer) openCSV(path string) (rowSource, error) {
	enc, err := sniffEncoding(path, imp.o.Encoding)
	if err != nil {
		return nil, err
	}
	f, err := imp.open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(f)
	var in io.Reader = br
	c := &csvRows{f: f, path: path, enc: enc}
	if b, _ := br.Peek(3); string(b) == "\xef\xbb\xbf" && enc.dec == nil {
		br.Discard(3) //nolint:errcheck // peeked
		c.base = 3
	} else if enc.dec != nil {
		in = enc.dec.Reader(br)
	}
	c.r = csv.NewReader(newFieldCap(in, MaxFieldBytes))
	c.r.FieldsPerRecord = -1 // short rows are padded; long ones are an error below
	c.r.ReuseRecord = false
	return c, nil
}

func (c *csvRows) next() ([]string, error) {
	start := c.base + c.r.InputOffset()
	rec, err := c.r.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("%w: malformed CSV at line %d: %v", errUnreadable, pe.Line, pe.Err)
	}
	if err != nil {
		return rec, err
	}
	for i, v := range rec {
		if strings.Contains(v, cutMark) {
			return nil, &fieldError{col: i, reason: fmt.Sprintf("is longer than the limit of %d characters: reading stopped after %d bytes", consultation.MaxAnswerChars, MaxFieldBytes)}
		}
	}
	return rec, c.enc.checkFields(c.path, rec, start, c.base+c.r.InputOffset())
}

func (c *csvRows) close() { c.f.Close() }

// xlsxRows reads the first sheet of a workbook, row by row.
type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
}

func openXLSX(path string) (rowSource, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: XLSXUnzipLimit, UnzipXMLSizeLimit: min(64<<20, XLSXUnzipLimit), RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx workbook: %v", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheets")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot read sheet %q: %v", sheets[0], err)
	}
	return &xlsxRows{f: f, rows: rows}, nil
}

func (x *xlsxRows) next() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, fmt.Errorf("%w: %v", errUnreadable, err)
		}
		return nil, io.EOF
	}
	cols, err := x.rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	return cols, nil
}

func (x *xlsxRows) close() {
	x.rows.Close()
	x.f.Close()
}
