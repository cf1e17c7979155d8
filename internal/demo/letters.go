package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/personal"
	"heard/internal/segment"
)

// The demo's emails and letters are written from their own answers, in
// three shapes that letters really come in: under the strategy's theme
// headings, question by question ("Q1b: ..."), and free-form. The first
// two are split by the importers' own segmenter, so their parts are
// attributed exactly as an import would attribute them; free-form text
// names nothing, so its paragraphs carry an analyst's attribution
// ("corrected"), as they would after an analyst read the letter. Their
// answers are the demo responses' answers, unchanged: every published
// figure stays as it was.
const (
	shapeThemes = iota
	shapeQuestions
	shapeFreeForm
)

// Letter is one demo email or letter: its text and how it is split.
type Letter struct {
	SourceRef, Channel string
	Shape              int
	SenderName         string
	SenderAddress      string
	Subject            string
	Text               string
	Segments           []segment.Segment
}

// Letters writes the text of every email and letter among responses.
func Letters(c *consultation.Consultation, responses []ingest.Response) []Letter {
	byID := map[int32]*consultation.Question{}
	for _, q := range c.Questions {
		byID[q.ID] = q
	}
	target := segment.FromConsultation(c)
	var out []Letter
	k := 0
	for _, r := range responses {
		if r.Channel != "email" && r.Channel != "letter" {
			continue
		}
		var parts []part
		for _, a := range r.Answers {
			if q := byID[a.QuestionID]; a.Text != nil && q != nil {
				parts = append(parts, part{q: q, text: *a.Text})
			}
		}
		l := Letter{SourceRef: r.SourceRef, Channel: r.Channel, Shape: k % 3}
		name := senderNames[k%len(senderNames)]
		l.SenderName = name
		if r.Channel == "email" {
			l.SenderAddress = strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@" + senderDomain(r)
			l.Subject = "Response to the CQC strategy consultation"
		} else {
			l.Subject = "Letter, typed up from paper"
		}
		l.Text = letterText(l.Shape, name, r.Organisation, parts)
		if l.Shape == shapeFreeForm {
			l.Segments = freeFormSegments(l.Text, parts)
		} else {
			l.Segments, _ = segment.Split(l.Text, target)
		}
		out = append(out, l)
		k++
	}
	return out
}

type part struct {
	q    *consultation.Question
	text string
}

func senderDomain(r ingest.Response) string {
	if r.OnBehalfOfOrg && strings.HasPrefix(r.Organisation, "CQC ") {
		return "cqc.org.uk"
	}
	if r.OnBehalfOfOrg {
		return "example.org"
	}
	return "example.com"
}

var senderNames = []string{"Alex Morgan", "Sam Patel", "Jo Williams", "Chris Okafor", "Pat Hughes", "Robin Shah",
	"Jamie Evans", "Taylor Brown", "Morgan Davies", "Casey Ahmed", "Jordan Clarke", "Riley Thompson"}

var openings = []string{
	"Thank you for the opportunity to comment on your draft strategy. Our views on each part are set out below.",
	"I am writing in response to your consultation on the new strategy. I have read the document and want to share my views.",
	"Please accept this as our response to the consultation. We discussed the strategy with colleagues before writing.",
}

func letterText(shape int, name, org string, parts []part) string {
	var b strings.Builder
	sign := name
	if org != "" {
		sign += "\n" + org
	}
	switch shape {
	case shapeThemes:
		b.WriteString("Dear Sir or Madam,\n\n" + openings[len(parts)%len(openings)] + "\n\n")
		for _, p := range parts {
			if p.q.Theme != nil {
				b.WriteString(p.q.Theme.Title + "\n\n")
			}
			b.WriteString(p.text + "\n\n")
		}
		b.WriteString("Yours faithfully,\n\n" + sign + "\n")
	case shapeQuestions:
		b.WriteString("Response to the CQC strategy consultation\n\n")
		for _, p := range parts {
			b.WriteString(p.q.Code + ": " + p.text + "\n\n")
		}
		b.WriteString("Kind regards,\n" + sign + "\n")
	default:
		b.WriteString("Dear CQC,\n\n")
		for _, p := range parts {
			b.WriteString(p.text + "\n\n")
		}
		b.WriteString("Best wishes,\n" + sign + "\n")
	}
	return b.String()
}

// freeFormSegments attributes each answer's paragraph to its question,
// as an analyst would; the greeting and sign-off are general comments.
func freeFormSegments(text string, parts []part) []segment.Segment {
	var segs []segment.Segment
	at := 0
	general := func(end int) {
		if s := strings.TrimSpace(text[at:end]); s != "" {
			start := at + strings.Index(text[at:end], s)
			segs = append(segs, segment.Segment{Start: start, End: start + len(s), Text: s, General: true, How: segment.HowNone})
		}
	}
	for _, p := range parts {
		i := at + strings.Index(text[at:], p.text)
		general(i)
		sg := segment.Segment{Start: i, End: i + len(p.text), Text: p.text, QuestionCode: p.q.Code, How: "corrected"}
		if p.q.Theme != nil {
			sg.ThemeSlug = p.q.Theme.Slug
		}
		segs = append(segs, sg)
		at = sg.End
	}
	general(len(text))
	return segs
}

// storeLetters gives the demo's emails and letters their text, once: a
// database that already has them is left alone. They are filed under two
// import batches, so that admins find them on the Imports page.
func storeLetters(ctx context.Context, q *db.Queries, c *consultation.Consultation, letters []Letter) error {
	done, err := q.DemoHasSources(ctx, c.ID)
	if err != nil || done {
		return err
	}
	themeID := map[string]*int32{}
	for _, t := range c.Themes {
		themeID[t.Slug] = &t.ID
	}
	for _, ch := range []struct{ channel, file, format string }{
		{"email", "cqc-2021-demo-emails.mbox", "mbox"},
		{"letter", "cqc-2021-demo-letters.csv", "csv"},
	} {
		var refs []string
		byRef := map[string]Letter{}
		for _, l := range letters {
			if l.Channel == ch.channel {
				refs = append(refs, l.SourceRef)
				byRef[l.SourceRef] = l
			}
		}
		rows, err := q.DemoResponseIDs(ctx, db.DemoResponseIDsParams{ConsultationID: c.ID, Channel: db.Channel(ch.channel), Refs: refs})
		if err != nil {
			return fmt.Errorf("demo: find %s responses: %w", ch.channel, err)
		}
		sum := sha256.Sum256([]byte(strings.Join(refs, "\n")))
		channel := db.Channel(ch.channel)
		batch, err := q.DemoInsertBatch(ctx, db.DemoInsertBatchParams{
			ConsultationID: c.ID, FileName: ch.file, Sha256: hex.EncodeToString(sum[:]), Format: ch.format, Channel: &channel, Imported: int32(len(rows)),
		})
		if err != nil {
			return fmt.Errorf("demo: batch of %s: %w", ch.channel, err)
		}
		var ids []int64
		var sources []db.DemoInsertSourcesParams
		var segs []db.DemoInsertSegmentsParams
		for _, r := range rows {
			l := byRef[r.SourceRef]
			ids = append(ids, r.ID)
			h := sha256.Sum256([]byte(l.Text))
			sources = append(sources, db.DemoInsertSourcesParams{
				ConsultationID: c.ID, ResponseID: r.ID, SenderName: l.SenderName, SenderAddress: l.SenderAddress,
				Subject: l.Subject, MessageID: "<" + l.SourceRef + "@demo.heard.invalid>", FullText: l.Text, TextHash: hex.EncodeToString(h[:]),
			})
			for i, sg := range l.Segments {
				// Offsets count characters, as the importers store them.
				start := int32(utf8.RuneCountInString(l.Text[:sg.Start]))
				row := db.DemoInsertSegmentsParams{
					ConsultationID: c.ID, ResponseID: r.ID, Position: int32(i + 1), How: sg.How,
					StartOffset: start, EndOffset: start + int32(utf8.RuneCountInString(sg.Text)),
				}
				if qu := c.Question(sg.QuestionCode); sg.QuestionCode != "" && qu != nil {
					row.QuestionID = &qu.ID
				}
				row.ThemeID = themeID[sg.ThemeSlug]
				segs = append(segs, row)
			}
		}
		if err := q.DemoSetBatch(ctx, db.DemoSetBatchParams{BatchID: &batch, Ids: ids}); err != nil {
			return fmt.Errorf("demo: file %s responses: %w", ch.channel, err)
		}
		if _, err := q.DemoInsertSources(ctx, sources); err != nil {
			return fmt.Errorf("demo: %s texts: %w", ch.channel, err)
		}
		if _, err := q.DemoInsertSegments(ctx, segs); err != nil {
			return fmt.Errorf("demo: %s segments: %w", ch.channel, err)
		}
		// The texts were stored after the responses: detect in them now.
		if err := personal.Rescan(ctx, q, c.ID, ids); err != nil {
			return fmt.Errorf("demo: %s: %w", ch.channel, err)
		}
	}
	return nil
}
