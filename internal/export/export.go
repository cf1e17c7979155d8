// Package export writes every response of a consultation — channel,
// group, organisation, received time, source reference, answers and, for
// emails and letters, the segments of their text — as JSON, CSV or XLSX.
// It streams a page of responses at a time, so a million responses cost
// the memory of one page.
//
// Every export says whether personal data is removed from it, in the
// way its format allows (README, "Exports and personal data"): the file
// name (-redacted / -not-redacted), a personal_data column in CSV and
// XLSX (plus an "About this file" sheet), a personal_data field in JSON.
package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/personal"
)

// Redaction says whether an export removes personal data.
type Redaction int

const (
	// NotRedacted is the text as received, for analysts' own work.
	NotRedacted Redaction = iota
	// Redacted replaces every span of personal data not dismissed by an
	// analyst with its label ("[name removed]"), as published pages do;
	// senders' names and addresses are removed and attachments' names left
	// out.
	Redacted
)

// Label is the value of the personal_data column and field.
func (r Redaction) Label() string {
	if r == Redacted {
		return "redacted"
	}
	return "not redacted"
}

// Note is the sentence that explains the file's redaction to its reader.
func (r Redaction) Note() string {
	if r == Redacted {
		return "Personal data is removed from this file: names, email addresses, phone numbers, postcodes, NHS and National Insurance numbers and dates of birth found in the texts (and any an analyst added) are replaced by labels such as [name removed]; senders' names and addresses are removed and attachments are not listed. Organisations' names are kept."
	}
	return "This file is NOT redacted: it holds the responses' personal data as received. Keep it to analysts; use the redacted export to share responses."
}

// MergedNote says how the export treats merged repeats (#15).
const MergedNote = "Merged repeats are in this file, marked: merged_into holds the id of the response each was merged into (empty for every response that counts). They count in no figure; leave out the rows with a merged_into to count as the figures do."

// FileName is the download's name: the slug, what, and the redaction.
func (r Redaction) FileName(slug, format string) string {
	suffix := "-not-redacted"
	if r == Redacted {
		suffix = "-redacted"
	}
	return slug + "-responses" + suffix + "." + format
}

// Formats lists the export formats.
var Formats = []string{"json", "csv", "xlsx"}

// Response is one exported response.
type Response struct {
	ID             int64           `json:"id"`
	Channel        string          `json:"channel"`
	Group          string          `json:"respondent_group"`
	SuggestedGroup string          `json:"suggested_group,omitempty"`
	OnBehalfOfOrg  bool            `json:"on_behalf_of_organisation"`
	Organisation   string          `json:"organisation,omitempty"`
	ReceivedAt     time.Time       `json:"received_at"`
	SourceRef      string          `json:"source_ref"`
	BatchID        *int64          `json:"batch_id,omitempty"`
	SenderName     string          `json:"sender_name,omitempty"`
	SenderAddress  string          `json:"sender_address,omitempty"`
	Subject        string          `json:"subject,omitempty"`
	Attachments    json.RawMessage `json:"attachments,omitempty"`
	// PublicationConsent is the webform's answer to the publication
	// question: yes, no, or empty where it was not asked or not given.
	PublicationConsent string            `json:"publication_consent,omitempty"`
	Answers            map[string]string `json:"answers"` // question code -> option slug or text
	Segments           []Segment         `json:"segments,omitempty"`
	// MergedInto is, for a merged repeat (#15), the id of the response
	// it repeats: it stays in the export, marked, and counts nowhere.
	MergedInto *int64 `json:"merged_into,omitempty"`
}

// Segment is a run of an email or letter's text and what it is about.
// Start and End are character offsets into the response's full text.
type Segment struct {
	Start    int32  `json:"start"`
	End      int32  `json:"end"`
	Question string `json:"question,omitempty"`
	Theme    string `json:"theme,omitempty"`
	How      string `json:"how"`
	Text     string `json:"text"`
}

const pageSize = 1000

// Each calls fn for every response of c, in id order, redacted if red
// says so.
func Each(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, red Redaction, fn func(*Response) error) error {
	q := db.New(pool)
	themes := map[int32]string{}
	for _, t := range c.Themes {
		themes[t.ID] = t.Slug
	}
	questions := map[string]int32{}
	for _, qu := range c.Questions {
		questions[qu.Code] = qu.ID
	}
	var after int64
	for {
		rows, err := q.ExportResponses(ctx, db.ExportResponsesParams{ConsultationID: c.ID, After: after, PageSize: pageSize})
		if err != nil {
			return fmt.Errorf("export: responses: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]int64, len(rows))
		page := make(map[int64]*Response, len(rows))
		out := make([]*Response, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			resp := &Response{
				ID: r.ID, Channel: string(r.Channel), Group: r.GroupSlug, SuggestedGroup: r.SuggestedGroup,
				OnBehalfOfOrg: r.OnBehalfOfOrg, Organisation: r.Organisation, ReceivedAt: r.ReceivedAt.UTC(),
				SourceRef: r.SourceRef, BatchID: r.BatchID, SenderName: r.SenderName, SenderAddress: r.SenderAddress,
				Subject: r.Subject, PublicationConsent: r.PublicationConsent, Answers: map[string]string{}, MergedInto: r.MergedInto,
			}
			if string(r.Attachments) != "[]" {
				resp.Attachments = r.Attachments
			}
			page[r.ID], out[i] = resp, resp
		}
		var rs personal.Redactions
		if red == Redacted {
			if rs, err = personal.LoadRedactions(ctx, q, ids); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			for _, r := range out {
				redactSender(r)
			}
		}
		answers, err := q.ExportAnswers(ctx, ids)
		if err != nil {
			return fmt.Errorf("export: answers: %w", err)
		}
		for _, a := range answers {
			v := a.OptionSlug
			if a.Text != nil {
				v = *a.Text
				if red == Redacted {
					v = rs.Text(a.ResponseID, questions[a.Code], v)
				}
			}
			page[a.ResponseID].Answers[a.Code] = v
		}
		segs, err := q.ExportSegments(ctx, ids)
		if err != nil {
			return fmt.Errorf("export: segments: %w", err)
		}
		for _, s := range segs {
			text := s.Text
			if red == Redacted {
				text = rs.Part(s.ResponseID, 0, text, int(s.StartByte))
			}
			seg := Segment{Start: s.StartOffset, End: s.EndOffset, Question: s.QuestionCode, How: s.How, Text: text}
			if s.ThemeID != nil {
				seg.Theme = themes[*s.ThemeID]
			}
			page[s.ResponseID].Segments = append(page[s.ResponseID].Segments, seg)
		}
		for _, r := range out {
			if err := fn(r); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}

// redactSender removes what identifies the sender of an email or
// letter; the subject line keeps its words but not the personal data
// the detector finds in it (subjects have no stored spans).
func redactSender(r *Response) {
	if r.SenderName != "" {
		r.SenderName = personal.KindName.Label()
	}
	if r.SenderAddress != "" {
		r.SenderAddress = personal.KindEmail.Label()
	}
	r.Subject = personal.Redact(r.Subject, personal.Detect(r.Subject))
	r.Attachments = nil
}

// Write exports c's responses to w in format, redacted or not.
func Write(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, format string, red Redaction, w io.Writer) error {
	switch format {
	case "json":
		return writeJSON(ctx, pool, c, red, w)
	case "csv":
		return writeCSV(ctx, pool, c, red, w)
	case "xlsx":
		return writeXLSX(ctx, pool, c, red, w)
	}
	return fmt.Errorf("export: format %q: want json, csv or xlsx", format)
}

func writeJSON(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, red Redaction, w io.Writer) error {
	if _, err := fmt.Fprintf(w, "{\"consultation\": %q, \"personal_data\": %q, \"about\": %q, \"merged_repeats\": %q, \"responses\": [", c.Slug, red.Label(), red.Note(), MergedNote); err != nil {
		return err
	}
	first := true
	err := Each(ctx, pool, c, red, func(r *Response) error {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		sep := ",\n"
		if first {
			sep, first = "\n", false
		}
		_, err = io.WriteString(w, sep+string(b))
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]}\n")
	return err
}
