package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"heard/internal/consultation"
)

// header is the CSV/XLSX export's columns, then one per question code,
// then the segments as JSON, then merged_into. personal_data comes
// first, on every row, so a row copied out of the file still says
// whether it is redacted. Columns are a public contract: new ones go at
// the end.
func header(c *consultation.Consultation) []string {
	h := []string{"personal_data", "id", "channel", "respondent_group", "suggested_group", "on_behalf_of_organisation", "organisation",
		"received_at", "source_ref", "batch_id", "sender_name", "sender_address", "subject", "attachments", "publication_consent"}
	for _, q := range c.Questions {
		h = append(h, q.Code)
	}
	// merged_into (#15): empty for a response that counts; for a merged
	// repeat, the id of the response it was merged into. Repeats stay in
	// the file (nothing is deleted) but count nowhere, so filtering out
	// the rows with a value gives the responses the figures count.
	return append(h, "segments", "merged_into")
}

func record(c *consultation.Consultation, red Redaction, r *Response) []string {
	batch := ""
	if r.BatchID != nil {
		batch = strconv.FormatInt(*r.BatchID, 10)
	}
	rec := []string{red.Label(), strconv.FormatInt(r.ID, 10), r.Channel, r.Group, r.SuggestedGroup, strconv.FormatBool(r.OnBehalfOfOrg),
		r.Organisation, r.ReceivedAt.Format(time.RFC3339), r.SourceRef, batch, r.SenderName, r.SenderAddress, r.Subject, string(r.Attachments), r.PublicationConsent}
	for _, q := range c.Questions {
		rec = append(rec, r.Answers[q.Code])
	}
	segs := ""
	if len(r.Segments) > 0 {
		b, _ := json.Marshal(r.Segments)
		segs = string(b)
	}
	merged := ""
	if r.MergedInto != nil {
		merged = strconv.FormatInt(*r.MergedInto, 10)
	}
	rec = append(rec, segs, merged)
	for i := range rec {
		rec[i] = Defuse(rec[i])
	}
	return rec
}

// Defuse stops a spreadsheet reading a cell as a formula: text starting
// with = + - @ (or a tab or carriage return) gets a leading apostrophe.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, red Redaction, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header(c)); err != nil {
		return err
	}
	err := Each(ctx, pool, c, red, func(r *Response) error { return cw.Write(record(c, red, r)) })
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// aboutSheet is the XLSX export's second sheet, explaining its redaction.
const aboutSheet = "About this file"

// maxXLSXCell is Excel's limit on one cell's text.
const maxXLSXCell = 32767

func writeXLSX(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, red Redaction, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := 1
	put := func(rec []string) error {
		cells := make([]any, len(rec))
		for i, v := range rec {
			if len([]rune(v)) > maxXLSXCell {
				v = string([]rune(v)[:maxXLSXCell-40]) + " [cut: the full text is in the JSON export]"
			}
			cells[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, cells)
	}
	if err := put(header(c)); err != nil {
		return err
	}
	if err := Each(ctx, pool, c, red, func(r *Response) error { return put(record(c, red, r)) }); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// A second sheet says in words what the personal_data column says.
	if _, err := f.NewSheet(aboutSheet); err != nil {
		return err
	}
	for i, v := range []string{"Personal data: " + red.Label(), red.Note(), MergedNote} {
		if err := f.SetCellStr(aboutSheet, "A"+strconv.Itoa(i+1), v); err != nil {
			return err
		}
	}
	return f.Write(w)
}
