package batchimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/mailimport"
	"heard/internal/segment"
)

// mailSource is what is stored beside an imported email.
type mailSource struct {
	row      db.CopySourcesParams
	segments []db.CopySegmentsParams
	scan     *pendingScan // a scanned letter's file (#17), see scans.go
}

// pendingMail holds messages until their duplicate check, done a batch
// at a time so a large mbox costs one query per batch, not per message.
type pendingMail struct {
	item string
	r    ingest.Response
	src  *mailSource
}

const mailBatch = 500

func (imp *importer) mail(ctx context.Context, path, name string) error {
	f, err := imp.open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var pending []pendingMail
	seen := map[string]string{} // sender + hash -> first item in this file
	flush := func() error {
		err := imp.addMail(ctx, pending, seen)
		pending = pending[:0]
		return err
	}
	var stop error // a failure of ours, as opposed to an unreadable file
	probs, err := mailimport.Each(name, f, mailimport.DefaultLimits(), func(m mailimport.Message) error {
		if len(m.Problems) > 0 {
			imp.rep.Rejected++
			for _, p := range m.Problems {
				imp.problem(m.Item, "", "", p)
			}
			return nil
		}
		pending = append(pending, imp.fromMessage(m))
		if len(pending) >= mailBatch {
			stop = flush()
		}
		return stop
	})
	if stop != nil {
		return stop
	}
	if err != nil {
		// The file as a whole cannot be read: that rejects it.
		imp.problem("", "", "", strings.TrimPrefix(err.Error(), "mailimport: "))
		return nil
	}
	// Problems that belong to no message that was read (a skipped zip
	// entry, an oversized message): those were not in m.Problems.
	for _, p := range probs {
		if !imp.reported(p.Item, p.Reason) {
			imp.problem(p.Item, "", "", p.Reason)
			if p.Item != "" {
				imp.rep.Rejected++
			}
		}
	}
	return flush()
}

func (imp *importer) reported(item, reason string) bool {
	for _, p := range imp.rep.Problems {
		if p.Item == item && p.Reason == reason {
			return true
		}
	}
	return false
}

// addMail drops exact duplicates (same sender, same text) of stored or
// earlier messages, then queues the rest.
func (imp *importer) addMail(ctx context.Context, pending []pendingMail, seen map[string]string) error {
	if len(pending) == 0 {
		return nil
	}
	senders := make([]string, len(pending))
	hashes := make([]string, len(pending))
	for i, p := range pending {
		senders[i], hashes[i] = strings.ToLower(p.src.row.SenderAddress), p.src.row.TextHash
	}
	stored, err := imp.q.ExistingTextHashes(ctx, db.ExistingTextHashesParams{ConsultationID: imp.c.ID, Senders: senders, Hashes: hashes})
	if err != nil {
		return fmt.Errorf("check duplicate texts: %w", err)
	}
	known := map[string]bool{}
	for _, s := range stored {
		known[s.Sender+"\x00"+s.TextHash] = true
	}
	for i, p := range pending {
		key := senders[i] + "\x00" + hashes[i]
		switch {
		case p.src.row.NeedsTyping:
			// Two scans share their (empty) text, not their content.
		case senders[i] == "":
			// No sender to compare: the Message-ID still guards against repeats.
		case known[key]:
			imp.rep.Duplicates = append(imp.rep.Duplicates, Duplicate{Item: p.item, Ref: p.r.SourceRef, Reason: "the same text from the same sender is already stored"})
			continue
		case seen[key] != "":
			imp.rep.Duplicates = append(imp.rep.Duplicates, Duplicate{Item: p.item, Ref: p.r.SourceRef, Reason: "the same text from the same sender as " + seen[key]})
			continue
		default:
			seen[key] = p.item
		}
		if err := imp.add(ctx, p.item, p.r); err != nil {
			return err
		}
	}
	return nil
}

// fromMessage turns an email into a response: its text split into
// segments, each segment's text counted towards an open question where
// one is named (or its theme has one), and closed answers only where the
// sender states them.
func (imp *importer) fromMessage(m mailimport.Message) pendingMail {
	safeMessage(&m)
	text, headings := m.TextAndHeadings()
	channel := imp.o.Channel
	if channel == "" {
		channel = "email"
	}
	r := ingest.Response{SourceRef: m.MessageID, Channel: channel, ReceivedAt: m.Date, BatchID: &imp.rep.BatchID}
	warnings := append([]string{}, m.Warnings...)
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = now().UTC()
		warnings = append(warnings, "no readable Date header: received time is the import time")
	}
	if imp.o.Group != nil {
		r.GroupID = &imp.o.Group.ID
	}
	org, orgSource := m.Organisation()
	if org = strings.TrimSpace(ingest.SafeText(org)); org != "" && utf8.RuneCountInString(org) <= maxOrgChars {
		r.Organisation, r.OnBehalfOfOrg = org, true
	} else {
		orgSource = ""
	}
	if g, domain := groupForDomain(imp.c, m.FromAddress); g != nil && (imp.o.Group == nil || g.ID != imp.o.Group.ID) {
		r.SuggestedGroupID = &g.ID
		r.SuggestionReason = "sender's email domain " + domain
	}

	src := &mailSource{row: db.CopySourcesParams{
		ConsultationID: imp.c.ID, SenderName: m.FromName, SenderAddress: m.FromAddress, Subject: m.Subject,
		MessageID: m.MessageID, FullText: text, TextHash: textHash(text), Raw: m.Raw, OrganisationSource: orgSource,
	}}
	if strings.TrimSpace(text) == "" {
		src.row.NeedsTyping = true
		warnings = append(warnings, NoTextWarning)
	}
	segs, closed := segment.SplitHeadings(text, imp.target, headings)
	var parts []attributed
	for _, sg := range segs {
		row := db.CopySegmentsParams{
			ConsultationID: imp.c.ID, StartOffset: int32(utf8.RuneCountInString(text[:sg.Start])),
			How: sg.How, Why: sg.Why,
		}
		row.EndOffset = row.StartOffset + int32(utf8.RuneCountInString(sg.Text))
		part := attributed{text: sg.Body}
		if qu := imp.c.Question(sg.QuestionCode); sg.QuestionCode != "" && qu != nil {
			row.QuestionID, part.question = &qu.ID, qu.Code
		}
		if t := imp.theme(sg.ThemeSlug); t != nil {
			row.ThemeID, part.theme = &t.ID, t.Slug
		}
		src.segments = append(src.segments, row)
		parts = append(parts, part)
	}
	r.Answers = imp.m.textAnswers(parts)
	r.Answers, warnings = imp.closedAnswers(r.Answers, closed, warnings)

	attachments := make([]map[string]any, len(m.Attachments))
	for i, a := range m.Attachments {
		attachments[i] = map[string]any{"name": a.Name, "content_type": a.ContentType, "size": a.Size, "error": a.Err}
	}
	src.row.Attachments, _ = json.Marshal(attachments)
	src.row.Warnings, _ = json.Marshal(nonNil(warnings))
	r.Source = src
	return pendingMail{item: m.Item, r: r, src: src}
}

// maxOrgChars: a longer "organisation" is a misreading, not a name.
const maxOrgChars = 120

// NoTextWarning marks an email or letter from which no text could be read.
const NoTextWarning = "no readable text — needs typing up"

// closedAnswers records the closed answers a sender stated. Two different
// answers to one question record neither, with a warning.
func (imp *importer) closedAnswers(answers []ingest.Answer, closed []segment.ClosedAnswer, warnings []string) ([]ingest.Answer, []string) {
	chosen := map[*consultation.Question]*consultation.Option{}
	conflict := map[*consultation.Question]bool{}
	var order []*consultation.Question
	for _, ca := range closed {
		qu := imp.c.Question(ca.QuestionCode)
		if qu == nil || qu.Scale == nil {
			continue
		}
		var opt *consultation.Option
		for _, o := range qu.Scale.Options {
			if o.Slug == ca.OptionSlug {
				opt = o
			}
		}
		if opt == nil {
			continue
		}
		if prev, ok := chosen[qu]; ok && prev != opt {
			conflict[qu] = true
			continue
		}
		if _, ok := chosen[qu]; !ok {
			order = append(order, qu)
		}
		chosen[qu] = opt
	}
	for _, qu := range order {
		if conflict[qu] {
			warnings = append(warnings, fmt.Sprintf("%s: the letter states more than one answer, so none is recorded", qu.Code))
			continue
		}
		answers = append(answers, ingest.Answer{QuestionID: qu.ID, OptionID: &chosen[qu].ID})
	}
	return answers, warnings
}

func (imp *importer) theme(slug string) *consultation.Theme {
	for _, t := range imp.c.Themes {
		if t.Slug == slug && slug != "" {
			return t
		}
	}
	return nil
}

// groupForDomain finds the group whose email domains include the
// sender's domain or a parent of it.
func groupForDomain(c *consultation.Consultation, address string) (*consultation.Group, string) {
	at := strings.LastIndexByte(address, '@')
	if at < 0 {
		return nil, ""
	}
	domain := strings.ToLower(address[at+1:])
	for _, g := range c.Groups {
		for _, d := range g.EmailDomains {
			if domain == d || strings.HasSuffix(domain, "."+d) {
				return g, d
			}
		}
	}
	return nil, ""
}

// textHash identifies a text for duplicate checks: NFC-normalised, with
// runs of white space folded, so re-encoded copies still match.
func textHash(s string) string {
	s = strings.Join(strings.Fields(norm.NFC.String(s)), " ")
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// safeMessage escapes what a message's headers and attachment names hold
// (see ingest.SafeText): the body and attachment texts were already
// checked by mailimport, but names and identifiers come as sent.
func safeMessage(m *mailimport.Message) {
	for _, p := range []*string{&m.Item, &m.MessageID, &m.FromName, &m.FromAddress, &m.Subject} {
		*p = ingest.SafeText(*p)
	}
	for i := range m.Warnings {
		m.Warnings[i] = ingest.SafeText(m.Warnings[i])
	}
	for i := range m.Attachments {
		a := &m.Attachments[i]
		a.Name, a.ContentType, a.Err = ingest.SafeText(a.Name), ingest.SafeText(a.ContentType), ingest.SafeText(a.Err)
	}
}
