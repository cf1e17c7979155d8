package batchimport

import (
	"context"
	"strings"
	"unicode"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/segment"
)

// importer turns the items of one file into responses and queues them.
type importer struct {
	q      *db.Queries
	o      Options
	rep    *Report
	w      *ingest.Writer
	c      *consultation.Consultation
	m      *mapping
	target segment.Target
}

// mapping says which open question a segment's text counts towards.
type mapping struct {
	c *consultation.Consultation
	// openFor maps a question code (closed or open, lower case) to the
	// open question its text counts towards; openForTheme a theme slug.
	openFor      map[string]*consultation.Question
	openForTheme map[string]*consultation.Question
}

func newMapping(c *consultation.Consultation) *mapping {
	m := &mapping{c: c, openFor: map[string]*consultation.Question{}, openForTheme: map[string]*consultation.Question{}}
	perTheme := map[string][]*consultation.Question{}
	for _, qu := range c.Questions {
		if qu.Kind != "open" {
			continue
		}
		m.openFor[strings.ToLower(qu.Code)] = qu
		if qu.Explains != nil {
			m.openFor[strings.ToLower(qu.Explains.Code)] = qu
		}
		if qu.Theme != nil {
			perTheme[qu.Theme.Slug] = append(perTheme[qu.Theme.Slug], qu)
		}
	}
	// A theme's text counts towards its open question only when there
	// is exactly one: otherwise it stays a theme segment for analysts.
	for slug, qs := range perTheme {
		if len(qs) == 1 {
			m.openForTheme[slug] = qs[0]
		}
	}
	return m
}

// open is the open question a segment about questionCode (or, without
// one, about themeSlug) counts towards, or nil.
func (m *mapping) open(questionCode, themeSlug string) *consultation.Question {
	if questionCode != "" {
		return m.openFor[strings.ToLower(questionCode)]
	}
	return m.openForTheme[themeSlug]
}

// textAnswers joins the segments' texts per open question, in order.
func (m *mapping) textAnswers(segs []attributed) []ingest.Answer {
	texts := map[*consultation.Question][]string{}
	var order []*consultation.Question
	for _, sg := range segs {
		open := m.open(sg.question, sg.theme)
		if open == nil || !hasWords(sg.text) {
			continue
		}
		if _, ok := texts[open]; !ok {
			order = append(order, open)
		}
		texts[open] = append(texts[open], strings.TrimSpace(sg.text))
	}
	var out []ingest.Answer
	for _, qu := range order {
		t := strings.Join(texts[qu], "\n\n")
		out = append(out, ingest.Answer{QuestionID: qu.ID, Text: &t})
	}
	return out
}

// attributed is a segment's text and what it is about.
type attributed struct {
	question, theme, text string
}

func newImporter(q *db.Queries, o Options, rep *Report) *importer {
	c := o.Consultation
	imp := &importer{
		q: q, o: o, rep: rep, c: c,
		w:      ingest.NewWriter(q, c),
		m:      newMapping(c),
		target: segment.FromConsultation(c),
	}
	imp.w.AfterBatch = imp.afterBatch
	return imp
}

// problem records a problem with an item.
func (imp *importer) problem(item, field, value, reason string) {
	imp.rep.Problems = append(imp.rep.Problems, Problem{Item: item, Field: field, Value: value, Reason: reason}.safe())
}

// add validates r and queues it, or records why it cannot be imported.
func (imp *importer) add(ctx context.Context, item string, r ingest.Response) error {
	if err := imp.w.Validate(&r); err != nil {
		imp.problem(item, "", "", strings.TrimPrefix(err.Error(), "ingest: "))
		imp.rep.Rejected++
		return nil
	}
	r.Item = item
	return imp.w.Add(ctx, r)
}

// afterBatch stores what mail imports know about each response: its
// source and its segments, with the response's new id.
func (imp *importer) afterBatch(ctx context.Context, q *db.Queries, ids []int64, written []ingest.Response) error {
	var sources []db.CopySourcesParams
	var segs []db.CopySegmentsParams
	for i, r := range written {
		src, ok := r.Source.(*mailSource)
		if !ok {
			continue
		}
		src.row.ResponseID = ids[i]
		sources = append(sources, src.row)
		for j, sg := range src.segments {
			sg.ResponseID, sg.Position = ids[i], int32(j+1)
			segs = append(segs, sg)
		}
	}
	if len(sources) > 0 {
		if _, err := q.CopySources(ctx, sources); err != nil {
			return err
		}
	}
	if len(segs) > 0 {
		if _, err := q.CopySegments(ctx, segs); err != nil {
			return err
		}
	}
	return imp.afterScans(ctx, q, ids, written) // scanned letters (#17)
}

// hasWords reports whether s holds a letter or digit: a reference or a
// stated answer with only punctuation after it explains nothing.
func hasWords(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
