package segment

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// norm lower-cases s, drops apostrophes and turns every run of other
// non-letters into one space, so "Don’t know" and "dont-know" compare equal.
func norm(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case isApostrophe(r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// matchPrefix reports whether s, normalised as by norm, starts with form
// as whole words, and returns the length of s that the match covers.
func matchPrefix(s, form string) (int, bool) {
	i, end, space := 0, 0, false
	for pos, r := range s {
		if i == len(form) {
			return end, !(unicode.IsLetter(r) || unicode.IsDigit(r))
		}
		switch {
		case isApostrophe(r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && i > 0 {
				if form[i] != ' ' {
					return 0, false
				}
				i++
			}
			space = false
			fr, size := utf8.DecodeRuneInString(form[i:])
			if fr != unicode.ToLower(r) {
				return 0, false
			}
			i, end = i+size, pos+utf8.RuneLen(r)
		default:
			space = true
		}
	}
	return end, i == len(form) && form != ""
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' }

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}

// containsRun reports whether sub occurs in words as consecutive words.
func containsRun(words, sub []string) bool {
	for i := 0; i+len(sub) <= len(words); i++ {
		if slices.Equal(words[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// significant drops words too common to identify a theme; fewer than two
// remaining words identify nothing.
func significant(words []string) []string {
	var out []string
	for _, w := range words {
		switch w {
		case "and", "the", "of", "in", "for", "to", "a", "an", "on", "our", "we", "with", "through":
		default:
			out = append(out, w)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

func allIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if !set[w] {
			return false
		}
	}
	return len(words) > 0
}
