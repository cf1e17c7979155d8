// Package coding is the coding of open text: codeframes per open
// question (and per theme, for letter segments), analysts applying codes
// to answers and excerpts, flags and notes, the append-only history and
// the current state derived from it, code counts, progress and double
// coding with its agreement statistics.
//
// Every change is a coding event (coding_events), written in the same
// transaction as the current state it changes (unit_codes, unit_states)
// and an audit entry. A unit's version moves on with every change, so a
// save made against an older version is refused, never applied over
// another analyst's work.
package coding

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/fielderr"
)

// Audit actions of this package.
const (
	AuditCodeCreated   = "code_created"
	AuditCodeUpdated   = "code_updated"
	AuditCodeMoved     = "code_moved"
	AuditCodeRetired   = "code_retired"
	AuditCodeRestored  = "code_restored"
	AuditCodeMerged    = "code_merged"
	AuditFrameImported = "codeframe_imported"
	AuditCodingSaved   = "coding_saved"
	AuditCodingBulk    = "coding_bulk_applied"
	AuditSampleCreated = "coding_sample_created"
	AuditSampleSaved   = "coding_sample_saved"
	AuditResolved      = "coding_disagreement_resolved"
)

// Positions a coding can record: the respondent's stance on the point
// the code names. "" is "not stated".
const (
	Supports = "supports"
	Opposes  = "opposes"
	Neutral  = "neutral"
)

// Positions lists the stated positions in the order pages show them.
var Positions = []string{Supports, Opposes, Neutral}

// PositionLabel names a position for people.
func PositionLabel(p string) string {
	switch p {
	case Supports:
		return "Supports"
	case Opposes:
		return "Opposes"
	case Neutral:
		return "Neutral or mixed"
	}
	return "Not stated"
}

// MaxDepth is how deep codes nest: a code and its sub-codes.
const MaxDepth = 2

var (
	// ErrNotFound: no such code, answer, segment or sample here.
	ErrNotFound = errors.New("coding: not found")
	// ErrForbidden: the user may not do this (e.g. see a sample they do
	// not code, or resolve their own disagreement).
	ErrForbidden = errors.New("coding: not allowed")
)

// ValidationError is input that cannot be used, naming the field (and
// for a CSV import, the row).
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// FieldProblems names the field at fault (fielderr.Error).
func (e *ValidationError) FieldProblems() []fielderr.Problem { return fielderr.One(e.Field, e.Message) }

// ImportError lists every problem found in an imported codeframe; the
// import changes nothing when there is one.
type ImportError struct {
	Problems []string
}

func (e *ImportError) Error() string {
	return "coding: codeframe import: " + strings.Join(e.Problems, "; ")
}

// ConflictError is a save refused because someone else changed the unit
// after the analyst opened it. Current is what is stored now.
type ConflictError struct {
	Current State
	By      string // who made the last change
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("coding: changed by %s since you opened it (now version %d)", e.By, e.Current.Version)
}

// Service does the coding.
type Service struct {
	Pool *pgxpool.Pool
}

// Frame names a codeframe: a question's (answers) or a theme's (letter
// segments). Exactly one is set.
type Frame struct {
	QuestionID int32
	ThemeID    int32
}

func (f Frame) params() (q, t *int32) {
	if f.QuestionID != 0 {
		return &f.QuestionID, nil
	}
	return nil, &f.ThemeID
}

// Unit is what gets coded: an answer (ResponseID and QuestionID), a
// letter segment (SegmentID, with its ResponseID) or a campaign member's
// added text (AddedID, with its ResponseID; migration 000026).
type Unit struct {
	ResponseID int64
	QuestionID int32
	SegmentID  int64
	AddedID    int64
}

// Added reports whether the unit is a campaign member's added text.
func (u Unit) Added() bool { return u.AddedID != 0 }

func (u Unit) params() (q *int32, s *int64, a *int64) {
	switch {
	case u.AddedID != 0:
		return nil, nil, &u.AddedID
	case u.SegmentID != 0:
		return nil, &u.SegmentID, nil
	}
	return &u.QuestionID, nil, nil
}

func ptr[T any](v T) *T { return &v }
