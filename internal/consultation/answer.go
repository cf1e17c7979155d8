package consultation

import "unicode/utf8"

// MaxAnswerChars is the most one open answer may hold, however it arrives
// (webform, event entry screen or upload, CSV or XLSX import). It is the
// one definition of the limit; every channel checks it with AnswerChars.
const MaxAnswerChars = 20_000

// AnswerChars counts an answer as the limit counts it: in Unicode code
// points (Go runes), as PostgreSQL's length() counts the stored text, so
// an emoji is one character and "é" is one whether typed or imported.
// Line breaks are counted after each channel has turned CRLF into LF, so
// a line break is one character. A browser's live counter is a guide;
// this count is the rule.
func AnswerChars(s string) int { return utf8.RuneCountInString(s) }

// AnswerTooLong reports whether an answer is over the limit, and its
// length by AnswerChars.
func AnswerTooLong(s string) (n int, over bool) {
	n = AnswerChars(s)
	return n, n > MaxAnswerChars
}
