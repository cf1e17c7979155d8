package personal

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
)

// Found is everything Heard holds that mentions a person, for a subject
// access request.
type Found struct {
	Term string `json:"searched_for"`
	// PersonalData says the bundle is not redacted, and what to check.
	PersonalData string           `json:"personal_data"`
	Responses    []FoundResponse  `json:"responses"`
	Drafts       []FoundDraft     `json:"webform_drafts"`
	Uploads      []FoundUpload    `json:"uploaded_files"`
	Audit        []FoundAuditItem `json:"audit_records"`

	raws  map[int64][]byte // response id -> raw message
	scans []db.SubjectScansRow
}

// FoundResponse is one response with its answers and source.
type FoundResponse struct {
	ID            int64             `json:"id"`
	Consultation  string            `json:"consultation"`
	Channel       string            `json:"channel"`
	Reference     string            `json:"reference"`
	Organisation  string            `json:"organisation,omitempty"`
	OnBehalfOfOrg bool              `json:"on_behalf_of_organisation"`
	Received      time.Time         `json:"received_at"`
	SenderName    string            `json:"sender_name,omitempty"`
	SenderAddress string            `json:"sender_address,omitempty"`
	Subject       string            `json:"subject,omitempty"`
	FullText      string            `json:"full_text,omitempty"`
	Answers       map[string]string `json:"answers"`
	RawFile       string            `json:"raw_file,omitempty"` // its name in the bundle
	Scans         []string          `json:"scans,omitempty"`
	Erased        bool              `json:"erased"`
}

// FoundDraft is a webform draft or the record a sent one keeps.
type FoundDraft struct {
	Consultation       string          `json:"consultation"`
	Reference          string          `json:"reference"`
	Answers            json.RawMessage `json:"answers"`
	Created            time.Time       `json:"created_at"`
	Updated            time.Time       `json:"updated_at"`
	Submitted          *time.Time      `json:"submitted_at,omitempty"`
	PublicationConsent string          `json:"publication_consent,omitempty"`
}

// FoundUpload is an uploaded file still held, with only its lines that
// mention the person: the rest is other people's data.
type FoundUpload struct {
	ID    int64    `json:"id"`
	File  string   `json:"file_name"`
	Lines []string `json:"matching_lines"`
}

// FoundAuditItem is one audit record that mentions the person.
type FoundAuditItem struct {
	At           time.Time       `json:"at"`
	Actor        string          `json:"actor"`
	Action       string          `json:"action"`
	Consultation string          `json:"consultation,omitempty"`
	Record       string          `json:"record,omitempty"`
	Detail       json.RawMessage `json:"detail"`
}

// BundleNote is the subject access bundle's statement on redaction.
const BundleNote = "not redacted: everything Heard holds that mentions the person searched for, as received. Before sending it, remove other people's personal data (UK GDPR Article 15(4))."

// Count is how many items were found.
func (f *Found) Count() int {
	return len(f.Responses) + len(f.Drafts) + len(f.Uploads) + len(f.Audit)
}

// likePattern makes term a LIKE pattern matching it anywhere.
func likePattern(term string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(term) + "%"
}

// minTerm stops a search for "a" returning everyone.
const minTerm = 3

// Search finds everything about the person term names: an email
// address, a name, a reference number or an organisation, across
// responses (answers, emails' and letters' texts and raw files, scans),
// webform drafts, uploaded files still held and the audit log.
func (s *Service) Search(ctx context.Context, term string) (*Found, error) {
	term = strings.TrimSpace(term)
	if len([]rune(term)) < minTerm {
		return nil, &InvalidError{"term", "Enter an email address, name, reference number or organisation of at least 3 characters"}
	}
	q := db.New(s.Pool)
	pat := likePattern(term)
	f := &Found{Term: term, PersonalData: BundleNote, raws: map[int64][]byte{}}
	ids, err := q.SubjectResponseIDs(ctx, db.SubjectResponseIDsParams{Term: term, Pattern: pat, Keys: searchKeys(term)})
	if err != nil {
		return nil, fmt.Errorf("personal: search responses: %w", err)
	}
	if len(ids) > 0 {
		if err := s.loadResponses(ctx, q, f, ids); err != nil {
			return nil, err
		}
	}
	var refs []string
	for _, r := range f.Responses {
		if r.Channel == "webform" {
			refs = append(refs, r.Reference)
		}
	}
	drafts, err := q.SubjectDrafts(ctx, db.SubjectDraftsParams{Term: term, Pattern: pat, Refs: refs})
	if err != nil {
		return nil, fmt.Errorf("personal: search drafts: %w", err)
	}
	for _, d := range drafts {
		f.Drafts = append(f.Drafts, FoundDraft{Consultation: d.Slug, Reference: d.Reference, Answers: d.Answers, Created: d.CreatedAt,
			Updated: d.UpdatedAt, Submitted: d.SubmittedAt, PublicationConsent: d.PublicationConsent})
	}
	uploads, err := q.SubjectUploads(ctx, term)
	if err != nil {
		return nil, fmt.Errorf("personal: search uploads: %w", err)
	}
	for _, u := range uploads {
		fu := FoundUpload{ID: u.ID, File: u.FileName}
		for _, line := range strings.Split(string(u.Data), "\n") {
			if strings.Contains(line, term) {
				fu.Lines = append(fu.Lines, strings.TrimRight(line, "\r"))
			}
		}
		f.Uploads = append(f.Uploads, fu)
	}
	items, err := q.SubjectAudit(ctx, db.SubjectAuditParams{Term: term, Pattern: pat})
	if err != nil {
		return nil, fmt.Errorf("personal: search audit log: %w", err)
	}
	for _, a := range items {
		rec := ""
		if a.RecordType != "" {
			rec = a.RecordType + " " + a.RecordID
		}
		f.Audit = append(f.Audit, FoundAuditItem{At: a.At, Actor: a.Actor, Action: a.Action, Consultation: a.Slug, Record: rec, Detail: a.Detail})
	}
	return f, nil
}

func (s *Service) loadResponses(ctx context.Context, q *db.Queries, f *Found, ids []int64) error {
	rows, err := q.SubjectResponses(ctx, ids)
	if err != nil {
		return fmt.Errorf("personal: read found responses: %w", err)
	}
	answers, err := q.SubjectAnswers(ctx, ids)
	if err != nil {
		return fmt.Errorf("personal: read found answers: %w", err)
	}
	scans, err := q.SubjectScans(ctx, ids)
	if err != nil {
		return fmt.Errorf("personal: read found scans: %w", err)
	}
	f.scans = scans
	for _, r := range rows {
		fr := FoundResponse{ID: r.ID, Consultation: r.Slug, Channel: r.Channel, Reference: r.SourceRef, Organisation: r.Organisation,
			OnBehalfOfOrg: r.OnBehalfOfOrg, Received: r.ReceivedAt, SenderName: r.SenderName, SenderAddress: r.SenderAddress,
			Subject: r.Subject, FullText: r.FullText, Answers: map[string]string{}, Erased: r.Erased}
		for _, a := range answers {
			if a.ResponseID == r.ID {
				fr.Answers[a.Code] = a.Answer
			}
		}
		if len(r.Raw) > 0 {
			fr.RawFile = fmt.Sprintf("raw/response-%d.eml", r.ID)
			f.raws[r.ID] = r.Raw
		}
		for _, sc := range scans {
			if sc.ResponseID == r.ID {
				fr.Scans = append(fr.Scans, scanName(sc))
			}
		}
		f.Responses = append(f.Responses, fr)
	}
	return nil
}

func scanName(sc db.SubjectScansRow) string {
	return fmt.Sprintf("scans/response-%d-%d-%s", sc.ResponseID, sc.ID, path.Base(sc.FileName))
}

// WriteBundle writes f as a ZIP: subject-access.json with everything
// found, the raw messages and the scanned letters beside it.
func (f *Found) WriteBundle(w io.Writer) error {
	z := zip.NewWriter(w)
	j, err := z.Create("subject-access.json")
	if err != nil {
		return fmt.Errorf("personal: bundle: %w", err)
	}
	enc := json.NewEncoder(j)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("personal: bundle json: %w", err)
	}
	for _, r := range f.Responses {
		if r.RawFile == "" {
			continue
		}
		fw, err := z.Create(r.RawFile)
		if err != nil {
			return fmt.Errorf("personal: bundle: %w", err)
		}
		if _, err := io.Copy(fw, bytes.NewReader(f.raws[r.ID])); err != nil {
			return fmt.Errorf("personal: bundle %s: %w", r.RawFile, err)
		}
	}
	for _, sc := range f.scans {
		fw, err := z.Create(scanName(sc))
		if err != nil {
			return fmt.Errorf("personal: bundle: %w", err)
		}
		if _, err := fw.Write(sc.Data); err != nil {
			return fmt.Errorf("personal: bundle scan %d: %w", sc.ID, err)
		}
	}
	return z.Close()
}

// Request is one subject access request in the log.
type Request = db.SubjectAccessRequestsRow

// Requests lists the log, open ones first by due date.
func (s *Service) Requests(ctx context.Context) ([]Request, error) {
	rows, err := db.New(s.Pool).SubjectAccessRequests(ctx)
	if err != nil {
		return nil, fmt.Errorf("personal: subject access requests: %w", err)
	}
	return rows, nil
}

// DueOn is a month after a request was received: UK GDPR's deadline.
func DueOn(received time.Time) time.Time { return received.AddDate(0, 1, 0) }

// LogRequest records a subject access request with its due date; the
// search term is personal data and is not kept.
func (s *Service) LogRequest(ctx context.Context, a Actor, label string, received time.Time, found int) (int64, error) {
	label = strings.TrimSpace(label)
	if label == "" {
		return 0, &InvalidError{"label", "Enter who made the request and how, without their personal details (for example, “Letter of 3 March, our ref 42”)"}
	}
	var id int64
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		row, err := q.CreateSubjectAccessRequest(ctx, db.CreateSubjectAccessRequestParams{Label: label, ReceivedOn: received, DueOn: DueOn(received), Found: int32(found), CreatedBy: &a.UserID})
		if err != nil {
			return fmt.Errorf("personal: log subject access request: %w", err)
		}
		id = row.ID
		return audit.Record(ctx, q, audit.Entry{UserID: &a.UserID, Actor: a.Email, Action: "subject_access_searched",
			RecordType: "subject_access_request", RecordID: strconv.FormatInt(id, 10), ClientIP: a.ClientIP, Detail: map[string]any{"found": found}})
	})
	return id, err
}

// MarkExported records that a request's bundle was downloaded.
func (s *Service) MarkExported(ctx context.Context, a Actor, id int64, found int) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := q.MarkSubjectAccessExported(ctx, db.MarkSubjectAccessExportedParams{ID: id, Found: int32(found)}); err != nil {
			return fmt.Errorf("personal: subject access request %d: %w", id, err)
		}
		return audit.Record(ctx, q, audit.Entry{UserID: &a.UserID, Actor: a.Email, Action: "subject_access_exported",
			RecordType: "subject_access_request", RecordID: strconv.FormatInt(id, 10), ClientIP: a.ClientIP, Detail: map[string]any{"found": found}})
	})
}
