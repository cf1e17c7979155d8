package segment

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Question references at the start of a line: "Q3a", "Q 3a:", "Question 3"
// and, only with a letter and a closing mark so numbered lists are not
// taken for questions, "3b)", "3b.", "3b:", "1a –".
var (
	namedRef = regexp.MustCompile(`^(?i)(?:question\s*|q\s*\.?\s*)(\d{1,2})([a-z])?(?:[^a-z0-9]|$)`)
	bareRef  = regexp.MustCompile(`^(?i)(\d{1,2})([a-z])\s*(?:[).:]|[-–—](?:\s|$))`)
	// decor is list and heading markup before a reference.
	decor = regexp.MustCompile(`^[#*•\-\s]*`)
	// numbering is a section number before a theme heading: "2.", "Theme 2 –".
	numbering = regexp.MustCompile(`^(?i)(?:(?:theme|section|part|chapter)\s+\w+\s*[.):\-–—]?\s*|\d{1,2}\s*[.):\-–—]?\s+|[ivx]{1,4}[.)]\s+)`)
)

// index holds a Target prepared for matching.
type index struct {
	questions []Question
	themes    []themeForms
}

type themeForms struct {
	slug, title string
	forms       []string        // normalised full title and, after a colon, its short form
	words       map[string]bool // every word of the title
	terms       terms           // for headings that do not quote the title
}

func newIndex(t Target) *index {
	ix := &index{questions: t.Questions}
	for _, th := range t.Themes {
		tf := themeForms{slug: th.Slug, title: th.Title, forms: []string{norm(th.Title)}, words: map[string]bool{}, terms: newTerms(th, t.Questions)}
		if i := strings.LastIndex(th.Title, ":"); i >= 0 {
			tf.forms = append(tf.forms, norm(th.Title[i+1:]))
		}
		for _, w := range strings.Fields(tf.forms[0]) {
			tf.words[w] = true
		}
		ix.themes = append(ix.themes, tf)
	}
	return ix
}

// ref is a resolved question reference; start and codeEnd are offsets in
// the line.
type ref struct {
	code, theme    string
	start, codeEnd int
	q              *Question
}

// questionRef reads a reference at the start of s and resolves it. A
// reference to a number alone ("Question 3") names the question if only
// one has that number, else the theme its questions share.
func (ix *index) questionRef(s string) (ref, bool) {
	start := len(decor.FindString(s))
	m := namedRef.FindStringSubmatchIndex(s[start:])
	if m == nil {
		m = bareRef.FindStringSubmatchIndex(s[start:])
	}
	if m == nil {
		return ref{}, false
	}
	num, letter := s[start+m[2]:start+m[3]], ""
	r := ref{start: start, codeEnd: start + m[3]}
	if m[4] >= 0 {
		letter, r.codeEnd = s[start+m[4]:start+m[5]], start+m[5]
	}
	var hits []*Question
	for i := range ix.questions {
		code := strings.TrimPrefix(strings.ToLower(ix.questions[i].Code), "q")
		if code == strings.ToLower(num+letter) {
			hits = []*Question{&ix.questions[i]}
			break
		}
		if letter == "" && len(code) == len(num)+1 && strings.HasPrefix(code, num) && unicode.IsLetter(rune(code[len(num)])) {
			hits = append(hits, &ix.questions[i])
		}
	}
	switch {
	case len(hits) == 1:
		r.q, r.code, r.theme = hits[0], hits[0].Code, hits[0].ThemeSlug
	case len(hits) > 1 && hits[0].ThemeSlug != "" && !slices.ContainsFunc(hits, func(q *Question) bool {
		return q.ThemeSlug != hits[0].ThemeSlug
	}):
		r.theme = hits[0].ThemeSlug
	default:
		return ref{}, false
	}
	return r, true
}

// closedAnswer reads an option stated right after a reference to a closed
// question, as in "Q1a: Mostly" or "1a – fully support", returning its
// slug and the end of the statement in s. "Fully or mostly" states no one
// option and gives nothing.
func (ix *index) closedAnswer(r ref, s string) (slug string, end int, ok bool) {
	if r.q == nil || len(r.q.Options) == 0 {
		return "", 0, false
	}
	at := r.codeEnd + len(s[r.codeEnd:]) - len(strings.TrimLeft(s[r.codeEnd:], " \t:.)-–—="))
	// The longest match wins, so "Not at all" is not read as a shorter label.
	best, bestLen := -1, 0
	for i, o := range r.q.Options {
		for _, form := range []string{norm(o.Label), norm(o.Slug)} {
			if n, ok := matchPrefix(s[at:], form); ok && n > bestLen {
				best, bestLen = i, n
			}
		}
	}
	if best < 0 {
		return "", 0, false
	}
	end = at + bestLen
	if rest := norm(s[end:]); strings.HasPrefix(rest, "or ") || strings.HasPrefix(strings.TrimSpace(s[end:]), "/") {
		return "", 0, false
	}
	return r.q.Options[best].Slug, end, true
}

// themeOpening reports the theme named by a paragraph's first line: a
// heading that is a theme's title (or its short form after a colon, or
// contains it, or whose words all come from it), or a line whose label
// before a colon or dash does the same, as in "Smarter regulation: we
// welcome...". A line that could name two themes names none. A line
// known to be a heading (isHeading) is also matched by its keywords and
// words (matchHeading). why says how the theme was found.
func (ix *index) themeOpening(s string, isHeading bool) (slug, why string, ok bool) {
	body := s[len(numbering.FindString(s)):]
	whole := strings.Fields(norm(body))
	heading := isHeading || len(whole) <= 12 && !strings.ContainsAny(lastRune(s), ".,;!?")
	var label []string
	if m := labelEnd.FindStringIndex(body); m != nil {
		if label = strings.Fields(norm(body[:m[0]])); len(label) > 8 {
			label = nil
		}
	}
	best, bestScore, tie, title := "", 0, false, ""
	for _, th := range ix.themes {
		score := 0
		for _, f := range th.forms {
			fw := strings.Fields(f)
			score = max(score, headingScore(whole, fw, th.words, heading))
			if label != nil {
				score = max(score, headingScore(label, fw, th.words, true))
			}
		}
		switch {
		case score > bestScore:
			best, bestScore, tie, title = th.slug, score, false, th.title
		case score == bestScore && score > 0:
			tie = true
		}
	}
	switch {
	case bestScore > 0 && !tie:
		return best, titleReasons[bestScore] + fmt.Sprintf(" %q", title), true
	case isHeading:
		return ix.matchHeading(body)
	}
	return "", "", false
}

// titleReasons say how a line named a theme, by headingScore.
var titleReasons = map[int]string{
	3: "the line names the theme",
	2: "the heading quotes the title of",
	1: "the heading's words all come from the title of",
}

// labelEnd ends the label that opens a line: a colon or a spaced dash.
var labelEnd = regexp.MustCompile(`:|\s[-–—]\s|—`)

// headingScore rates how well words name a theme with title form fw and
// title words: 3 the title itself, 2 the title with a few words around it,
// 1 some of the title's words and no others; 0 no match. Only the exact
// title counts when the words are not a heading.
func headingScore(words, fw []string, titleWords map[string]bool, heading bool) int {
	switch {
	case slices.Equal(words, fw):
		return 3
	case !heading:
		return 0
	case len(words) <= len(fw)+4 && containsRun(words, fw):
		return 2
	case allIn(significant(words), titleWords):
		return 1
	}
	return 0
}

// generalOpening reports a heading such as "Conclusion" or a sign-off
// such as "Yours sincerely", which end the current theme or question.
func generalOpening(s string, single bool) bool {
	w := strings.Fields(norm(s))
	phrase := strings.Join(w, " ")
	for _, p := range []string{"yours sincerely", "yours faithfully", "kind regards", "best regards", "best wishes"} {
		if strings.HasPrefix(phrase, p) && len(w) <= 4 {
			return true
		}
	}
	if !single || len(w) > 5 || strings.ContainsAny(lastRune(s), ".,;!?") {
		return false
	}
	for _, p := range []string{"introduction", "summary", "executive summary", "background", "about us", "conclusion",
		"conclusions", "in conclusion", "general comments", "other comments", "further comments",
		"additional comments", "final comments", "closing remarks", "contact"} {
		if phrase == p || strings.HasPrefix(phrase, p+" ") {
			return true
		}
	}
	return false
}
