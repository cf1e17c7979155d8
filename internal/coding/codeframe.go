package coding

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

// Code is one code of a codeframe.
type Code struct {
	ID          int32
	Key         string // short key, unique in its codeframe (the CSV "code")
	Name        string
	Description string
	ParentID    int32 // 0: a top-level code
	Position    int32
	Retired     bool
	MergedInto  int32 // set on a code merged into another
	Frame       Frame
}

// Codeframe is a frame's codes in reading order: each top-level code
// followed by its sub-codes.
type Codeframe struct {
	Frame Frame
	Codes []*Code
}

// Get returns the code with id, or nil.
func (cf *Codeframe) Get(id int32) *Code {
	for _, c := range cf.Codes {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Active returns the codes that are not retired, in reading order.
func (cf *Codeframe) Active() []*Code {
	var out []*Code
	for _, c := range cf.Codes {
		if !c.Retired {
			out = append(out, c)
		}
	}
	return out
}

// Label is how a code is named in lists: "Parent › Name" for sub-codes.
func (cf *Codeframe) Label(c *Code) string {
	if c.ParentID != 0 {
		if p := cf.Get(c.ParentID); p != nil {
			return p.Name + " › " + c.Name
		}
	}
	return c.Name
}

func codeFrom(r db.Code) *Code {
	c := &Code{ID: r.ID, Key: r.Code, Name: r.Name, Description: r.Description, Position: r.Position, Retired: r.RetiredAt != nil}
	if r.ParentID != nil {
		c.ParentID = *r.ParentID
	}
	if r.MergedIntoID != nil {
		c.MergedInto = *r.MergedIntoID
	}
	if r.QuestionID != nil {
		c.Frame.QuestionID = *r.QuestionID
	}
	if r.ThemeID != nil {
		c.Frame.ThemeID = *r.ThemeID
	}
	return c
}

// order puts codes in reading order: top-level by position, each
// followed by its sub-codes by position.
func order(rows []db.Code) []*Code {
	var tops []*Code
	kids := map[int32][]*Code{}
	for _, r := range rows {
		c := codeFrom(r)
		if c.ParentID == 0 {
			tops = append(tops, c)
		} else {
			kids[c.ParentID] = append(kids[c.ParentID], c)
		}
	}
	out := make([]*Code, 0, len(rows))
	for _, t := range tops {
		out = append(out, t)
		out = append(out, kids[t.ID]...)
	}
	return out
}

// Codeframe returns a frame's codes, retired ones included.
func (s *Service) Codeframe(ctx context.Context, consultationID int64, f Frame) (*Codeframe, error) {
	return codeframe(ctx, db.New(s.Pool), consultationID, f)
}

func codeframe(ctx context.Context, q *db.Queries, consultationID int64, f Frame) (*Codeframe, error) {
	qid, tid := f.params()
	rows, err := q.ListFrameCodes(ctx, db.ListFrameCodesParams{ConsultationID: consultationID, QuestionID: qid, ThemeID: tid})
	if err != nil {
		return nil, fmt.Errorf("coding: codeframe: %w", err)
	}
	return &Codeframe{Frame: f, Codes: order(rows)}, nil
}

// AllCodes returns every code of a consultation by id.
func (s *Service) AllCodes(ctx context.Context, consultationID int64) (map[int32]*Code, error) {
	rows, err := db.New(s.Pool).ListConsultationCodes(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("coding: codes: %w", err)
	}
	out := make(map[int32]*Code, len(rows))
	for _, r := range rows {
		out[r.ID] = codeFrom(r)
	}
	return out, nil
}

// CodeInput is what an analyst types for a code.
type CodeInput struct {
	Key         string // left empty, one is made from the name
	Name        string
	Description string
	ParentID    int32
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (in *CodeInput) clean() error {
	in.Key, in.Name, in.Description = strings.TrimSpace(in.Key), strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	switch {
	case in.Name == "":
		return &ValidationError{Field: "name", Message: "Enter a name for the code"}
	case len(in.Name) > 200:
		return &ValidationError{Field: "name", Message: "The name must be 200 characters or fewer"}
	case len(in.Description) > 2000:
		return &ValidationError{Field: "description", Message: "The description must be 2,000 characters or fewer"}
	case in.Key != "" && (!keyPattern.MatchString(in.Key) || len(in.Key) > 40):
		return &ValidationError{Field: "code", Message: "The short code must start with a letter or digit and use only letters, digits, dots, dashes and underscores (40 at most), like C1 or awareness"}
	}
	return nil
}

// checkParent refuses a parent outside the frame, a sub-code as parent
// (two levels at most) and a code with sub-codes becoming a sub-code.
func checkParent(cf *Codeframe, self int32, parent int32) error {
	if parent == 0 {
		return nil
	}
	p := cf.Get(parent)
	switch {
	case p == nil:
		return &ValidationError{Field: "parent", Message: "Choose a parent code from this codeframe"}
	case p.ID == self:
		return &ValidationError{Field: "parent", Message: "A code cannot be its own parent"}
	case p.ParentID != 0:
		return &ValidationError{Field: "parent", Message: fmt.Sprintf("“%s” is already a sub-code: codes nest two levels at most", p.Name)}
	case p.Retired:
		return &ValidationError{Field: "parent", Message: fmt.Sprintf("“%s” is retired: choose a code in use", p.Name)}
	}
	for _, c := range cf.Codes {
		if self != 0 && c.ParentID == self {
			return &ValidationError{Field: "parent", Message: "This code has sub-codes, so it cannot become a sub-code itself: codes nest two levels at most"}
		}
	}
	return nil
}

// freeKey makes a key for a code typed without one: C1, C2, ...
func freeKey(cf *Codeframe) string {
	used := map[string]bool{}
	for _, c := range cf.Codes {
		used[strings.ToLower(c.Key)] = true
	}
	for i := len(cf.Codes) + 1; ; i++ {
		k := "C" + strconv.Itoa(i)
		if !used[strings.ToLower(k)] {
			return k
		}
	}
}

func isUnique(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == pgerrcode.UniqueViolation
}

// AddCode adds a code to a frame, last among its siblings.
func (s *Service) AddCode(ctx context.Context, by accounts.Actor, consultationID int64, f Frame, in CodeInput) (*Code, error) {
	if err := in.clean(); err != nil {
		return nil, err
	}
	var out *Code
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		c, err := addCode(ctx, q, by, consultationID, f, in)
		out = c
		return err
	})
	return out, err
}

func addCode(ctx context.Context, q *db.Queries, by accounts.Actor, consultationID int64, f Frame, in CodeInput) (*Code, error) {
	cf, err := codeframe(ctx, q, consultationID, f)
	if err != nil {
		return nil, err
	}
	if err := checkParent(cf, 0, in.ParentID); err != nil {
		return nil, err
	}
	if in.Key == "" {
		in.Key = freeKey(cf)
	}
	qid, tid := f.params()
	var parent *int32
	if in.ParentID != 0 {
		parent = &in.ParentID
	}
	var userID *int64
	if by.User != nil {
		userID = &by.User.ID
	}
	r, err := q.CreateCode(ctx, db.CreateCodeParams{
		ConsultationID: consultationID, QuestionID: qid, ThemeID: tid, ParentID: parent,
		Code: in.Key, Name: in.Name, Description: in.Description, CreatedBy: userID,
	})
	if isUnique(err) {
		return nil, &ValidationError{Field: "code", Message: fmt.Sprintf("This codeframe already has a code “%s”: choose another short code", in.Key)}
	}
	if err != nil {
		return nil, fmt.Errorf("coding: add code %q: %w", in.Name, err)
	}
	e := by.Entry(AuditCodeCreated)
	e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", strconv.Itoa(int(r.ID))
	e.Detail = map[string]any{"code": r.Code, "name": r.Name, "parent_id": in.ParentID}
	if err := audit.Record(ctx, q, e); err != nil {
		return nil, err
	}
	return codeFrom(r), nil
}

// lockCode reads a code of the consultation for change.
func lockCode(ctx context.Context, q *db.Queries, consultationID int64, id int32) (db.Code, error) {
	r, err := q.GetCodeForUpdate(ctx, db.GetCodeForUpdateParams{ConsultationID: consultationID, ID: id})
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("coding: code %d: %w", id, err)
	}
	return r, nil
}

// UpdateCode renames a code, changes its key, description or parent.
// Codings keep pointing at it: nothing else changes.
func (s *Service) UpdateCode(ctx context.Context, by accounts.Actor, consultationID int64, id int32, in CodeInput) error {
	if err := in.clean(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		r, err := lockCode(ctx, q, consultationID, id)
		if err != nil {
			return err
		}
		c := codeFrom(r)
		cf, err := codeframe(ctx, q, consultationID, c.Frame)
		if err != nil {
			return err
		}
		if err := checkParent(cf, id, in.ParentID); err != nil {
			return err
		}
		if in.Key == "" {
			in.Key = c.Key
		}
		var parent *int32
		if in.ParentID != 0 {
			parent = &in.ParentID
		}
		err = q.UpdateCode(ctx, db.UpdateCodeParams{ID: id, Code: in.Key, Name: in.Name, Description: in.Description, ParentID: parent})
		if isUnique(err) {
			return &ValidationError{Field: "code", Message: fmt.Sprintf("This codeframe already has a code “%s”: choose another short code", in.Key)}
		}
		if err != nil {
			return fmt.Errorf("coding: update code %d: %w", id, err)
		}
		e := by.Entry(AuditCodeUpdated)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", strconv.Itoa(int(id))
		e.Detail = map[string]any{
			"before": map[string]any{"code": c.Key, "name": c.Name, "description": c.Description, "parent_id": c.ParentID},
			"after":  map[string]any{"code": in.Key, "name": in.Name, "description": in.Description, "parent_id": in.ParentID},
		}
		return audit.Record(ctx, q, e)
	})
}

// MoveCode moves a code one place up (delta -1) or down (+1) among its
// siblings.
func (s *Service) MoveCode(ctx context.Context, by accounts.Actor, consultationID int64, id int32, delta int) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		r, err := lockCode(ctx, q, consultationID, id)
		if err != nil {
			return err
		}
		cf, err := codeframe(ctx, q, consultationID, codeFrom(r).Frame)
		if err != nil {
			return err
		}
		var sibs []*Code
		for _, c := range cf.Codes {
			if c.ParentID == codeFrom(r).ParentID {
				sibs = append(sibs, c)
			}
		}
		i := -1
		for k, c := range sibs {
			if c.ID == id {
				i = k
			}
		}
		j := i + delta
		if i < 0 || j < 0 || j >= len(sibs) {
			return nil // already first or last
		}
		sibs[i], sibs[j] = sibs[j], sibs[i]
		// Renumber the siblings so positions are distinct whatever they were.
		for k, c := range sibs {
			if err := q.SetCodePosition(ctx, db.SetCodePositionParams{ID: c.ID, Position: int32(k + 1)}); err != nil {
				return fmt.Errorf("coding: move code %d: %w", id, err)
			}
		}
		e := by.Entry(AuditCodeMoved)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", strconv.Itoa(int(id))
		e.Detail = map[string]any{"code": r.Code, "to_position": j + 1}
		return audit.Record(ctx, q, e)
	})
}

// RetireCode retires a code (it can no longer be applied; its codings and
// history stay) or, with retired false, brings it back.
func (s *Service) RetireCode(ctx context.Context, by accounts.Actor, consultationID int64, id int32, retired bool) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		r, err := lockCode(ctx, q, consultationID, id)
		if err != nil {
			return err
		}
		if r.MergedIntoID != nil {
			return &ValidationError{Field: "code", Message: "This code was merged into another, so it stays retired"}
		}
		if !retired && r.ParentID != nil {
			p, err := lockCode(ctx, q, consultationID, *r.ParentID)
			if err != nil {
				return err
			}
			if p.RetiredAt != nil {
				return &ValidationError{Field: "code", Message: fmt.Sprintf("Its parent “%s” is retired: bring that back first", p.Name)}
			}
		}
		if err := q.RetireCode(ctx, db.RetireCodeParams{ID: id, Retired: retired}); err != nil {
			return fmt.Errorf("coding: retire code %d: %w", id, err)
		}
		action := AuditCodeRetired
		if !retired {
			action = AuditCodeRestored
		}
		e := by.Entry(action)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", strconv.Itoa(int(id))
		e.Detail = map[string]any{"code": r.Code, "name": r.Name}
		return audit.Record(ctx, q, e)
	})
}

// MergeCode merges code from into code into: every current coding of
// from is re-pointed to into through coding events (remove from, apply
// into), so the history shows what happened; from is retired and
// remembers where it went. It returns how many units were re-pointed.
func (s *Service) MergeCode(ctx context.Context, by accounts.Actor, consultationID int64, from, into int32) (int, error) {
	if from == into {
		return 0, &ValidationError{Field: "into", Message: "Choose another code to merge this one into"}
	}
	var n int
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		// Lock both in id order, so two merges cannot deadlock.
		a, b := from, into
		if a > b {
			a, b = b, a
		}
		ra, err := lockCode(ctx, q, consultationID, a)
		if err != nil {
			return err
		}
		rb, err := lockCode(ctx, q, consultationID, b)
		if err != nil {
			return err
		}
		src, dst := codeFrom(ra), codeFrom(rb)
		if src.ID != from {
			src, dst = dst, src
		}
		switch {
		case src.Frame != dst.Frame:
			return &ValidationError{Field: "into", Message: "Codes can only be merged within one codeframe"}
		case src.MergedInto != 0:
			return &ValidationError{Field: "code", Message: "This code has already been merged"}
		case dst.Retired:
			return &ValidationError{Field: "into", Message: fmt.Sprintf("“%s” is retired: choose a code in use", dst.Name)}
		}
		kids, err := q.CountSubCodes(ctx, &from)
		if err != nil {
			return fmt.Errorf("coding: merge: %w", err)
		}
		if kids > 0 {
			return &ValidationError{Field: "code", Message: "This code has sub-codes: merge, move or retire them first"}
		}
		var userID *int64
		if by.User != nil {
			userID = &by.User.ID
		}
		if err := q.LogMergeRemovals(ctx, db.LogMergeRemovalsParams{FromID: from, UserID: userID}); err != nil {
			return fmt.Errorf("coding: merge %d into %d: %w", from, into, err)
		}
		moved, err := q.MergeUnitCodes(ctx, db.MergeUnitCodesParams{FromID: from, IntoID: into, UserID: userID})
		if err != nil {
			return fmt.Errorf("coding: merge %d into %d: %w", from, into, err)
		}
		for _, m := range moved {
			if err := q.BumpUnitAfterMerge(ctx, db.BumpUnitAfterMergeParams{
				UserID: userID, HadTarget: m.HadTarget, ResponseID: m.ResponseID, QuestionID: m.QuestionID, SegmentID: m.SegmentID, AddedID: m.AddedID,
			}); err != nil {
				return fmt.Errorf("coding: merge: %w", err)
			}
		}
		if err := q.DropDuplicateSampleCodes(ctx, db.DropDuplicateSampleCodesParams{FromID: from, IntoID: into}); err != nil {
			return fmt.Errorf("coding: merge sample codes: %w", err)
		}
		if err := q.RepointSampleCodes(ctx, db.RepointSampleCodesParams{FromID: from, IntoID: into}); err != nil {
			return fmt.Errorf("coding: merge sample codes: %w", err)
		}
		if err := q.MarkCodeMerged(ctx, db.MarkCodeMergedParams{ID: from, IntoID: &into}); err != nil {
			return fmt.Errorf("coding: merge: %w", err)
		}
		n = len(moved)
		e := by.Entry(AuditCodeMerged)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", strconv.Itoa(int(from))
		e.Detail = map[string]any{"code": src.Key, "name": src.Name, "into_id": into, "into": dst.Key, "codings_moved": n}
		return audit.Record(ctx, q, e)
	})
	return n, err
}
