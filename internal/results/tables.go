package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"heard/internal/export"
)

// Records is a breakdown as rows of cells: a header, then per row its
// base and each option's count and percentage. Withheld figures read as
// on the page. Every cell is defused against spreadsheet formulas.
func (b Breakdown) Records() [][]string {
	head := []string{"row", "base"}
	for _, o := range b.Options {
		head = append(head, o.Label+" (count)", o.Label+" (%)")
	}
	out := [][]string{defuse(head)}
	for _, r := range b.Rows {
		rec := []string{r.Label, strconv.FormatInt(r.Base, 10)}
		if r.BaseWithheld != "" {
			rec[1] = r.BaseWithheld
			for range b.Options {
				rec = append(rec, r.BaseWithheld, r.BaseWithheld)
			}
		}
		for _, c := range r.Cells {
			if c.Withheld != "" {
				rec = append(rec, c.Withheld, c.Withheld)
				continue
			}
			rec = append(rec, strconv.FormatInt(c.N, 10), strconv.FormatInt(c.Percent, 10))
		}
		out = append(out, defuse(rec))
	}
	return out
}

func defuse(rec []string) []string {
	for i := range rec {
		rec[i] = export.Defuse(rec[i])
	}
	return rec
}

// WriteBreakdownCSV writes one breakdown as CSV.
func WriteBreakdownCSV(w io.Writer, b Breakdown) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(b.Records()); err != nil {
		return fmt.Errorf("results: breakdown csv: %w", err)
	}
	return nil
}

// WriteBreakdownXLSX writes one breakdown as a workbook of one sheet.
func WriteBreakdownXLSX(w io.Writer, b Breakdown) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeRows(f, "Sheet1", 1, b.Records()); err != nil {
		return err
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("results: breakdown xlsx: %w", err)
	}
	return nil
}

// streamRows is writeRows for a sheet being streamed: rows must come in
// order, each after the last.
func streamRows(sw *excelize.StreamWriter, first int, recs [][]string) error {
	for i, rec := range recs {
		cell, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := sw.SetRow(cell, rowValues(rec, i > 0)); err != nil {
			return fmt.Errorf("results: xlsx row %d: %w", first+i, err)
		}
	}
	return nil
}

// rowValues is a record as cell values: numbers as numbers (but in a
// heading), so that spreadsheets can add them up.
func rowValues(rec []string, numbers bool) []any {
	row := make([]any, len(rec))
	for j, s := range rec {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && numbers {
			row[j] = n
		} else {
			row[j] = s
		}
	}
	return row
}

// writeRows puts records on a sheet from row first; numbers are stored
// as numbers so that spreadsheets can add them up.
func writeRows(f *excelize.File, sheet string, first int, recs [][]string) error {
	for i, rec := range recs {
		row := rowValues(rec, i > 0)
		cell, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("results: xlsx %s row %d: %w", sheet, first+i, err)
		}
	}
	return nil
}
