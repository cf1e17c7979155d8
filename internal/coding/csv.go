package coding

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

// CSVHeader is the codeframe file's header: the code's short key, its
// parent's key (empty for a top-level code), its name and description.
var CSVHeader = []string{"code", "parent", "name", "description"}

// WriteCSV writes a frame's codes (retired ones left out) as CSV.
func (s *Service) WriteCSV(ctx context.Context, consultationID int64, f Frame, w io.Writer) error {
	cf, err := s.Codeframe(ctx, consultationID, f)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("coding: write codeframe: %w", err)
	}
	for _, c := range cf.Active() {
		parent := ""
		if p := cf.Get(c.ParentID); p != nil {
			parent = p.Key
		}
		if err := cw.Write([]string{safeCell(c.Key), safeCell(parent), safeCell(c.Name), safeCell(c.Description)}); err != nil {
			return fmt.Errorf("coding: write codeframe: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell keeps a spreadsheet from running a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}

type csvRow struct {
	line                           int
	key, parent, name, description string
}

// ImportCSV adds the codes of a codeframe file to a frame, and updates
// the name, description and parent of codes whose key is already there.
// Parents are named by key, in the file or already in the frame. Every
// problem is reported with its row and field, and then nothing changes.
// It returns how many codes were added and updated.
func (s *Service) ImportCSV(ctx context.Context, by accounts.Actor, consultationID int64, f Frame, r io.Reader) (added, updated int, err error) {
	rows, err := readFrameCSV(r)
	if err != nil {
		return 0, 0, err
	}
	err = db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		cf, err := codeframe(ctx, q, consultationID, f)
		if err != nil {
			return err
		}
		byKey := map[string]*Code{}
		for _, c := range cf.Codes {
			byKey[strings.ToLower(c.Key)] = c
		}
		var problems []string
		inFile := map[string]csvRow{}
		for _, row := range rows {
			k := strings.ToLower(row.key)
			if prev, dup := inFile[k]; dup {
				problems = append(problems, fmt.Sprintf("row %d, code: “%s” is also on row %d", row.line, row.key, prev.line))
				continue
			}
			inFile[k] = row
		}
		for _, row := range rows {
			if row.parent == "" {
				continue
			}
			p, ok := inFile[strings.ToLower(row.parent)]
			existing := byKey[strings.ToLower(row.parent)]
			switch {
			case !ok && existing == nil:
				problems = append(problems, fmt.Sprintf("row %d, parent: no code “%s” in the file or the codeframe", row.line, row.parent))
			case ok && p.parent != "":
				problems = append(problems, fmt.Sprintf("row %d, parent: “%s” is itself a sub-code (row %d): codes nest two levels at most", row.line, row.parent, p.line))
			case !ok && existing.ParentID != 0:
				problems = append(problems, fmt.Sprintf("row %d, parent: “%s” is itself a sub-code: codes nest two levels at most", row.line, row.parent))
			case strings.EqualFold(row.parent, row.key):
				problems = append(problems, fmt.Sprintf("row %d, parent: a code cannot be its own parent", row.line))
			}
		}
		if len(problems) > 0 {
			return &ImportError{Problems: problems}
		}
		// Parents first, so sub-codes can point at them.
		for pass := 0; pass < 2; pass++ {
			for _, row := range rows {
				if (row.parent == "") != (pass == 0) {
					continue
				}
				in := CodeInput{Key: row.key, Name: row.name, Description: row.description}
				if row.parent != "" {
					in.ParentID = byKey[strings.ToLower(row.parent)].ID
				}
				if c := byKey[strings.ToLower(row.key)]; c != nil {
					if c.Name == in.Name && c.Description == in.Description && c.ParentID == in.ParentID {
						continue
					}
					var parent *int32
					if in.ParentID != 0 {
						parent = &in.ParentID
					}
					if err := q.UpdateCode(ctx, db.UpdateCodeParams{ID: c.ID, Code: c.Key, Name: in.Name, Description: in.Description, ParentID: parent}); err != nil {
						return fmt.Errorf("coding: import row %d: %w", row.line, err)
					}
					updated++
					continue
				}
				c, err := addCode(ctx, q, by, consultationID, f, in)
				var ve *ValidationError
				if errors.As(err, &ve) {
					return &ImportError{Problems: []string{fmt.Sprintf("row %d, %s: %s", row.line, ve.Field, ve.Message)}}
				}
				if err != nil {
					return err
				}
				byKey[strings.ToLower(c.Key)] = c
				cf.Codes = append(cf.Codes, c)
				added++
			}
		}
		e := by.Entry(AuditFrameImported)
		e.ConsultationID, e.RecordType = &consultationID, "codeframe"
		e.Detail = map[string]any{"question_id": f.QuestionID, "theme_id": f.ThemeID, "added": added, "updated": updated}
		return audit.Record(ctx, q, e)
	})
	return added, updated, err
}

// readFrameCSV reads and checks a codeframe file's rows.
func readFrameCSV(r io.Reader) ([]csvRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{Problems: []string{"the file is empty: it needs the header code,parent,name,description"}}
	}
	if err != nil {
		return nil, &ImportError{Problems: []string{"row 1: " + err.Error()}}
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if strings.Join(header, ",") != strings.Join(CSVHeader, ",") {
		return nil, &ImportError{Problems: []string{fmt.Sprintf("row 1: the header must be %s (found %s)", strings.Join(CSVHeader, ","), strings.Join(header, ","))}}
	}
	var rows []csvRow
	var problems []string
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("row %d: %v", line, err))
			break
		}
		if len(rec) != 4 {
			problems = append(problems, fmt.Sprintf("row %d: expected 4 fields, found %d", line, len(rec)))
			continue
		}
		row := csvRow{line: line, key: strings.TrimSpace(rec[0]), parent: strings.TrimSpace(rec[1]),
			name: strings.TrimSpace(rec[2]), description: strings.TrimSpace(rec[3])}
		if row.key == "" && row.name == "" && row.parent == "" && row.description == "" {
			continue
		}
		in := CodeInput{Key: row.key, Name: row.name, Description: row.description}
		if row.key == "" {
			problems = append(problems, fmt.Sprintf("row %d, code: enter a short code", line))
			continue
		}
		if err := in.clean(); err != nil {
			var ve *ValidationError
			errors.As(err, &ve)
			problems = append(problems, fmt.Sprintf("row %d, %s: %s", line, ve.Field, ve.Message))
			continue
		}
		rows = append(rows, row)
	}
	if len(problems) > 0 {
		return nil, &ImportError{Problems: problems}
	}
	if len(rows) == 0 {
		return nil, &ImportError{Problems: []string{"the file has a header but no codes"}}
	}
	if len(rows) > 500 {
		return nil, &ImportError{Problems: []string{"a codeframe holds 500 codes at most; this file has " + strconv.Itoa(len(rows))}}
	}
	return rows, nil
}
