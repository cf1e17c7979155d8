package batchimport

import (
	"context"
	"strings"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/segment"
)

// importer turns the items of one file into responses and queues them.
type importer struct {
	q     *db.Queries
	o     Options
	rep   *Report
	w     *ingest.Writer
	c     *consultation.Consultation
	items map[string]string // source ref -> item, for the report
	// openFor maps a question (closed or open) or a theme to the open
	// question its text counts towards.
	openFor      map[string]*consultation.Question
	openForTheme map[string]*consultation.Question
	target       segment.Target
}

func newImporter(q *db.Queries, o Options, rep *Report) *importer {
	c := o.Consultation
	imp := &importer{
		q: q, o: o, rep: rep, c: c,
		w:            ingest.NewWriter(q, c),
		items:        map[string]string{},
		openFor:      map[string]*consultation.Question{},
		openForTheme: map[string]*consultation.Question{},
		target:       segment.FromConsultation(c),
	}
	imp.w.AfterBatch = imp.afterBatch
	perTheme := map[string][]*consultation.Question{}
	for _, qu := range c.Questions {
		if qu.Kind != "open" {
			continue
		}
		imp.openFor[strings.ToLower(qu.Code)] = qu
		if qu.Explains != nil {
			imp.openFor[strings.ToLower(qu.Explains.Code)] = qu
		}
		if qu.Theme != nil {
			perTheme[qu.Theme.Slug] = append(perTheme[qu.Theme.Slug], qu)
		}
	}
	// A theme's text counts towards its open question only when there
	// is exactly one: otherwise it stays a theme segment for analysts.
	for slug, qs := range perTheme {
		if len(qs) == 1 {
			imp.openForTheme[slug] = qs[0]
		}
	}
	return imp
}

// problem records a problem with an item.
func (imp *importer) problem(item, field, value, reason string) {
	imp.rep.Problems = append(imp.rep.Problems, Problem{Item: item, Field: field, Value: value, Reason: reason})
}

// add validates r and queues it, or records why it cannot be imported.
func (imp *importer) add(ctx context.Context, item string, r ingest.Response) error {
	if err := imp.w.Validate(&r); err != nil {
		imp.problem(item, "", "", strings.TrimPrefix(err.Error(), "ingest: "))
		imp.rep.Rejected++
		return nil
	}
	imp.items[r.SourceRef] = item
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
	return nil
}
