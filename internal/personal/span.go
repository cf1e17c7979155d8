// Package personal finds personal data in response text (email
// addresses, UK phone numbers, postcodes, NHS and National Insurance
// numbers, dates of birth, names in sign-offs) and redacts it for
// publication. The original text is never changed: detected spans are
// stored beside it, and everything that leaves Heard for the public or
// viewers goes through Redact.
package personal

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind is what sort of personal data a span holds.
type Kind string

// The kinds of personal data Heard recognises. KindOther is for
// redactions an analyst adds by hand that fit no other kind.
const (
	KindEmail     Kind = "email"
	KindPhone     Kind = "phone"
	KindPostcode  Kind = "postcode"
	KindNHS       Kind = "nhs_number"
	KindNINO      Kind = "ni_number"
	KindBirthDate Kind = "date_of_birth"
	KindName      Kind = "name"
	KindOther     Kind = "other"
)

// Kinds lists every kind, in the order the analyst's form offers them.
var Kinds = []Kind{KindName, KindEmail, KindPhone, KindPostcode, KindNHS, KindNINO, KindBirthDate, KindOther}

// Label is what replaces a span of kind k in redacted text.
func (k Kind) Label() string {
	switch k {
	case KindEmail:
		return "[email address removed]"
	case KindPhone:
		return "[phone number removed]"
	case KindPostcode:
		return "[postcode removed]"
	case KindNHS:
		return "[NHS number removed]"
	case KindNINO:
		return "[National Insurance number removed]"
	case KindBirthDate:
		return "[date of birth removed]"
	case KindName:
		return "[name removed]"
	}
	return "[personal data removed]"
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Span is a stretch of personal data in a text: Start and End are byte
// offsets (End exclusive), like the segments' offsets into full_text.
type Span struct {
	Start, End int
	Kind       Kind
	Confidence float32
}

// Redact returns text with every span replaced by its kind's label.
// Overlapping spans merge into one (labelled by the earliest); spans
// outside the text are clipped, so stale offsets can never leak a tail.
func Redact(text string, spans []Span) string {
	if len(spans) == 0 {
		return text
	}
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b Span) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End)) })
	var b strings.Builder
	b.Grow(len(text))
	pos := 0
	for _, sp := range s {
		start, end := max(sp.Start, 0), min(sp.End, len(text))
		if end <= start || end <= pos {
			continue
		}
		// Widen to whole characters: a stale offset must hide more, not less.
		for start > 0 && !utf8.RuneStart(text[start]) {
			start--
		}
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
		if start < pos { // overlaps the previous span: extend it
			pos = end
			continue
		}
		b.WriteString(text[pos:start])
		b.WriteString(sp.Kind.Label())
		pos = end
	}
	b.WriteString(text[pos:])
	return b.String()
}

// Name is the kind in words, for pages: "phone number".
func (k Kind) Name() string {
	l := k.Label()
	return strings.TrimSuffix(strings.TrimPrefix(l, "["), " removed]")
}
