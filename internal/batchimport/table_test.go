package batchimport_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"heard/internal/batchimport"
)

func TestTemplateColumns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var buf bytes.Buffer
	if err := batchimport.WriteTemplate(&buf, e.c, "csv"); err != nil {
		t.Fatal(err)
	}
	header, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(header, ",")
	if !strings.HasPrefix(got, "reference,received_on,channel,respondent_group,organisation,Q1a,Q1b,Q2a") || !strings.Contains(got, ",Q6b,Q7") {
		t.Errorf("template header = %s", got)
	}
	buf.Reset()
	if err := batchimport.WriteTemplate(&buf, e.c, "xlsx"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Responses")
	if len(rows) != 1 || strings.Join(rows[0], ",") != got {
		t.Errorf("xlsx template header = %v", rows)
	}
	if guide, _ := f.GetRows("Guide"); len(guide) < 6 {
		t.Error("xlsx template has no guide sheet")
	}
}

const goodCSV = `reference,received_on,channel,respondent_group,organisation,Q1a,Q1b,Q7
LTR-1,2021-02-01,letter,public,,Mostly,"Putting people first, at last.",
LTR-2,04/02/2021,letter,Service providers / commissioning bodies,Riverside Care,not-at-all,,Nothing on equality.
EVT-1,,event,PUBLIC,,,Said at the focus group.,
,,,,,,,
`

func TestImportCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rep := e.importFile("letters.csv", []byte("\ufeff"+goodCSV), batchimport.Options{})
	if rep.Status != "imported" || rep.Imported != 3 {
		t.Fatalf("%+v\n%s", rep, problems(rep))
	}
	if e.answered("Q1a") != 2 || e.answered("Q1b") != 2 || e.answered("Q7") != 1 {
		t.Errorf("answers: Q1a %d, Q1b %d, Q7 %d", e.answered("Q1a"), e.answered("Q1b"), e.answered("Q7"))
	}
	var org string
	var onBehalf bool
	if err := e.pool.QueryRow(context.Background(), `SELECT organisation, on_behalf_of_org FROM responses WHERE source_ref = 'LTR-2'`).Scan(&org, &onBehalf); err != nil || org != "Riverside Care" || !onBehalf {
		t.Errorf("LTR-2 organisation %q %v (%v)", org, onBehalf, err)
	}
	again := e.importFile("letters-again.csv", []byte(goodCSV), batchimport.Options{})
	if again.Imported != 0 || len(again.Duplicates) != 3 {
		t.Errorf("re-import: %+v", again)
	}

	// Windows-1252, as Excel on Windows saves CSV.
	w1252, err := charmap.Windows1252.NewEncoder().String("reference,channel,Q7\nLTR-9,letter,Caf\u00e9 culture \u2013 and \u201cquotes\u201d\n")
	if err != nil {
		t.Fatal(err)
	}
	rep = e.importFile("cp1252.csv", []byte(w1252), batchimport.Options{})
	if rep.Imported != 1 {
		t.Fatalf("cp1252: %+v\n%s", rep, problems(rep))
	}
	var text string
	if err := e.pool.QueryRow(context.Background(), `SELECT a.text FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.source_ref = 'LTR-9'`).Scan(&text); err != nil || text != "Café culture – and “quotes”" {
		t.Errorf("cp1252 text = %q (%v)", text, err)
	}
}

func TestBadRowsRejectTheWholeFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		name, csv string
		want      []string
	}{
		{"unknown option", "reference,channel,Q1a\nA,letter,Mostly\nB,letter,Sort of\n", []string{`row 3, column Q1a, value "Sort of": not an answer to Q1a: use one of Fully, Mostly`}},
		{"unknown group", "reference,channel,respondent_group\nA,letter,martians\n", []string{`row 2, column respondent_group, value "martians": not a respondent group`}},
		{"unknown column", "reference,channel,Q99\nA,letter,x\n", []string{"row 1, column Q99: not a column of the cqc-2021 template"}},
		{"no reference column", "channel,Q7\nletter,x\n", []string{"reference column is missing"}},
		{"missing reference", "reference,channel,Q7\n,letter,x\n", []string{"row 2, column reference: every row needs a reference"}},
		{"bad date", "reference,received_on,channel\nA,31/31/2021,letter\n", []string{`row 2, column received_on, value "31/31/2021": not a date`}},
		{"no channel", "reference,Q7\nA,text\n", []string{"no channel"}},
		{"oversized", "reference,channel,Q7\nA,letter," + strings.Repeat("x", 20001) + "\n", []string{"20001 characters long, over the limit of 20000"}},
		{"extra cells", "reference,channel\nA,letter,surprise\n", []string{`row 2, column 3, value "surprise": is beyond the last column`}},
		{"malformed", "reference,channel,Q7\nA,letter,\"unclosed\n", []string{"malformed CSV"}},
		{"NUL", "reference,channel,Q7\nA,letter,bad\x00byte\n", []string{"NUL byte"}},
		{"empty", "", []string{"the file is empty"}},
	} {
		rep := e.importFile(c.name+".csv", []byte(c.csv), batchimport.Options{})
		if rep.Status != "rejected" || rep.Imported != 0 {
			t.Errorf("%s: status %s imported %d", c.name, rep.Status, rep.Imported)
		}
		for _, w := range c.want {
			if !strings.Contains(problems(rep), w) {
				t.Errorf("%s: problems lack %q:\n%s", c.name, w, problems(rep))
			}
		}
	}
	if e.total() != 0 {
		t.Errorf("%d responses from rejected files", e.total())
	}
	rep := e.importFile("mixed.csv", []byte("reference,channel,Q1a\nA,letter,Mostly\nB,letter,Sort of\nC,email,fully\n"), batchimport.Options{SkipInvalid: true})
	if rep.Status != "partial" || rep.Imported != 2 || rep.Rejected != 1 {
		t.Errorf("skip-invalid: %+v", rep)
	}
}

func TestImportXLSX(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := excelize.NewFile()
	rows := [][]any{
		{"reference", "received_on", "channel", "respondent_group", "Q2a", "Q2b"},
		{"X-1", 44230, "letter", "other", "Fully", "=SUM(A1)"},
		{"X-2", "2021-02-10", "event", "public", "dont-know", "We were not sure."},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rep := e.importFile("events.xlsx", buf.Bytes(), batchimport.Options{Group: e.c.Group("public")})
	if rep.Imported != 2 || len(rep.Problems) != 0 {
		t.Fatalf("%+v\n%s", rep, problems(rep))
	}
	var day string
	if err := e.pool.QueryRow(context.Background(), `SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') FROM responses WHERE source_ref = 'X-1'`).Scan(&day); err != nil || day != "2021-02-03" {
		t.Errorf("Excel date serial 44230 stored as %q (%v), want 2021-02-03", day, err)
	}
	rep = e.importFile("bomb.xlsx", []byte("PK\x03\x04 not a workbook"), batchimport.Options{})
	if rep.Status != "rejected" || !strings.Contains(problems(rep), "not a readable .xlsx workbook") {
		t.Errorf("broken xlsx: %+v %s", rep, problems(rep))
	}
}

// A workbook that expands past the limit is refused before it is
// unpacked. The limit is lowered here so the bomb can stay small.
func TestXLSXBomb(t *testing.T) {
	e := newEnv(t)
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"reference", "channel", "Q7"}) //nolint:errcheck
	// 40,000 cells of the same long text: megabytes of XML, a few KB zipped.
	long := strings.Repeat("A", 100)
	for i := 2; i < 40002; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		f.SetSheetRow("Sheet1", cell, &[]any{fmt.Sprint("B-", i), "letter", long}) //nolint:errcheck
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	old := batchimport.XLSXUnzipLimit
	batchimport.XLSXUnzipLimit = 1 << 20
	defer func() { batchimport.XLSXUnzipLimit = old }()
	rep := e.importFile("bomb.xlsx", buf.Bytes(), batchimport.Options{})
	if rep.Status != "rejected" || rep.Imported != 0 || !strings.Contains(problems(rep), "size exceeds") {
		t.Errorf("a %d-byte workbook expanding past 1 MB: %+v\n%s", buf.Len(), rep, problems(rep))
	}
}

// The same reference twice in one file with different answers is an
// error naming both rows; repeated identically it is a duplicate.
func TestRepeatedReferenceWithDifferentAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := "reference,channel,Q1a\nLTR-1,letter,Mostly\nLTR-2,letter,Fully\nLTR-1,letter,Not at all\nLTR-2,letter,Fully\n"
	rep := e.importFile("repeat.csv", []byte(data), batchimport.Options{})
	if rep.Status != "rejected" || !strings.Contains(problems(rep), `row 4, column reference, value "LTR-1": the same reference is on row 2 with different answers`) {
		t.Errorf("csv: status %s, problems:\n%s", rep.Status, problems(rep))
	}
	f := excelize.NewFile()
	for i, row := range [][]any{{"reference", "channel", "Q1a"}, {"X-1", "letter", "Mostly"}, {"X-1", "letter", "Fully"}} {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rep = e.importFile("repeat.xlsx", buf.Bytes(), batchimport.Options{})
	if rep.Status != "rejected" || !strings.Contains(problems(rep), "row 3, column reference, value \"X-1\": the same reference is on row 2") {
		t.Errorf("xlsx: status %s, problems:\n%s", rep.Status, problems(rep))
	}
	// Repeated with the same answers: one response and a duplicate.
	rep = e.importFile("same.csv", []byte("reference,channel,Q1a\nS-1,letter,Mostly\nS-1,letter,Mostly\n"), batchimport.Options{})
	if rep.Status != "imported" || rep.Imported != 1 || len(rep.Duplicates) != 1 {
		t.Errorf("identical repeat: %+v\n%s", rep, problems(rep))
	}
}

// A file that is not UTF-8 is Windows-1252 only when it decodes cleanly
// as that; a stray byte in a UTF-8 file is refused with its row, column
// and offset; --encoding says what a file is; nothing is stored as U+FFFD.
func TestCSVEncodings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	header := "reference,channel,Q7\n"
	stray := header + "U-1,letter,Caf\u00e9 \u2013 fine\nU-2,letter,Na\xefve\n"
	rep := e.importFile("stray.csv", []byte(stray), batchimport.Options{})
	wantOff := strings.Index(stray, "\xef")
	if want := fmt.Sprintf("row 3, column Q7: byte 0xEF at byte offset %d is not valid UTF-8", wantOff); rep.Status != "rejected" || !strings.Contains(problems(rep), want) {
		t.Errorf("stray byte: status %s, problems:\n%s\nwant %q", rep.Status, problems(rep), want)
	}
	undefined := header + "W-1,letter,caf\xe9 \x81 bytes\n"
	rep = e.importFile("undefined.csv", []byte(undefined), batchimport.Options{})
	if rep.Status != "rejected" || !strings.Contains(problems(rep), "byte 0x81 at byte offset") || !strings.Contains(problems(rep), "neither valid UTF-8 nor a character in Windows-1252") {
		t.Errorf("undefined byte: status %s, problems:\n%s", rep.Status, problems(rep))
	}
	rep = e.importFile("undefined.csv", []byte(undefined), batchimport.Options{Encoding: "windows-1252"})
	if rep.Status != "rejected" || !strings.Contains(problems(rep), "row 2, column Q7: holds a byte that is not a character in windows-1252") {
		t.Errorf("declared windows-1252 with an undefined byte: status %s, problems:\n%s", rep.Status, problems(rep))
	}
	// ISO-8859-7 (Greek), declared.
	greek := header + "G-1,letter,\xe5\xeb\xeb\xe7\xed\xe9\xea\xdc\n"
	rep = e.importFile("greek.csv", []byte(greek), batchimport.Options{Encoding: "iso-8859-7"})
	if rep.Status != "imported" {
		t.Fatalf("greek: %+v\n%s", rep, problems(rep))
	}
	var text string
	if err := e.pool.QueryRow(context.Background(), `SELECT a.text FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.source_ref = 'G-1'`).Scan(&text); err != nil || text != "ελληνικά" {
		t.Errorf("greek text %q (%v)", text, err)
	}
	if rep := e.importFile("x.csv", []byte(greek), batchimport.Options{Encoding: "klingon"}); rep.Status != "rejected" || !strings.Contains(problems(rep), `unknown encoding "klingon"`) {
		t.Errorf("unknown encoding: %s", problems(rep))
	}
	var bad int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM answers WHERE text LIKE '%' || chr(65533) || '%'`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("%d answers hold U+FFFD (%v)", bad, err)
	}
}

// A file with thousands of unknown columns gets one summarised message.
func TestThousandsOfUnknownColumns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var header []string
	header = append(header, "reference")
	for i := range 3000 {
		header = append(header, fmt.Sprintf("col%d", i))
	}
	rep := e.importFile("wide.csv", []byte(strings.Join(header, ",")+"\nR-1\n"), batchimport.Options{})
	if rep.Status != "rejected" || len(rep.Problems) != 1 ||
		!strings.Contains(problems(rep), "row 1: 3000 columns are not columns of the cqc-2021 template (the first: col0, col1, col2, col3, col4)") {
		t.Errorf("status %s, %d problems, first:\n%s", rep.Status, len(rep.Problems), problems(rep)[:min(500, len(problems(rep)))])
	}
}

// A huge field is refused without being read into memory: the import
// allocates a small multiple of the field limit, not of the field.
func TestHugeFieldMemoryBounded(t *testing.T) {
	e := newEnv(t) // not parallel: it measures the process's allocations
	const field = 60 << 20
	path := e.file("huge.csv", nil)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("reference,channel,Q1b\nH-1,letter,\"")
	chunk := []byte(strings.Repeat("Long \"\"quoted\"\" words,\nand lines. ", 1<<12))
	for n := 0; n < field; n += len(chunk) {
		f.Write(chunk)
	}
	f.WriteString("\"\nH-2,letter,Short and fine.\n")
	f.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rep, err := e.svc.ImportPath(context.Background(), path, "huge.csv", batchimport.Options{Consultation: e.c, SkipInvalid: true})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || !strings.Contains(problems(rep), "row 2, column Q1b: is longer than the limit of 20000 characters") {
		t.Errorf("imported %d, problems:\n%s", rep.Imported, problems(rep))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > field/2 {
		t.Errorf("the import allocated %d MB for a %d MB field", alloc>>20, field>>20)
	}
}
