// Package mailimport reads batches of emailed responses — .eml files,
// .mbox archives and .zip files of .eml — into Messages: sender, date,
// subject, Message-ID, a plain-text body and the text of any .txt, .docx
// or .pdf attachments, with the original bytes kept for provenance.
//
// Nothing is dropped silently: every message or zip entry that could not
// be read cleanly is reported as a Problem, and every attachment is listed
// on its Message, with the reason when no text could be taken from it.
// The caller decides whether a Problem rejects the whole file.
package mailimport

import (
	"fmt"
	"strings"
	"time"
)

// Message is one email as imported.
type Message struct {
	// Item says where in the file the message was: "message 3" of an
	// .eml or .mbox file, or the entry name in a .zip.
	Item string
	// MessageID is the Message-ID header without its angle brackets, or
	// "sha256:" and the hex digest of Raw when the header is missing.
	MessageID   string
	FromName    string
	FromAddress string
	Subject     string
	Date        time.Time // zero when the Date header is missing or unreadable
	// Body is the text body; an HTML-only message is turned into text.
	Body        string
	Attachments []Attachment
	// Raw is the message exactly as read (for mbox, with the ">From "
	// escaping undone), kept for provenance.
	Raw []byte
	// Warnings are oddities that lost nothing, such as a missing
	// Message-ID or a body converted from HTML.
	Warnings []string
	// Problems are this message's own entries in the file's problem list
	// (NUL bytes removed, invalid text replaced...): the caller decides.
	Problems []string
}

// Attachment is one attached file and the text taken from it.
type Attachment struct {
	Name        string
	ContentType string
	Size        int // decoded bytes
	Text        string
	// Headings are the byte offsets in Text where a heading starts, when
	// the document says which paragraphs are headings (a .docx).
	Headings []int
	// Err says why no text could be taken, if so.
	Err string
}

// Text returns the body followed by the text of each readable attachment,
// each introduced by a line naming it. Attachments whose text could not
// be taken are left out here; they stay listed in Attachments.
func (m *Message) Text() string {
	text, _ := m.TextAndHeadings()
	return text
}

// TextAndHeadings is Text with the byte offsets in it where a heading
// that an attachment marks as one starts.
func (m *Message) TextAndHeadings() (string, []int) {
	var b strings.Builder
	var headings []int
	b.WriteString(strings.TrimRight(m.Body, "\r\n\t "))
	for _, a := range m.Attachments {
		if a.Err != "" || strings.TrimSpace(a.Text) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		// A blank line after the marker keeps a heading that opens the
		// attachment at the start of its own paragraph.
		fmt.Fprintf(&b, "[Attachment: %s]\n\n", a.Name)
		text := strings.TrimRight(a.Text, "\r\n\t ")
		for _, h := range a.Headings {
			if h < len(text) {
				headings = append(headings, b.Len()+h)
			}
		}
		b.WriteString(text)
	}
	return b.String(), headings
}

// Problem is something in an imported file that could not be read
// cleanly: a malformed or oversized message, a suspicious zip entry,
// invalid text.
type Problem struct {
	File   string
	Item   string // "message 3", a zip entry name, or "" for the whole file
	Reason string
}

// Error implements error so a Problem can be returned or wrapped.
func (p Problem) Error() string {
	if p.Item == "" {
		return fmt.Sprintf("%s: %s", p.File, p.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, p.Item, p.Reason)
}

// Limits bounds what one import may read, so a hostile or broken file
// cannot exhaust memory. A zero field takes its value from DefaultLimits.
type Limits struct {
	MaxFileBytes     int64 // the whole input file
	MaxMessageBytes  int64 // one message, attachments included
	MaxHeaderBytes   int   // the header section of one message
	MaxZipEntries    int   // entries in a .zip
	MaxZipEntryBytes int64 // one uncompressed .zip entry
	MaxZipTotalBytes int64 // all uncompressed .zip entries together
	MaxTextBytes     int64 // text taken from one attachment (and a .docx's inner XML)
	PDFTimeout       time.Duration
}

// DefaultLimits returns limits generous enough for long letters with
// attachments and small enough to refuse zip bombs.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:     1 << 30,
		MaxMessageBytes:  25 << 20,
		MaxHeaderBytes:   256 << 10,
		MaxZipEntries:    10000,
		MaxZipEntryBytes: 25 << 20,
		MaxZipTotalBytes: 1 << 30,
		MaxTextBytes:     16 << 20,
		PDFTimeout:       30 * time.Second,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxMessageBytes <= 0 {
		l.MaxMessageBytes = d.MaxMessageBytes
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	if l.MaxZipEntries <= 0 {
		l.MaxZipEntries = d.MaxZipEntries
	}
	if l.MaxZipEntryBytes <= 0 {
		l.MaxZipEntryBytes = d.MaxZipEntryBytes
	}
	if l.MaxZipTotalBytes <= 0 {
		l.MaxZipTotalBytes = d.MaxZipTotalBytes
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = d.MaxTextBytes
	}
	if l.PDFTimeout <= 0 {
		l.PDFTimeout = d.PDFTimeout
	}
	return l
}
