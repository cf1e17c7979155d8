package personal

import (
	"regexp"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Scanning a whole letter with each pattern is too slow for the import
// path (2,000 letters a second), so cheap byte scans find the few places
// a pattern could start, and the patterns, anchored with ^, run only on a
// short window there. Each pattern only finds candidates, which the
// checks below validate (a check digit, a prefix rule, the phone
// numbering plan): precision comes from the checks, not the regex.
var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// UK postcodes: the outward code's shapes, then the inward code,
	// whose letters never include C, I, K, M, O or V.
	postcodeRe = regexp.MustCompile(`^(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-HJKMNPR-Y0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b`)
	// National Insurance numbers: the letters HMRC never issues as the
	// first (D F I Q U V) or second (D F I O Q U V) are excluded here;
	// the banned pairs are checked in ninoPrefixOK.
	ninoRe = regexp.MustCompile(`^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b`)
	// A date after words that say it is a birth date.
	birthRe = regexp.MustCompile(`^(?i:born(?: on)?|date of birth|d\.o\.b\.?|dob)\s*(?:is|was|:|-)?\s*((?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2}))|(?:[0-9]{1,2}(?:st|nd|rd|th)?\s+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+[0-9]{4}))`)
	// Names after a sign-off (on the same or the next line), after "my
	// name is", or after a title. The name itself is case-sensitive: one
	// to three capitalised words.
	signoffRe = regexp.MustCompile(`^(?i:sincerely|faithfully|truly|regards|wishes|thanks)[,.!]?[ \t]*\r?\n?[ \t]*(` + nameWords + `)`)
	myNameRe  = regexp.MustCompile(`^(?i:name is|am called)[:,]?[ \t]+(` + nameWords + `)`)
	titleRe   = regexp.MustCompile(`^(?:Mrs|Mr|Ms|Miss|Mx|Dr)\.?[ \t]+(` + nameWords + `)`)
)

const nameWords = `\p{Lu}[\p{L}'’\-]+(?:[ \t]+\p{Lu}[\p{L}'’\-]+){0,2}`

// Trigger words: where the name and birth-date patterns may start.
var (
	signoffWords = []string{"sincerely", "faithfully", "truly", "regards", "Regards", "wishes", "thanks"}
	myNameWords  = []string{"name is", "Name is", "am called"}
	titleWords   = []string{"Mr", "Ms", "Miss", "Mx", "Dr"} // "Mr" finds "Mrs" too
	birthWords   = []string{"born", "Born", "date of birth", "Date of birth", "dob", "DOB", "D.O.B", "d.o.b"}
)

// window is how far past its start a pattern may match.
const window = 96

// notNames are capitalised words that follow a sign-off or title but are
// not names ("Kind regards, The Patients Association").
var notNames = map[string]bool{
	"The": true, "I": true, "We": true, "On": true, "For": true, "From": true, "Our": true, "This": true, "Thank": true,
	"Care": true, "Quality": true, "Commission": true, "Chair": true, "Chief": true, "Director": true, "Manager": true,
}

// Detect returns the personal data found in text, ordered by offset and
// without overlaps (where two recognisers claim the same characters, the
// first in this order wins: email, NHS, phone, NI, birth date, postcode,
// name after a sign-off, "my name is" or a title, name in running text).
func Detect(text string) []Span {
	var spans []Span
	spans = detectEmails(text, spans)
	spans = detectNumbers(text, spans)
	for i := 0; i+5 < len(text); i++ {
		// NI numbers and postcodes start with a capital letter at a word
		// start, followed within two bytes by a digit.
		c := text[i]
		if c < 'A' || c > 'Z' || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		if !isDigit(text[i+1]) && !isDigit(text[i+2]) && !(text[i+2] == ' ' && isDigit(text[i+3])) {
			continue
		}
		w := text[i:min(len(text), i+window)]
		if m := ninoRe.FindStringIndex(w); m != nil && ninoPrefixOK(w) {
			spans = add(spans, Span{i, i + m[1], KindNINO, 0.95})
		} else if m := postcodeRe.FindStringIndex(w); m != nil {
			spans = add(spans, Span{i, i + m[1], KindPostcode, 0.9})
		}
	}
	spans = matchAt(text, spans, birthWords, birthRe, KindBirthDate, 0.9)
	spans = matchAt(text, spans, signoffWords, signoffRe, KindName, 0.7)
	spans = matchAt(text, spans, myNameWords, myNameRe, KindName, 0.7)
	spans = matchAt(text, spans, titleWords, titleRe, KindName, 0.7)
	spans = detectRunningNames(text, spans)
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	return spans
}

// matchAt runs re, anchored, at each word-start occurrence of words in
// text, and adds the span of its first group.
func matchAt(text string, spans []Span, words []string, re *regexp.Regexp, kind Kind, conf float32) []Span {
	for _, word := range words {
		for off := 0; ; {
			j := strings.Index(text[off:], word)
			if j < 0 {
				break
			}
			i := off + j
			off = i + len(word)
			if i > 0 && isWordByte(text[i-1]) {
				continue
			}
			m := re.FindStringSubmatchIndex(text[i:min(len(text), i+window)])
			if m == nil {
				continue
			}
			sp := Span{i + m[2], i + m[3], kind, conf}
			if kind == KindName {
				var ok bool
				if sp, ok = nameSpan(text, sp.Start, sp.End); !ok {
					continue
				}
			}
			spans = add(spans, sp)
		}
	}
	return spans
}

// detectEmails runs the email pattern only around each "@", between the
// whitespace either side.
func detectEmails(text string, spans []Span) []Span {
	for off := 0; ; {
		j := strings.IndexByte(text[off:], '@')
		if j < 0 {
			return spans
		}
		at := off + j
		start := at
		for start > 0 && start > at-128 && !isSpace(text[start-1]) {
			start--
		}
		end := at + 1
		for end < len(text) && end < at+256 && !isSpace(text[end]) {
			end++
		}
		if m := emailRe.FindStringIndex(text[start:end]); m != nil {
			spans = add(spans, Span{start + m[0], start + m[1], KindEmail, 0.99})
		}
		off = end
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isWordByte reports whether c continues a word (any non-ASCII byte
// does, so a match never starts inside "Éire").
func isWordByte(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80 || c == '_'
}

// detectNumbers classifies runs of digits (with the spaces, hyphens,
// brackets and "+" people write numbers with) as NHS numbers (check
// digit) or UK phone numbers (valid in the numbering plan).
func detectNumbers(text string, spans []Span) []Span {
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		start := i
		if start > 0 && text[start-1] == '(' {
			start--
		}
		if start > 0 && text[start-1] == '+' {
			start--
		}
		// Extend over digits and single separators; end on a digit.
		end, n, last := i, 0, i
		for end < len(text) && n < 14 {
			c := text[end]
			switch {
			case isDigit(c):
				n++
				last = end + 1
			case (c == ' ' || c == '-' || c == '(' || c == ')') && end+1 < len(text) && (isDigit(text[end+1]) || text[end+1] == '(' || text[end+1] == ' '):
			default:
				goto done
			}
			end++
		}
	done:
		i = max(i, last-1)
		if last < len(text) && isWordByte(text[last]) || n < 10 || n > 13 {
			continue
		}
		cand := text[start:last]
		digits := digitsOf(cand)
		if len(digits) == 10 && nhsValid(digits) && nhsShape(cand) {
			spans = add(spans, Span{start, last, KindNHS, 0.95})
			continue
		}
		num, err := phonenumbers.Parse(cand, "GB")
		// +44 covers Jersey, Guernsey and the Isle of Man too: any valid
		// +44 number counts.
		if err != nil || num.GetCountryCode() != 44 || !phonenumbers.IsValidNumber(num) {
			continue
		}
		spans = add(spans, Span{start, last, KindPhone, 0.9})
	}
	return spans
}

// nameSpan trims a name match to its real words and rejects words that
// are not names.
func nameSpan(text string, start, end int) (Span, bool) {
	words := strings.Fields(text[start:end])
	for len(words) > 0 && notNames[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 || notNames[words[0]] {
		return Span{}, false
	}
	// End after the last kept word.
	last := words[len(words)-1]
	end = start + strings.LastIndex(text[start:end], last) + len(last)
	return Span{start, end, KindName, 0.7}, true
}

// add appends sp unless it overlaps a span already found.
func add(spans []Span, sp Span) []Span {
	for _, o := range spans {
		if sp.Start < o.End && o.Start < sp.End {
			return spans
		}
	}
	return append(spans, sp)
}

func digitsOf(s string) string {
	var b [32]byte
	n := 0
	for i := 0; i < len(s) && n < len(b); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b[n] = s[i]
			n++
		}
	}
	return string(b[:n])
}

// nhsShape accepts the ways NHS numbers are written: ten digits
// together or as 3-3-4 with one space or hyphen between the groups.
func nhsShape(s string) bool {
	if len(s) == 10 {
		return true
	}
	if len(s) != 12 {
		return false
	}
	sep := s[3]
	return (sep == ' ' || sep == '-') && s[7] == sep
}

// nhsValid checks an NHS number's modulus-11 check digit: the first nine
// digits weighted 10 down to 2; 11 minus the remainder is the check
// digit, 11 means 0, and 10 means the number is invalid.
func nhsValid(d string) bool {
	if len(d) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0')
}

// ninoPrefixOK rejects the prefixes HMRC does not allocate.
func ninoPrefixOK(s string) bool {
	switch s[:2] {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}
