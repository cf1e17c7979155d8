package batchimport

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"heard/internal/consultation"
)

// TemplateColumns are the template's columns for c: the fixed ones, then
// one per question code.
func TemplateColumns(c *consultation.Consultation) []string {
	cols := append([]string{}, fixedColumns...)
	for _, q := range c.Questions {
		cols = append(cols, q.Code)
	}
	return cols
}

// WriteTemplate writes an empty template for c as csv or xlsx.
func WriteTemplate(w io.Writer, c *consultation.Consultation, format string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(TemplateColumns(c)); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case "xlsx":
		return writeXLSXTemplate(w, c)
	}
	return fmt.Errorf("batchimport: template format %q: want csv or xlsx", format)
}

// writeXLSXTemplate adds drop-down lists for the channel, the group and
// every closed question, and a sheet that explains the columns.
func writeXLSXTemplate(w io.Writer, c *consultation.Consultation) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Responses"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	cols := TemplateColumns(c)
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	for i, name := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, cell, name); err != nil {
			return err
		}
		f.SetCellStyle(sheet, cell, cell, bold) //nolint:errcheck // cosmetic
	}
	list := func(col int, values []string) error {
		colName, _ := excelize.ColumnNumberToName(col)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s100000", colName, colName)
		if err := dv.SetDropList(values); err != nil {
			return nil // a list too long for a drop-down: leave the column free
		}
		return f.AddDataValidation(sheet, dv)
	}
	if err := list(3, []string{"email", "letter", "event"}); err != nil {
		return err
	}
	var groups []string
	for _, g := range c.Groups {
		groups = append(groups, g.Slug)
	}
	if err := list(4, groups); err != nil {
		return err
	}
	for i, q := range c.Questions {
		if q.Scale == nil {
			continue
		}
		var labels []string
		for _, o := range q.Scale.Options {
			labels = append(labels, o.Label)
		}
		if err := list(len(fixedColumns)+i+1, labels); err != nil {
			return err
		}
	}
	if err := guideSheet(f, c); err != nil {
		return err
	}
	return f.Write(w)
}

func guideSheet(f *excelize.File, c *consultation.Consultation) error {
	const sheet = "Guide"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rows := [][]string{
		{"Column", "What to put in it"},
		{"reference", "Required. Your reference for the letter or form, unique in this consultation (e.g. LTR-0042). Importing a row with a reference already stored adds nothing."},
		{"received_on", "The date it was received: 2021-03-04 or 04/03/2021. Empty: the day of the import."},
		{"channel", "email, letter or event. Empty: the channel chosen for the whole file."},
		{"respondent_group", "One of: " + groupNames(c) + " (or its full name). Empty: the group chosen for the whole file, or 'group not known'."},
		{"organisation", "The organisation the response is on behalf of, if any."},
	}
	for _, q := range c.Questions {
		what := fmt.Sprintf("Free text, up to %d characters.", consultation.MaxAnswerChars)
		if q.Scale != nil {
			var labels []string
			for _, o := range q.Scale.Options {
				labels = append(labels, o.Label)
			}
			what = "One of: " + strings.Join(labels, ", ") + "."
		}
		rows = append(rows, []string{q.Code, q.Prompt + " " + what})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheet, "B", "B", 100)
}
