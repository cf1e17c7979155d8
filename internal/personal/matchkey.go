package personal

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// MatchKey is how a span's text is stored for subject access searches:
// lower-cased, with everything but letters and digits removed, so that
// "Jane  Smith", "jane smith" and "JANE-SMITH" meet, and a postcode or
// NHS number matches however it was spaced. Phone numbers are keyed by
// the digits of their +44 form, so "0117 496 0123" finds
// "+44 117 496 0123". Migration 000022 computed the same for spans
// stored before the key existed (phone numbers there keep their digits
// as written).
func MatchKey(kind Kind, text string) string {
	if kind == KindPhone {
		if k := phoneKey(text); k != "" {
			return k
		}
	}
	return alnumKey(text)
}

func alnumKey(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func phoneKey(text string) string {
	num, err := phonenumbers.Parse(text, "GB")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return ""
	}
	return strings.TrimPrefix(phonenumbers.Format(num, phonenumbers.E164), "+")
}

// searchKeys are the keys a search term may be stored under: as any
// span's text, and as a phone number's.
func searchKeys(term string) []string {
	keys := []string{alnumKey(term)}
	if k := phoneKey(term); k != "" && k != keys[0] {
		keys = append(keys, k)
	}
	return keys
}
