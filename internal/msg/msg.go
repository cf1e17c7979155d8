// Package msg reads Outlook .msg files: the compound files ([MS-CFB])
// that Outlook writes when an email is dragged out of it, holding the
// message's MAPI properties as [MS-OXMSG] lays them out. It takes the
// sender, recipients, subject, sent time, body (plain text, or text
// from the HTML or compressed RTF body) and attachments, including
// messages embedded in messages.
//
// The compound file itself is read with github.com/richardlehane/mscfb;
// the property parsing is ours.
package msg

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/richardlehane/mscfb"
)

// Message is one Outlook message.
type Message struct {
	Subject     string
	FromName    string
	FromAddress string
	To, Cc      []Recipient
	// Sent is when the sender sent it (PidTagClientSubmitTime), or
	// failing that when it was delivered; zero when neither is stored.
	Sent      time.Time
	MessageID string // the Internet Message-ID without angle brackets, if stored
	// Body is the text body; BodyFrom says where it came from: "text",
	// "html" or "rtf" (the latter two turned into text), or "" for none.
	Body        string
	BodyFrom    string
	Headers     string // the transport headers of a received message, if stored
	Attachments []Attachment
}

// Recipient is one addressee.
type Recipient struct {
	Name, Address string
}

// Attachment is an attached file, or (Message set) an attached message.
type Attachment struct {
	Name     string
	MIMEType string
	Data     []byte
	Message  *Message
}

// MaxDepth bounds how deeply messages may be embedded in messages.
const MaxDepth = 8

// ErrNotMsg is a file that is not an Outlook message at all.
var ErrNotMsg = errors.New("not an Outlook .msg file")

// Read parses one .msg file held in b.
func Read(b []byte) (m *Message, err error) {
	// A damaged compound file can send the reader down paths it does not
	// guard; a panic there is a corrupt file, not a crash of the import.
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("msg: corrupt compound file (%v)", r)
		}
	}()
	if len(b) < 512 || !bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return nil, ErrNotMsg
	}
	r, err := mscfb.New(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("msg: corrupt compound file: %w", err)
	}
	t := &tree{streams: map[string]*mscfb.File{}, storages: map[string]bool{}, limit: int64(len(b))}
	for f, err := r.Next(); err == nil; f, err = r.Next() {
		p := strings.Join(append(append([]string{}, f.Path...), f.Name), "/")
		if f.FileInfo().IsDir() {
			t.storages[p] = true
		} else {
			t.streams[p] = f
		}
	}
	if _, ok := t.streams[propStream]; !ok {
		return nil, fmt.Errorf("%w: no %s stream (a Word or Excel file?)", ErrNotMsg, propStream)
	}
	return t.message("", true, 0)
}

const propStream = "__properties_version1.0"

// tree is the compound file's streams by path ("a/b/c").
type tree struct {
	streams  map[string]*mscfb.File
	storages map[string]bool
	limit    int64 // no stream can be larger than the file
}

func (t *tree) read(path string) ([]byte, bool, error) {
	f, ok := t.streams[path]
	if !ok {
		return nil, false, nil
	}
	if f.Size < 0 || f.Size > t.limit {
		return nil, true, fmt.Errorf("msg: stream %s claims %d bytes, more than the file", path, f.Size)
	}
	b := make([]byte, f.Size)
	if _, err := f.ReadAt(b, 0); err != nil && f.Size > 0 {
		return nil, true, fmt.Errorf("msg: read stream %s: %w", path, err)
	}
	return b, true, nil
}

// children lists the storages directly under dir whose names start with prefix, in order.
func (t *tree) children(dir, prefix string) []string {
	var out []string
	for p := range t.storages {
		parent, name := splitPath(p)
		if parent == dir && strings.HasPrefix(name, prefix) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func splitPath(p string) (string, string) {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// message reads the message stored at dir ("" for the top level).
func (t *tree) message(dir string, top bool, depth int) (*Message, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("msg: messages embedded more than %d deep", MaxDepth)
	}
	header := 24
	if top {
		header = 32
	}
	ps, err := t.props(dir, header, nil)
	if err != nil {
		return nil, err
	}
	m := &Message{
		Subject:   ps.str(0x0037),
		FromName:  ps.str(0x0C1A),
		MessageID: strings.Trim(strings.TrimSpace(ps.str(0x1035)), "<>"),
		Headers:   ps.str(0x007D),
	}
	m.FromAddress = senderAddress(ps)
	if m.Sent = ps.time(0x0039); m.Sent.IsZero() {
		m.Sent = ps.time(0x0E06)
	}
	if m.Body, m.BodyFrom, err = body(ps); err != nil {
		return nil, err
	}
	for _, rd := range t.children(dir, "__recip_version1.0_#") {
		rp, err := t.props(rd, 8, ps.codepage)
		if err != nil {
			return nil, err
		}
		rcpt := Recipient{Name: rp.str(0x3001), Address: rp.str(0x39FE)}
		if rcpt.Address == "" && !strings.EqualFold(rp.str(0x3002), "EX") {
			rcpt.Address = rp.str(0x3003)
		}
		switch rp.int(0x0C15) {
		case 2:
			m.Cc = append(m.Cc, rcpt)
		case 3: // Bcc: not part of what the sender showed
		default:
			m.To = append(m.To, rcpt)
		}
	}
	for _, ad := range t.children(dir, "__attach_version1.0_#") {
		a, err := t.attachment(ad, ps.codepage, depth)
		if err != nil {
			return nil, err
		}
		m.Attachments = append(m.Attachments, a)
	}
	return m, nil
}

func (t *tree) attachment(dir string, cp *codepage, depth int) (Attachment, error) {
	ap, err := t.props(dir, 8, cp)
	if err != nil {
		return Attachment{}, err
	}
	a := Attachment{Name: ap.str(0x3707), MIMEType: ap.str(0x370E)}
	if a.Name == "" {
		a.Name = ap.str(0x3704)
	}
	if a.Name == "" {
		a.Name = ap.str(0x3001)
	}
	sub := join(dir, "__substg1.0_3701000D")
	if ap.int(0x3705) == 5 || t.storages[sub] {
		if !t.storages[sub] {
			return Attachment{}, fmt.Errorf("msg: %s: embedded message missing", dir)
		}
		if a.Message, err = t.message(sub, false, depth+1); err != nil {
			return Attachment{}, err
		}
		if a.Name == "" {
			a.Name = a.Message.Subject
		}
		return a, nil
	}
	a.Data = ap.bytes(0x3701)
	return a, nil
}

// senderAddress prefers the SMTP address: an Exchange sender's
// PidTagSenderEmailAddress is an X.500 path, not an email address.
func senderAddress(ps *props) string {
	if a := ps.str(0x5D01); a != "" {
		return a
	}
	if a := ps.str(0x0C1F); a != "" && !strings.EqualFold(ps.str(0x0C1E), "EX") {
		return a
	}
	if a := ps.str(0x5D02); a != "" { // PidTagSentRepresentingSmtpAddress
		return a
	}
	if a := ps.str(0x0065); a != "" && !strings.EqualFold(ps.str(0x0064), "EX") { // sent representing
		return a
	}
	return headerFrom(ps.str(0x007D))
}
