package campaign

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffOp is one run of a word diff: words kept, added or removed.
type DiffOp struct {
	Kind  string // "same", "added" or "removed"
	Words string
}

// WordDiff compares a member's words with the canonical text's: what the
// sender added and what they took out. The comparison is of normalised
// words (so case, spacing and punctuation never count as a change), each
// mapped to one rune so a changed word never shows as changed letters;
// what is shown is the words as written, the member's for kept and added
// words, the canonical text's for removed ones.
func WordDiff(canonical, member string) (ops []DiffOp, added, removed int) {
	ta, tb := tokens(canonical), tokens(member)
	dmp := diffmatchpatch.New()
	ra, rb, lines := dmp.DiffLinesToRunes(joinNorm(ta), joinNorm(tb))
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	i, j := 0, 0 // words consumed of the canonical text and of the member
	for _, d := range diffs {
		text := strings.TrimSuffix(d.Text, "\n")
		if text == "" {
			continue
		}
		n := strings.Count(text, "\n") + 1
		var op DiffOp
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = DiffOp{Kind: "added", Words: joinOrig(tb, j, n)}
			added, j = added+n, j+n
		case diffmatchpatch.DiffDelete:
			op = DiffOp{Kind: "removed", Words: joinOrig(ta, i, n)}
			removed, i = removed+n, i+n
		default:
			op = DiffOp{Kind: "same", Words: joinOrig(tb, j, n)}
			i, j = i+n, j+n
		}
		ops = append(ops, op)
	}
	return ops, added, removed
}

// token is one normalised word and the word as written, with the
// punctuation that follows it ("Don't", "patients!").
type token struct{ norm, orig string }

// tokens splits text exactly as Words does, keeping each word as written.
func tokens(text string) []token {
	text = stripQuotedAndSignature(text)
	var out []token
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if b.Len() > 0 {
			out = append(out, token{norm: b.String(), orig: text[start:end]})
			b.Reset()
		}
		start = -1
	}
	for at, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = at
			}
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// never splits a word, as in Words
		default:
			if b.Len() > 0 {
				// Punctuation up to the next space stays with the word.
				end := at
				for end < len(text) {
					c, size := utf8.DecodeRuneInString(text[end:])
					if unicode.IsSpace(c) || unicode.IsLetter(c) || unicode.IsDigit(c) {
						break
					}
					end += size
				}
				flush(end)
			} else {
				start = -1
			}
		}
	}
	flush(len(text))
	return out
}

func joinNorm(ts []token) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.norm)
		b.WriteByte('\n')
	}
	return b.String()
}

func joinOrig(ts []token, from, n int) string {
	words := make([]string, 0, n)
	for _, t := range ts[from:min(from+n, len(ts))] {
		words = append(words, t.orig)
	}
	return strings.Join(words, " ")
}

// SubstantialAddedWords is the number of added words from which a
// member's added text is listed for reading and coding.
const SubstantialAddedWords = 10
