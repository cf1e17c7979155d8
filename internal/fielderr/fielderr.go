// Package fielderr carries problems with what someone typed, each naming
// the form field to correct, from the services that check input to the
// pages that show them beside the field. A service keeps its own error
// type and gives it a FieldProblems method; the server maps every such
// error to a form's messages in one place, by type, never by its text.
package fielderr

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one problem with one field: Field is the input's id.
type Problem struct {
	Field, Message string
}

// Error is an error that names the fields at fault.
type Error interface {
	error
	FieldProblems() []Problem
}

// Of returns the problems err names, when err is or wraps an Error.
func Of(err error) ([]Problem, bool) {
	var fe Error
	if err == nil || !errors.As(err, &fe) {
		return nil, false
	}
	return fe.FieldProblems(), true
}

// One is a single problem, for an error type with one field.
func One(field, message string) []Problem {
	return []Problem{{Field: field, Message: Sentence(message)}}
}

// Sentence starts message with a capital letter, as GOV.UK error
// messages do; services word their errors to follow "field: ".
func Sentence(message string) string {
	r, n := utf8.DecodeRuneInString(message)
	if n == 0 || unicode.IsUpper(r) {
		return message
	}
	return string(unicode.ToUpper(r)) + strings.TrimPrefix(message, message[:n])
}
