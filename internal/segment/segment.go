// Package segment splits the free text of an email or letter into
// segments and attributes each to a question (from an explicit reference
// such as "Q3a" or "3b)") or a theme (from a heading or opening line that
// names it); text that matches nothing is general comments. Closed
// answers are recorded only where the respondent states one explicitly
// right after a question reference ("Q1a: Mostly"), never inferred from
// tone.
package segment

import (
	"cmp"
	"fmt"
	"strings"

	"heard/internal/consultation"
)

// How a segment was attributed.
const (
	HowQuestion = "question reference"
	HowTheme    = "theme heading"
	HowNone     = "none"
)

// Segment is a run of text attributed to one question, one theme, or
// neither. Start and End are byte offsets into the text given to Split:
// text[Start:End] == Text.
type Segment struct {
	Start, End   int
	Text         string
	QuestionCode string // "" unless a reference named one question
	ThemeSlug    string // the theme named, or the theme of the question
	General      bool   // attributed to nothing: general comments
	How          string // HowQuestion, HowTheme or HowNone
	// Why says, for an analyst, why the segment was attributed where it
	// was (or why a heading left it unattributed).
	Why string
	// Body is Text without the question reference that opens it and the
	// closed answer stated after it: the respondent's own words, the only
	// part that explains anything. "Q1a: Fully" alone has an empty Body.
	Body string
}

// ClosedAnswer is a closed answer stated explicitly, such as "Q1a: Mostly".
// Start and End are the byte offsets of the whole statement. A letter may
// state two answers to one question; both are returned for the caller to
// resolve.
type ClosedAnswer struct {
	QuestionCode, OptionSlug string
	Start, End               int
}

// Target is what text can be attributed to.
type Target struct {
	Questions []Question
	Themes    []Theme
	// ix is the Target prepared for matching, built once by Prepare so
	// that a batch of letters does not rebuild it for each.
	ix *index
}

// Prepare readies t for many calls of Split; t must not change after.
func (t Target) Prepare() Target {
	t.ix = newIndex(t)
	return t
}

// Question is a question that text may refer to by its code.
type Question struct {
	Code      string
	ThemeSlug string
	Options   []Option // closed questions only
	Prompt    string
	Keywords  []string
}

// Option is one answer of a closed question.
type Option struct {
	Slug, Label string
}

// Theme is a theme that a heading may name: by its title, its keywords,
// or the words of its summary and its questions' prompts.
type Theme struct {
	Slug, Title string
	Summary     string
	Keywords    []string
}

// FromConsultation builds the Target for a consultation's questions and
// themes.
func FromConsultation(c *consultation.Consultation) Target {
	var t Target
	for _, th := range c.Themes {
		t.Themes = append(t.Themes, Theme{Slug: th.Slug, Title: th.Title, Summary: th.Summary, Keywords: th.Keywords})
	}
	for _, q := range c.Questions {
		tq := Question{Code: q.Code, Prompt: q.Prompt, Keywords: q.Keywords}
		if q.Theme != nil {
			tq.ThemeSlug = q.Theme.Slug
		}
		if q.Closed() {
			for _, o := range q.Scale.Options {
				tq.Options = append(tq.Options, Option{Slug: o.Slug, Label: o.Label})
			}
		}
		t.Questions = append(t.Questions, tq)
	}
	return t
}

// Split divides text into segments. A line opening with a question
// reference starts a question segment; the first line of a paragraph that
// is a heading naming a theme, or opens with a theme's title followed by a
// colon or dash, starts a theme segment; a heading such as "Conclusion" or
// a sign-off such as "Yours sincerely" starts general comments. Other
// paragraphs continue the current segment, and text before any marker is
// general. Blank text gives no segments.
func Split(text string, t Target) ([]Segment, []ClosedAnswer) {
	return SplitHeadings(text, t, nil)
}

// SplitHeadings is Split for a text whose writer said which paragraphs
// are headings (a .docx): headings holds the byte offsets where they
// start. Such a heading always starts a segment: on the theme it names,
// or unattributed when it names none, so its section is never swallowed
// by the theme before it. In other text a short line standing alone as a
// paragraph, without a full stop, is taken for a heading the same way.
func SplitHeadings(text string, t Target, headings []int) ([]Segment, []ClosedAnswer) {
	ix := t.ix
	if ix == nil {
		ix = newIndex(t)
	}
	var segs []Segment
	var answers []ClosedAnswer
	var cur *Segment
	var bodyStart, nextBody int // where the current and next segments' Body start
	flush := func() {
		if cur != nil {
			cur.Text = text[cur.Start:cur.End]
			cur.Body = strings.TrimSpace(text[min(max(bodyStart, cur.Start), cur.End):cur.End])
			segs = append(segs, *cur)
		}
	}
	for _, l := range splitLines(text, headings) {
		if l.rule && cur == nil {
			continue // an over-line above the first heading belongs to nothing
		}
		var next *Segment
		nextBody = l.start
		if ref, ok := ix.questionRef(l.text); ok {
			next = &Segment{QuestionCode: ref.code, ThemeSlug: ref.theme, How: HowQuestion,
				Why: fmt.Sprintf("the line opens with a reference to %s", cmp.Or(ref.code, "question "+strings.TrimSpace(l.text[ref.start:ref.codeEnd])))}
			nextBody = l.start + ref.codeEnd + afterRef(l.text[ref.codeEnd:])
			if slug, end, ok := ix.closedAnswer(ref, l.text); ok {
				answers = append(answers, ClosedAnswer{QuestionCode: ref.code, OptionSlug: slug,
					Start: l.start + ref.start, End: l.start + end})
				nextBody = l.start + end + afterRef(l.text[end:])
			}
		} else if l.first {
			heading := l.heading || l.single && headingLike(l.text)
			if slug, why, ok := ix.themeOpening(l.text, heading); ok {
				next = &Segment{ThemeSlug: slug, How: HowTheme, Why: why}
				if l.single {
					nextBody = l.end // a heading alone explains nothing
				}
			} else if cur != nil && !cur.General && generalOpening(l.text, l.single) {
				next = &Segment{General: true, How: HowNone, Why: fmt.Sprintf("%q ends the section before", l.text)}
			} else if heading && cur != nil && (l.heading || cur.How == HowTheme) {
				// A short line after a question reference ("Q3b" then "Our
				// view") is taken as part of the answer; a document's own
				// heading, or one that ends a theme's section, is not.
				next = &Segment{General: true, How: HowNone,
					Why: fmt.Sprintf("the heading %q names no theme or question clearly enough: left for an analyst", l.text)}
				if l.single {
					nextBody = l.end
				}
			}
		}
		if next != nil || cur == nil {
			flush()
			if next == nil {
				next = &Segment{General: true, How: HowNone}
			}
			cur, bodyStart = next, nextBody
			cur.Start = l.start
		}
		cur.End = l.end
	}
	flush()
	return segs, answers
}

// afterRef is the length of the punctuation and space that follow a
// question reference or a stated answer, as in "Q1a: " or "Fully. ".
func afterRef(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t:.);,-–—="))
}

// line is one non-blank line: its offsets exclude leading and trailing
// white space and the line end ("\n" or "\r\n").
type line struct {
	start, end int
	text       string
	first      bool // opens a paragraph
	single     bool // is a paragraph by itself
	rule       bool // only a rule such as "-----" (HTML headings turned to text have them)
	heading    bool // the document says it is a heading
}

func splitLines(text string, headings []int) []line {
	var ls []line
	isHeading := map[int]bool{}
	for _, h := range headings {
		isHeading[h] = true
	}
	prevBlank := true
	for pos := 0; pos < len(text); {
		end := strings.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		raw := text[pos:end]
		if trimmed := strings.TrimSpace(raw); trimmed == "" {
			prevBlank = true
		} else if isRule(trimmed) {
			// A rule neither opens a paragraph nor stops the line after
			// it from opening one.
			s := pos + strings.Index(raw, trimmed)
			ls = append(ls, line{start: s, end: s + len(trimmed), text: trimmed, rule: true})
		} else {
			s := pos + strings.Index(raw, trimmed)
			ls = append(ls, line{start: s, end: s + len(trimmed), text: trimmed, first: prevBlank || isHeading[s], heading: isHeading[s]})
			prevBlank = false
		}
		pos = end + 1
	}
	for i := range ls {
		ls[i].single = ls[i].first && (i == len(ls)-1 || ls[i+1].first)
	}
	return ls
}

// headingLike reports whether a paragraph of one line reads as a heading:
// a few words, without the punctuation that ends a sentence or a salutation.
func headingLike(s string) bool {
	return len(strings.Fields(s)) <= 10 && !strings.ContainsAny(lastRune(s), ".,;:!?")
}

// isRule reports whether s is only a line of -, =, _, * or ~ (three or more).
func isRule(s string) bool {
	if len(s) < 3 {
		return false
	}
	return strings.Trim(s, "-=_*~") == ""
}
