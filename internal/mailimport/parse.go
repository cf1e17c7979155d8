package mailimport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
)

// parser keeps going past a malformed part so the rest of the message
// survives; what was lost is recorded in the envelope's errors.
var parser = enmime.NewParser(enmime.SkipMalformedParts(true))

// parse turns one message's bytes into a Message. The message is nil when
// nothing usable could be read; the reasons list every problem found.
func parse(raw []byte, lim Limits) (*Message, []string) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, []string{"empty message"}
	}
	if n := headerLen(raw); n > lim.MaxHeaderBytes {
		return nil, []string{fmt.Sprintf("header section is %d bytes, more than the limit of %d", n, lim.MaxHeaderBytes)}
	}
	env, err := parser.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return nil, []string{fmt.Sprintf("malformed MIME: %v", err)}
	}
	if len(env.GetHeaderKeys()) == 0 {
		return nil, []string{"no header fields: not an email message"}
	}
	if b := missingBoundary(env.GetHeader("Content-Type"), raw[headerLen(raw):]); b != "" {
		// enmime reads such a message as empty: refuse it rather than
		// store a letter without its text.
		return nil, []string{fmt.Sprintf("malformed MIME: the multipart boundary %q never appears in the message, so its parts cannot be found", b)}
	}
	if b := emptyMultipart(env.Root); b != "" {
		return nil, []string{fmt.Sprintf("malformed MIME: the multipart boundary %q never appears in the message, so its parts cannot be found", b)}
	}
	m := &Message{Raw: raw}
	var probs []string
	named := map[string]bool{} // errors reported once, by what they are
	for _, e := range env.Errors {
		switch {
		case e.Name == enmime.ErrorMalformedBase64 || e.Name == enmime.ErrorCharsetConversion:
			// Text was lost or could not be decoded: say which, once,
			// rather than the invalid UTF-8 it leaves behind.
			if !named[e.Name] {
				named[e.Name] = true
				probs = append(probs, encodingProblem(e))
			}
		case e.Severe || e.Name == enmime.ErrorMissingBoundary:
			// An unclosed boundary means a truncated message: text may be lost.
			probs = append(probs, "malformed MIME: "+e.Error())
		default:
			m.Warnings = append(m.Warnings, e.Error())
		}
	}

	header(env, m)
	m.Body = clean("body", env.Text, &probs)
	if strings.TrimSpace(m.Body) == "" {
		m.Warnings = append(m.Warnings, "no text body")
	}
	for _, p := range attachmentParts(env) {
		a := readAttachment(p, lim)
		if t := clean("attachment "+a.Name, a.Text, &probs); t != a.Text {
			a.Text, a.Headings = t, nil // the offsets no longer hold
		}
		m.Attachments = append(m.Attachments, a)
	}
	m.Subject = clean("subject", m.Subject, &probs)
	m.FromName = clean("sender name", m.FromName, &probs)
	if len(named) > 0 {
		// The invalid UTF-8 is a consequence, already explained.
		probs = slices.DeleteFunc(probs, func(p string) bool { return strings.HasPrefix(p, "invalid UTF-8 in ") })
	}
	return m, probs
}

// header fills the sender, date, subject and Message-ID, noting what is
// missing as warnings.
func header(env *enmime.Envelope, m *Message) {
	m.Subject = strings.TrimSpace(env.GetHeader("Subject"))
	if from, err := env.AddressList("From"); err == nil && len(from) > 0 {
		m.FromName, m.FromAddress = strings.TrimSpace(from[0].Name), from[0].Address
	} else if raw := strings.TrimSpace(env.GetHeader("From")); raw == "" {
		m.Warnings = append(m.Warnings, "no From header")
	} else {
		m.FromName = raw
		m.Warnings = append(m.Warnings, fmt.Sprintf("unreadable From header %q: %v", raw, err))
	}
	if d, err := env.Date(); err == nil {
		m.Date = d
	} else if errors.Is(err, mail.ErrHeaderNotPresent) {
		m.Warnings = append(m.Warnings, "no Date header")
	} else {
		m.Warnings = append(m.Warnings, fmt.Sprintf("unreadable Date header %q", env.GetHeader("Date")))
	}
	m.MessageID = strings.Trim(strings.TrimSpace(env.GetHeader("Message-ID")), "<>")
	if m.MessageID == "" {
		sum := sha256.Sum256(m.Raw)
		m.MessageID = "sha256:" + hex.EncodeToString(sum[:])
		m.Warnings = append(m.Warnings, "no Message-ID header; using a digest of the message")
	}
}

// attachmentParts lists every part that is not the text body, once.
func attachmentParts(env *enmime.Envelope) []*enmime.Part {
	var parts []*enmime.Part
	seen := map[*enmime.Part]bool{}
	add := func(p *enmime.Part) {
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p)
		}
	}
	for _, p := range env.Attachments {
		add(p)
	}
	for _, p := range env.Inlines {
		// Inline text parts are already part of the body.
		if p.ContentType != "text/plain" && p.ContentType != "text/html" {
			add(p)
		}
	}
	for _, p := range env.OtherParts {
		add(p)
	}
	return parts
}

// encodingProblem names a part that could not be decoded.
func encodingProblem(e *enmime.Error) string {
	if e.Name == enmime.ErrorMalformedBase64 {
		return fmt.Sprintf("malformed base64 (%s): some of the text cannot be decoded", e.Detail)
	}
	detail := e.Detail
	if i := strings.LastIndex(detail, ": "); i >= 0 {
		detail = detail[i+2:]
	}
	return fmt.Sprintf("%s: the text cannot be decoded; re-send it as UTF-8", detail)
}

// emptyMultipart returns the boundary of a nested multipart part in
// which enmime found no parts: its boundary never appears, and its text
// would be lost.
func emptyMultipart(p *enmime.Part) string {
	for ; p != nil; p = p.NextSibling {
		if strings.HasPrefix(p.ContentType, "multipart/") && p.FirstChild == nil && p.Parent != nil {
			return p.Boundary
		}
		if b := emptyMultipart(p.FirstChild); b != "" {
			return b
		}
	}
	return ""
}

// missingBoundary returns the boundary of a multipart Content-Type when
// no delimiter line ("--" and the boundary) appears in body.
func missingBoundary(contentType string, body []byte) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return ""
	}
	delim := []byte("--" + params["boundary"])
	if bytes.HasPrefix(body, delim) || bytes.Contains(body, append([]byte("\n"), delim...)) {
		return ""
	}
	return params["boundary"]
}

// headerLen is the length of the header section: up to the first blank
// line, or the whole message if there is none.
func headerLen(raw []byte) int {
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			break
		}
		line := bytes.TrimRight(raw[i:i+j], "\r")
		if len(line) == 0 {
			return i
		}
		i += j + 1
	}
	return len(raw)
}

// clean makes text safe to store: NUL bytes are removed and invalid UTF-8
// replaced with U+FFFD, each reported as a problem; line ends become "\n".
func clean(what, s string, probs *[]string) string {
	if strings.ContainsRune(s, 0) {
		*probs = append(*probs, fmt.Sprintf("NUL bytes in %s (removed)", what))
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if !utf8.ValidString(s) {
		*probs = append(*probs, fmt.Sprintf("invalid UTF-8 in %s (replaced with U+FFFD)", what))
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}
