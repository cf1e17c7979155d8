package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

// The demo's letters are split as an import would split them: every
// answer a letter carries is attributed to its question (or its theme) by
// a part of the letter, and no part claims a question it does not answer.
func TestDemoLettersAreAttributedToTheirAnswers(t *testing.T) {
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c := structure(def)
	responses, err := demo.Responses(c)
	if err != nil {
		t.Fatal(err)
	}
	letters := demo.Letters(c, responses)
	if len(letters) != 114 {
		t.Fatalf("%d letters, want 114", len(letters))
	}
	shapes := map[int]int{}
	byRef := map[string]int{}
	for i, r := range responses {
		byRef[r.SourceRef] = i
	}
	for _, l := range letters {
		shapes[l.Shape]++
		answered := map[string]bool{}
		for _, a := range responses[byRef[l.SourceRef]].Answers {
			if a.Text != nil {
				answered[codeOf(c, a.QuestionID)] = true
			}
		}
		covered := map[string]bool{}
		for _, sg := range l.Segments {
			if l.Text[sg.Start:sg.End] != sg.Text {
				t.Fatalf("%s: segment offsets do not match its text", l.SourceRef)
			}
			code := sg.QuestionCode
			if code == "" && sg.ThemeSlug != "" {
				code = openOfTheme(c, sg.ThemeSlug)
			}
			if code == "" {
				continue
			}
			if !answered[code] {
				t.Errorf("%s (shape %d): a part is attributed to %s, which it does not answer:\n%s", l.SourceRef, l.Shape, code, sg.Text)
			}
			covered[code] = true
		}
		for code := range answered {
			if !covered[code] {
				t.Errorf("%s (shape %d): its answer to %s is in no attributed part", l.SourceRef, l.Shape, code)
			}
		}
		if !strings.Contains(l.Text, "\n\n") || l.SenderName == "" {
			t.Errorf("%s: not a letter: %q", l.SourceRef, l.Text)
		}
	}
	if shapes[0] == 0 || shapes[1] == 0 || shapes[2] == 0 {
		t.Errorf("letter shapes %v: want theme headings, question by question and free-form", shapes)
	}
}

// The demo has an open copy to try the form, events with notes that its
// event responses belong to, and letters with text; the CQC figures stay
// exact (TestDemoReproducesPublishedFigures checks them all after this
// same Load).
func TestDemoShowsEveryPart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := demo.Load(ctx, pool); err != nil {
		t.Fatalf("second load: %v", err)
	}
	svc := &consultation.Service{Pool: pool}
	open, err := svc.Get(ctx, demo.OpenSlug)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if open.Status != "open" || open.OpensOn.After(now) || open.ClosesOn.Before(now.AddDate(0, 6, 0)) {
		t.Errorf("open copy: %s from %s to %s", open.Status, open.OpensOn, open.ClosesOn)
	}
	table, err := (&results.Service{Pool: pool}).Counts(ctx, open, results.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := table.Overview().Total; n != 0 {
		t.Errorf("open copy has %d responses", n)
	}
	var events, linked, notes, sources, segments, batches int
	err = pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM events WHERE consultation_id = $1),
		(SELECT count(*) FROM responses WHERE consultation_id = $1 AND event_id IS NOT NULL),
		(SELECT count(*) FROM event_notes WHERE consultation_id = $1),
		(SELECT count(*) FROM response_sources WHERE consultation_id = $1),
		(SELECT count(*) FROM segments WHERE consultation_id = $1),
		(SELECT count(*) FROM import_batches WHERE consultation_id = $1)`, c.ID).Scan(&events, &linked, &notes, &sources, &segments, &batches)
	if err != nil {
		t.Fatal(err)
	}
	if events != 8 || linked != 65 || notes != 10 || sources != 114 || segments < 300 || batches != 2 {
		t.Errorf("events %d (want 8), linked responses %d (65), notes %d (10), letters %d (114), segments %d (≥300), batches %d (2)",
			events, linked, notes, sources, segments, batches)
	}
}

func codeOf(c *consultation.Consultation, id int32) string {
	for _, q := range c.Questions {
		if q.ID == id {
			return q.Code
		}
	}
	return ""
}

func openOfTheme(c *consultation.Consultation, slug string) string {
	for _, q := range c.Questions {
		if q.Kind == "open" && q.Theme != nil && q.Theme.Slug == slug {
			return q.Code
		}
	}
	return ""
}

// structure builds the consultation a definition describes, with made-up
// ids, without a database.
func structure(d *consultation.Definition) *consultation.Consultation {
	c := &consultation.Consultation{Slug: d.Slug, Title: d.Title}
	themes := map[string]*consultation.Theme{}
	for i, t := range d.Themes {
		th := &consultation.Theme{ID: int32(i + 1), Slug: t.Slug, Title: t.Title}
		themes[t.Slug] = th
		c.Themes = append(c.Themes, th)
	}
	scales := map[string]*consultation.Scale{}
	id := int32(100)
	for _, s := range d.Scales {
		sc := &consultation.Scale{ID: id, Slug: s.Slug}
		for _, o := range s.Options {
			id++
			sc.Options = append(sc.Options, &consultation.Option{ID: id, Slug: o.Slug, Label: o.Label, NoView: o.NoView})
		}
		scales[s.Slug] = sc
		id++
	}
	for i, g := range d.RespondentGroups {
		c.Groups = append(c.Groups, &consultation.Group{ID: int32(200 + i), Slug: g.Slug, Label: g.Label})
	}
	for i, q := range d.Questions {
		qu := &consultation.Question{ID: int32(300 + i), Code: q.Code, Kind: q.Kind, Prompt: q.Prompt, Theme: themes[q.Theme]}
		if q.Scale != "" {
			qu.Scale = scales[q.Scale]
		}
		c.Questions = append(c.Questions, qu)
	}
	return c
}
