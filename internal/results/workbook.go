package results

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteWorkbook writes the whole results set as one XLSX: a summary
// sheet (responses by group and channel), then a sheet per question with
// its figures and, for closed questions, its breakdowns. Everything
// comes from t, so a protected table gives a protected workbook. Sheets
// are streamed (excelize's StreamWriter): setting their cells one by one
// and marshalling the sheets was most of the 37 ms of CPU the workbook
// took at 100,000 responses.
func (s *Service) WriteWorkbook(ctx context.Context, w io.Writer, t *Table) error {
	f := excelize.NewFile()
	defer f.Close()
	const summary = "Summary"
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return fmt.Errorf("results: workbook: %w", err)
	}
	ov := t.Overview()
	recs := [][]string{
		{t.Consultation.Title},
		{"These figures cover " + Describe(t.Consultation, t.Filter) + "."},
		{RoundingRule},
		{},
	}
	if ov.Withheld != "" {
		recs = append(recs, []string{ov.Withheld})
	} else {
		recs = append(recs, []string{"Responses", strconv.FormatInt(ov.Total, 10)}, []string{}, []string{"Respondent group", "count", "%"})
		recs = append(recs, shareRecords(ov.ByGroup)...)
		recs = append(recs, []string{}, []string{"Channel", "count", "%"})
		recs = append(recs, shareRecords(ov.ByChannel)...)
	}
	sw, err := f.NewStreamWriter(summary)
	if err != nil {
		return fmt.Errorf("results: workbook: %w", err)
	}
	if err := streamRows(sw, 1, defuseAll(recs)); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("results: workbook: %w", err)
	}
	used := map[string]bool{strings.ToLower(summary): true}
	for _, q := range t.Consultation.Questions {
		name := sheetName(q.Code, used)
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("results: workbook sheet %s: %w", name, err)
		}
		r := t.Question(q)
		recs := [][]string{{q.Code + ": " + q.Prompt}}
		switch {
		case r.Withheld != "":
			recs = append(recs, []string{r.Withheld})
		case q.Closed():
			recs = append(recs, []string{"Answered", strconv.FormatInt(r.Answered, 10)}, []string{}, []string{"Answer", "count", "% of those who answered"})
			recs = append(recs, shareRecords(r.Options)...)
			recs = append(recs, shareRecords(r.Combinations)...)
		default:
			recs = append(recs, []string{"Answered", strconv.FormatInt(r.Answered, 10)})
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return fmt.Errorf("results: workbook sheet %s: %w", name, err)
		}
		row := 1
		if err := streamRows(sw, row, defuseAll(recs)); err != nil {
			return err
		}
		row += len(recs) + 1
		bs, err := s.Breakdowns(ctx, t, q, true)
		if err != nil {
			return err
		}
		for _, b := range bs {
			title := [][]string{{b.Title}}
			if b.Withheld != "" {
				title = append(title, []string{b.Withheld})
			} else {
				title = append(title, b.Records()...)
				title = append(title, []string{b.Test.Text})
			}
			if err := streamRows(sw, row, defuseAll(title)); err != nil {
				return err
			}
			row += len(title) + 1
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("results: workbook sheet %s: %w", name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("results: workbook: %w", err)
	}
	return nil
}

func shareRecords(shares []Share) [][]string {
	var out [][]string
	for _, s := range shares {
		if s.Withheld != "" {
			out = append(out, []string{s.Label, s.Withheld, s.Withheld})
			continue
		}
		out = append(out, []string{s.Label, strconv.FormatInt(s.N, 10), strconv.FormatInt(s.Percent, 10)})
	}
	return out
}

func defuseAll(recs [][]string) [][]string {
	for _, r := range recs {
		defuse(r)
	}
	return recs
}

// sheetName is a question code as a unique sheet name (31 characters,
// none of Excel's forbidden ones).
func sheetName(code string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, code)
	if len(name) > 28 {
		name = name[:28]
	}
	base := name
	for i := 2; used[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s~%d", base, i)
	}
	used[strings.ToLower(name)] = true
	return name
}
