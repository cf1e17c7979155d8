// Package export writes every response of a consultation — channel,
// group, organisation, received time, source reference, answers and, for
// emails and letters, the segments of their text — as JSON, CSV or XLSX.
// It streams a page of responses at a time, so a million responses cost
// the memory of one page.
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
)

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

// Each calls fn for every response of c, in id order.
func Each(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, fn func(*Response) error) error {
	q := db.New(pool)
	themes := map[int32]string{}
	for _, t := range c.Themes {
		themes[t.ID] = t.Slug
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
				Subject: r.Subject, PublicationConsent: r.PublicationConsent, Answers: map[string]string{},
			}
			if string(r.Attachments) != "[]" {
				resp.Attachments = r.Attachments
			}
			page[r.ID], out[i] = resp, resp
		}
		answers, err := q.ExportAnswers(ctx, ids)
		if err != nil {
			return fmt.Errorf("export: answers: %w", err)
		}
		for _, a := range answers {
			v := a.OptionSlug
			if a.Text != nil {
				v = *a.Text
			}
			page[a.ResponseID].Answers[a.Code] = v
		}
		segs, err := q.ResponseSegments(ctx, ids)
		if err != nil {
			return fmt.Errorf("export: segments: %w", err)
		}
		for _, s := range segs {
			seg := Segment{Start: s.StartOffset, End: s.EndOffset, Question: s.QuestionCode, How: s.How, Text: s.Text}
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

// Write exports c's responses to w in format.
func Write(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, format string, w io.Writer) error {
	switch format {
	case "json":
		return writeJSON(ctx, pool, c, w)
	case "csv":
		return writeCSV(ctx, pool, c, w)
	case "xlsx":
		return writeXLSX(ctx, pool, c, w)
	}
	return fmt.Errorf("export: format %q: want json, csv or xlsx", format)
}

func writeJSON(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, w io.Writer) error {
	if _, err := fmt.Fprintf(w, "{\"consultation\": %q, \"responses\": [", c.Slug); err != nil {
		return err
	}
	first := true
	err := Each(ctx, pool, c, func(r *Response) error {
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
