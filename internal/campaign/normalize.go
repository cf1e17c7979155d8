// Package campaign finds organised campaigns (many copies of one template,
// often with a sentence added by each sender) and repeats (the same sender
// sending the same text twice) among a consultation's responses.
//
// Detection works on normalised words: exact duplicates share a hash of the
// normalised text; near-duplicates share MinHash signatures over word
// 3-shingles, found through locality-sensitive hashing (16 bands of 4 rows)
// and confirmed by estimated Jaccard similarity or containment, so that
// "template plus added text" is caught even when the added text is long.
package campaign

import (
	"slices"
	"strings"
	"unicode"

	"github.com/cespare/xxhash/v2"
)

// Words returns the normalised words of a response's text: quoted replies
// and signatures dropped, lower case, punctuation removed. Two texts that
// differ only in case, spacing, punctuation, quoting or sign-off have the
// same words.
func Words(text string) []string {
	text = stripQuotedAndSignature(text)
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "don't" and "dont" are the same word; an apostrophe never splits.
		default:
			flush()
		}
	}
	flush()
	return words
}

// stripQuotedAndSignature drops what a sender did not write for this
// response: lines quoted from an earlier message ("> ..."), everything
// after a reply header ("On ... wrote:") or a forwarded-message marker, and
// everything after a signature delimiter ("-- ") or a phone's sign-off.
func stripQuotedAndSignature(text string) string {
	lines := strings.Split(text, "\n")
	out := lines[:0]
	for _, line := range lines {
		t := strings.TrimSpace(line)
		lower := strings.ToLower(t)
		if line == "-- " || line == "--" || line == "-- \r" ||
			strings.HasPrefix(lower, "sent from my ") ||
			strings.HasPrefix(lower, "-----original message") ||
			strings.HasPrefix(lower, "---------- forwarded message") ||
			(strings.HasPrefix(lower, "on ") && strings.HasSuffix(lower, "wrote:")) {
			break
		}
		if strings.HasPrefix(t, ">") {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// ExactHash is the hash of the normalised text: equal for exact duplicates.
// Zero means "no words".
func ExactHash(words []string) uint64 {
	if len(words) == 0 {
		return 0
	}
	d := xxhash.New()
	for i, w := range words {
		if i > 0 {
			_, _ = d.WriteString(" ")
		}
		_, _ = d.WriteString(w)
	}
	return d.Sum64()
}

// ShingleSize is the number of words in a shingle.
const ShingleSize = 3

// Shingles returns the distinct hashed word 3-shingles of words. A text
// shorter than a shingle has one shingle of all its words.
func Shingles(words []string) []uint64 {
	if len(words) == 0 {
		return nil
	}
	n := len(words) - ShingleSize + 1
	if n < 1 {
		n = 1
	}
	out := make([]uint64, n)
	var buf []byte
	for i := range out {
		buf = buf[:0]
		for _, w := range words[i:min(i+ShingleSize, len(words))] {
			buf = append(buf, w...)
			buf = append(buf, 0)
		}
		out[i] = xxhash.Sum64(buf)
	}
	// Distinct shingles: sorting beats a map at a few hundred.
	slices.Sort(out)
	return slices.Compact(out)
}
