package ingest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// SafeText makes text from a file safe to store and to show: PostgreSQL
// refuses a NUL byte in text and "\u0000" in jsonb, and invalid UTF-8
// in either. Each NUL and each byte that is not valid UTF-8 is written as
// a visible escape (\x00, \xff), so a message quoting a hostile name
// still says exactly what the name was, and nothing is replaced silently
// by U+FFFD.
func SafeText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == 0:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
