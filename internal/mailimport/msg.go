package mailimport

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/jhillyerd/enmime/v2"

	"heard/internal/msg"
)

// This file is the hook for Outlook .msg files (issue #17): they are read
// by internal/msg and become the same Message as an .eml, so everything
// after reading — duplicates, segments, whole-or-nothing — is shared.

const msgType = "application/vnd.ms-outlook"

func (b *batch) readMSG(item string, r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, b.lim.MaxMessageBytes+1))
	if err != nil {
		return err
	}
	if int64(len(raw)) > b.lim.MaxMessageBytes {
		b.problem(item, "message is larger than the limit of %d bytes", b.lim.MaxMessageBytes)
		return nil
	}
	b.addMSG(item, raw)
	return nil
}

// addMSG is add for an Outlook message's bytes.
func (b *batch) addMSG(item string, raw []byte) {
	m, reasons := parseMSG(raw, b.lim)
	for _, r := range reasons {
		b.problem(item, "%s", r)
	}
	if m != nil && b.stop == nil {
		m.Item = item
		m.Problems = reasons
		b.read++
		b.stop = b.each(*m)
	}
}

// parseMSG turns an Outlook message into a Message; like parse, the
// message is nil when nothing usable could be read.
func parseMSG(raw []byte, lim Limits) (*Message, []string) {
	om, err := msg.Read(raw)
	if err != nil {
		return nil, []string{"unreadable Outlook message: " + strings.TrimPrefix(err.Error(), "msg: ")}
	}
	var probs []string
	m := fromMSG(om, lim, &probs)
	m.Raw = raw
	if m.MessageID == "" {
		sum := sha256.Sum256(raw)
		m.MessageID = "sha256:" + hex.EncodeToString(sum[:])
		m.Warnings = append(m.Warnings, "no Internet Message-ID stored; using a digest of the .msg file")
	}
	if m.Date.IsZero() {
		m.Warnings = append(m.Warnings, "no sent time stored")
	}
	if m.FromAddress == "" {
		m.Warnings = append(m.Warnings, "no sender address stored")
	}
	return m, probs
}

func fromMSG(om *msg.Message, lim Limits, probs *[]string) *Message {
	m := &Message{
		MessageID: om.MessageID, Date: om.Sent,
		Subject:     clean("subject", strings.TrimSpace(om.Subject), probs),
		FromName:    clean("sender name", strings.TrimSpace(om.FromName), probs),
		FromAddress: strings.TrimSpace(om.FromAddress),
		Body:        clean("body", om.Body, probs),
	}
	switch om.BodyFrom {
	case "html":
		m.Warnings = append(m.Warnings, "body converted from HTML")
	case "rtf":
		m.Warnings = append(m.Warnings, "body converted from RTF")
	case "":
		m.Warnings = append(m.Warnings, "no text body")
	}
	for _, oa := range om.Attachments {
		var a Attachment
		if oa.Message != nil {
			a = Attachment{Name: oa.Name, ContentType: msgType, Text: forwarded(fromMSG(oa.Message, lim, probs))}
			if !strings.HasSuffix(strings.ToLower(a.Name), ".msg") {
				a.Name += ".msg"
			}
		} else {
			a = readAttachment(&enmime.Part{FileName: oa.Name, ContentType: oa.MIMEType, Content: oa.Data, PartID: fmt.Sprint(len(m.Attachments) + 1)}, lim)
		}
		a.Text = clean("attachment "+a.Name, a.Text, probs)
		m.Attachments = append(m.Attachments, a)
	}
	return m
}

// forwarded is the text of an attached message: who sent it, when and
// about what, then its own text.
func forwarded(m *Message) string {
	var b strings.Builder
	from := m.FromAddress
	if m.FromName != "" {
		from = strings.TrimSpace(m.FromName + " <" + m.FromAddress + ">")
	}
	fmt.Fprintf(&b, "From: %s\n", from)
	if !m.Date.IsZero() {
		fmt.Fprintf(&b, "Sent: %s\n", m.Date.Format("2 January 2006 15:04 MST"))
	}
	fmt.Fprintf(&b, "Subject: %s\n\n", m.Subject)
	b.WriteString(m.Text())
	return b.String()
}

// msgText is the text of an .msg file attached to an email.
func msgText(b []byte, lim Limits) (string, error) {
	om, err := msg.Read(b)
	if err != nil {
		return "", fmt.Errorf("unreadable Outlook message: %s", strings.TrimPrefix(err.Error(), "msg: "))
	}
	var probs []string
	return forwarded(fromMSG(om, lim, &probs)), nil
}
