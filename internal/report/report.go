// Package report builds "Responding to our consultation": the published
// summary in the structure of CQC's 2021 document, from the same counts
// as every page (results.Service), and writes it as HTML (web/report.templ),
// Markdown, DOCX and PDF. Every figure links to the responses behind it.
package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/personal"
	"heard/internal/results"
)

// Report is the whole summary.
type Report struct {
	Slug, Title string
	Built       time.Time
	// Covers is what the figures include; Rule the rounding rule.
	Covers, Rule string
	// Personal says the quotes are redacted, in every format (empty in
	// snapshots frozen before it existed).
	Personal string
	Sections []Section
	// Frozen is set on a snapshot: when it was frozen, and by whom.
	Frozen string
}

// QuotesRedacted is the report's statement that its quotes carry no
// personal data.
const QuotesRedacted = "Personal data is removed from the quotes in this report: names, email addresses, phone numbers, postcodes, NHS and National Insurance numbers and dates of birth are replaced by labels such as “[name removed]”."

// Section is one heading of the report with its sentences and the
// analysts' own narrative.
type Section struct {
	Slug, Title string
	Paragraphs  []Paragraph
	Quotes      []Quote
	Narrative   string
}

// Quote is an answer an analyst chose to quote, attributed to the
// respondent's group.
type Quote struct {
	Text, Attribution, Question string
}

// Paragraph is text in parts, some of them linked to the responses they
// count.
type Paragraph []Part

// Part is a run of text, linked when Href is set.
type Part struct {
	Text, Href string
}

// Text is the paragraph without links.
func (p Paragraph) Text() string {
	var b strings.Builder
	for _, x := range p {
		b.WriteString(x.Text)
	}
	return b.String()
}

// Service builds reports.
type Service struct {
	Pool    *pgxpool.Pool
	Results *results.Service
}

// Build assembles c's report as someone with policy p may see it.
func (s *Service) Build(ctx context.Context, c *consultation.Consultation, p results.Policy) (*Report, error) {
	t, err := s.Results.View(ctx, c, results.Filter{}, p)
	if err != nil {
		return nil, err
	}
	notes, err := db.New(s.Pool).ReportNarratives(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("report: narratives of %s: %w", c.Slug, err)
	}
	narrative := map[string]string{}
	for _, n := range notes {
		narrative[n.Section] = n.Body
	}
	base := "/consultations/" + c.Slug
	r := &Report{Slug: c.Slug, Title: c.Title, Built: time.Now(), Covers: results.Describe(c, t.Filter), Rule: results.RoundingRule, Personal: QuotesRedacted}

	ov := t.Overview()
	resp := Section{Slug: "responses", Title: "Responses received"}
	if ov.Withheld != "" {
		resp.Paragraphs = append(resp.Paragraphs, Paragraph{{Text: ov.Withheld}})
	} else {
		resp.Paragraphs = append(resp.Paragraphs, Paragraph{
			{Text: "We received "}, {Text: plural(ov.Total, "response"), Href: base},
			{Text: fmt.Sprintf(" to the consultation, which was open from %s to %s.", date(c.OpensOn), date(c.ClosesOn))},
		})
		para := Paragraph{{Text: "By respondent group: "}}
		for i, g := range ov.ByGroup {
			if i > 0 {
				para = append(para, Part{Text: "; "})
			}
			q := url.Values{}
			if g.Slug != "" {
				q.Set("group", g.Slug)
			}
			para = append(para, Part{Text: g.Label + " "}, figure(g, base+"?"+q.Encode()))
		}
		resp.Paragraphs = append(resp.Paragraphs, append(para, Part{Text: "."}))
		para = Paragraph{{Text: "By channel: "}}
		for i, ch := range ov.ByChannel {
			if i > 0 {
				para = append(para, Part{Text: "; "})
			}
			para = append(para, Part{Text: ch.Label + " "}, figure(ch, base+"?channel="+ch.Slug))
		}
		resp.Paragraphs = append(resp.Paragraphs, append(para, Part{Text: "."}))
		if cp, err := s.campaignParagraph(ctx, c, p, base); err != nil {
			return nil, err
		} else if cp != nil {
			resp.Paragraphs = append(resp.Paragraphs, cp)
		}
	}
	resp.Narrative = narrative[resp.Slug]
	r.Sections = append(r.Sections, resp)

	for _, th := range c.Themes {
		sec := Section{Slug: th.Slug, Title: th.Title, Narrative: narrative[th.Slug]}
		for _, q := range results.Questions(c, th) {
			qr := t.Question(q)
			href := base + "/questions/" + q.Code
			switch {
			case qr.Withheld != "":
				sec.Paragraphs = append(sec.Paragraphs, Paragraph{{Text: q.Code + ": " + qr.Withheld}})
			case q.Closed():
				sec.Paragraphs = append(sec.Paragraphs, closedSentences(q, qr, href, p.Exact())...)
			default:
				sec.Paragraphs = append(sec.Paragraphs, Paragraph{
					{Text: "There were "}, {Text: plural(qr.Answered, "response"), Href: href},
					{Text: " to the open question (" + q.Code + ": “" + q.Prompt + "”)" + across(qr.Channels) + "."},
				})
			}
		}
		if err := s.codes(ctx, c, th, p, &sec); err != nil {
			return nil, err
		}
		if err := s.quotes(ctx, c, th, p, &sec); err != nil {
			return nil, err
		}
		r.Sections = append(r.Sections, sec)
	}
	return r, nil
}

// codes adds the theme's main codes with their counts, once coding has
// begun.
func (s *Service) codes(ctx context.Context, c *consultation.Consultation, th *consultation.Theme, p results.Policy, sec *Section) error {
	codes, err := s.themeCodes(ctx, c, th, p)
	if err != nil || len(codes) == 0 {
		return err
	}
	para := Paragraph{{Text: "The main points raised (codes, with how many answers and letter parts raised each): "}}
	for i, code := range codes {
		if i > 0 {
			para = append(para, Part{Text: "; "})
		}
		n := num(code.N)
		if code.Withheld != "" {
			n = code.Withheld
		}
		para = append(para, Part{Text: code.Label + " (" + n + ")"})
	}
	sec.Paragraphs = append(sec.Paragraphs, append(para, Part{Text: "."}))
	return nil
}

// quotes adds the answers analysts flagged as worth quoting, attributed
// to a respondent group, never a person. Protected readers (the public
// report) get only those whose respondent agreed to publication.
func (s *Service) quotes(ctx context.Context, c *consultation.Consultation, th *consultation.Theme, p results.Policy, sec *Section) error {
	rows, err := db.New(s.Pool).ThemeQuotes(ctx, db.ThemeQuotesParams{ConsultationID: c.ID, ThemeID: &th.ID, ConsentedOnly: !p.Exact()})
	if err != nil {
		return fmt.Errorf("report: quotes on theme %s: %w", th.Slug, err)
	}
	// A report is written to be published: its quotes always carry the
	// redactions analysts keep (personal data found or added, not dismissed).
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ResponseID
	}
	red, err := personal.LoadRedactions(ctx, db.New(s.Pool), ids)
	if err != nil {
		return fmt.Errorf("report: quotes on theme %s: %w", th.Slug, err)
	}
	for _, r := range rows {
		who := r.GroupLabel
		if who == "" {
			who = "group not known"
		}
		text := red.Text(r.ResponseID, r.QuestionID, r.Text)
		sec.Quotes = append(sec.Quotes, Quote{Text: text, Attribution: who, Question: r.Code})
	}
	return nil
}

// SetNarrative saves an analyst's words for one section.
func (s *Service) SetNarrative(ctx context.Context, c *consultation.Consultation, section, body string) error {
	ok := section == "responses"
	for _, th := range c.Themes {
		ok = ok || th.Slug == section
	}
	if !ok {
		return ErrNoSection
	}
	if len(body) > MaxNarrative {
		return ErrNarrativeTooLong
	}
	if err := db.New(s.Pool).SetReportNarrative(ctx, db.SetReportNarrativeParams{ConsultationID: c.ID, Section: section, Body: strings.TrimSpace(body)}); err != nil {
		return fmt.Errorf("report: save narrative %s/%s: %w", c.Slug, section, err)
	}
	return nil
}

// MaxNarrative bounds one section's narrative, in bytes.
const MaxNarrative = 20000

// Errors of SetNarrative.
var (
	ErrNoSection        = errors.New("report: no such section")
	ErrNarrativeTooLong = fmt.Errorf("report: a narrative may be at most %d characters", MaxNarrative)
)

// closedSentences says a closed question's result the way CQC's report
// does: the count who answered, then each combination and each option
// outside every combination.
func closedSentences(q *consultation.Question, r results.QuestionResult, href string, exact bool) []Paragraph {
	out := []Paragraph{{
		{Text: "There were "}, {Text: plural(r.Answered, "response"), Href: href},
		{Text: " to the closed question (" + q.Code + ": “" + q.Prompt + "”)" + across(r.Channels) + "."},
	}}
	inCombination := map[int32]bool{}
	var p Paragraph
	for i, cb := range q.Scale.Combinations {
		for _, id := range cb.OptionIDs {
			inCombination[id] = true
		}
		p = append(p, figure(r.Combinations[i], answerHref(href, q, exact, cb.OptionIDs...)), Part{Text: " answered " + quoted(cb.Label) + ". "})
	}
	for i, o := range q.Scale.Options {
		if inCombination[o.ID] {
			continue
		}
		p = append(p, figure(r.Options[i], answerHref(href, q, exact, o.ID)), Part{Text: " answered " + quoted(o.Label) + ". "})
	}
	if len(p) > 0 {
		out = append(out, p)
	}
	return out
}

// answerHref is the question page filtered to those who gave these
// answers (results.Filter's answer parameter). Protected readers may not
// filter by answers (results/suppress.go): theirs is the question page.
func answerHref(href string, q *consultation.Question, exact bool, ids ...int32) string {
	if !exact {
		return href
	}
	v := url.Values{}
	for _, o := range q.Scale.Options {
		for _, id := range ids {
			if o.ID == id {
				v.Add("answer", q.Code+":"+o.Slug)
			}
		}
	}
	return href + "?" + v.Encode()
}

// figure is "496 (80%)", linked, or what shows when withheld.
func figure(s results.Share, href string) Part {
	if s.Withheld != "" {
		return Part{Text: s.Withheld}
	}
	return Part{Text: fmt.Sprintf("%s (%d%%)", num(s.N), s.Percent), Href: href}
}

func quoted(label string) string {
	parts := strings.Split(strings.ToLower(label), " or ")
	return "“" + strings.Join(parts, "” or “") + "”"
}

func across(chs []string) string {
	if len(chs) == 0 {
		return ""
	}
	var names []string
	for _, ch := range ingest.Channels {
		for _, c := range chs {
			if c == ch {
				names = append(names, strings.ToLower(results.ChannelLabel(ch)))
			}
		}
	}
	return ", through " + strings.Join(names, ", ")
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return num(n) + " " + word + "s"
}

func num(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func date(t time.Time) string { return t.Format("2 January 2006") }

// campaignParagraph says how many responses came through organised
// campaigns (#15): as in government practice each counts as a response,
// campaigns are reported separately, and the figures without them are a
// link away. Nil when there are none (or too few to show under p).
func (s *Service) campaignParagraph(ctx context.Context, c *consultation.Consultation, p results.Policy, base string) (Paragraph, error) {
	list, _, err := (&campaign.Service{Pool: s.Pool}).List(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("report: campaigns of %s: %w", c.Slug, err)
	}
	var members, n int64
	for _, l := range list {
		if l.Status != "dismissed" {
			members += l.Members
			n++
		}
	}
	if n == 0 || (!p.Exact() && members < int64(p.Threshold)) {
		return nil, nil
	}
	return Paragraph{
		{Text: "Of these, " + plural(members, "response") + " came through " + plural(n, "organised campaign") +
			" (copies of a template letter or email). Each counts as a response, and the campaigns are reported separately; "},
		{Text: "see the figures without campaign responses", Href: base + "?campaigns=exclude"},
		{Text: "."},
	}, nil
}

// themeCodes are the theme's main codes (on its open questions' answers
// and on its letter parts), at most ten, most answers first, with how
// many answers or letter parts carry each. Protected readers get each
// figure through coding.Protect, the same protection as every code
// count they see; analysts get coding.Totals.
func (s *Service) themeCodes(ctx context.Context, c *consultation.Consultation, th *consultation.Theme, p results.Policy) ([]results.Share, error) {
	cs := &coding.Service{Pool: s.Pool}
	frames := []coding.Frame{{ThemeID: th.ID}}
	for _, q := range results.Questions(c, th) {
		if !q.Closed() {
			frames = append(frames, coding.Frame{QuestionID: q.ID})
		}
	}
	var counts []coding.Count
	type ranked struct {
		share results.Share
		exact int64
		pos   int32
	}
	var all []ranked
	for _, f := range frames {
		cf, err := cs.Codeframe(ctx, c.ID, f)
		if err != nil {
			return nil, err
		}
		if len(cf.Codes) == 0 {
			continue
		}
		if counts == nil {
			if counts, err = cs.Counts(ctx, c.ID, nil, nil); err != nil {
				return nil, err
			}
		}
		var mine []coding.Count
		for _, n := range counts {
			if n.Segment == (f.ThemeID != 0) {
				mine = append(mine, n)
			}
		}
		exact := map[int32]int64{}
		for _, t := range coding.Totals(cf, mine) {
			exact[t.Code.ID] = t.N
		}
		if p.Exact() {
			for _, code := range cf.Codes {
				if !code.Retired && exact[code.ID] > 0 {
					all = append(all, ranked{results.Share{Slug: code.Key, Label: code.Name, N: exact[code.ID]}, exact[code.ID], code.Position})
				}
			}
			continue
		}
		prot, err := coding.Protect(p, c, cf, mine, results.Filter{})
		if err != nil {
			return nil, err
		}
		for _, row := range prot.Rows {
			if !row.Code.Retired && exact[row.Code.ID] > 0 {
				all = append(all, ranked{results.Share{Slug: row.Code.Key, Label: row.Code.Name, N: row.N.N, Withheld: row.N.Withheld}, exact[row.Code.ID], row.Code.Position})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		if a.exact != b.exact {
			return cmp.Compare(b.exact, a.exact)
		}
		return cmp.Compare(a.pos, b.pos)
	})
	out := make([]results.Share, 0, min(len(all), 10))
	for _, r := range all[:min(len(all), 10)] {
		out = append(out, r.share)
	}
	return out, nil
}
