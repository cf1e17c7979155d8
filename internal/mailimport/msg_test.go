package mailimport

import (
	"bytes"
	"strings"
	"testing"
	"time"

	mt "heard/internal/msg/msgtest"
)

func outlook(subject, id, body string) []byte {
	props := []mt.Prop{
		mt.P(mt.PidSubject, subject), mt.P(mt.PidSenderName, "Ann Smith"), mt.P(mt.PidSenderSMTP, "ann@example.org"),
		mt.P(mt.PidClientSubmitTime, time.Date(2021, 2, 1, 12, 0, 0, 0, time.UTC)), mt.P(mt.PidBody, body),
	}
	if id != "" {
		props = append(props, mt.P(mt.PidInternetMsgID, "<"+id+">"))
	}
	return (&mt.Message{Props: props}).Bytes()
}

func TestReadMSG(t *testing.T) {
	m := &mt.Message{ANSI: true, Props: []mt.Prop{
		mt.P(mt.PidSubject, "Our response"), mt.P(mt.PidSenderName, "Café Owners' Group"), mt.P(mt.PidSenderEmail, "cafe@example.org"),
		mt.P(mt.PidClientSubmitTime, time.Date(2021, 2, 1, 12, 0, 0, 0, time.UTC)), mt.P(mt.PidInternetMsgID, "<m1@example.org>"),
		mt.P(mt.PidHTML, []byte("<p>Q1a: Fully</p><p>We back it.</p>")),
	}, Attachments: []mt.Attachment{
		{Props: []mt.Prop{mt.P(mt.PidAttachLongName, "letter.pdf"), mt.P(mt.PidAttachData, pdf("Signed letter text"))}},
		{Props: []mt.Prop{mt.P(mt.PidAttachLongName, "photo.jpg"), mt.P(mt.PidAttachData, []byte{0xFF, 0xD8, 0xFF})}},
		{Props: []mt.Prop{mt.P(mt.PidDisplayName, "Members' views")}, Embedded: &mt.Message{Props: []mt.Prop{
			mt.P(mt.PidSubject, "Members' views"), mt.P(mt.PidSenderName, "Member"), mt.P(mt.PidSenderSMTP, "member@example.org"),
			mt.P(mt.PidBody, "Q2b: Data must be used carefully."),
		}}},
	}}
	got, probs := readMSGFile(t, "response.msg", m.Bytes())
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	g := got[0]
	if g.MessageID != "m1@example.org" || g.FromName != "Café Owners' Group" || g.FromAddress != "cafe@example.org" || g.Subject != "Our response" {
		t.Errorf("header: %+v", g)
	}
	if !g.Date.Equal(time.Date(2021, 2, 1, 12, 0, 0, 0, time.UTC)) || !hasWarning(g, "body converted from HTML") {
		t.Errorf("date %v warnings %v", g.Date, g.Warnings)
	}
	text := g.Text()
	for _, want := range []string{"Q1a: Fully", "[Attachment: letter.pdf]", "Signed letter text", "[Attachment: Members' views.msg]",
		"From: Member <member@example.org>", "Q2b: Data must be used carefully."} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if len(g.Attachments) != 3 || g.Attachments[1].Err == "" {
		t.Errorf("attachments: %+v", g.Attachments)
	}
	if !bytes.Equal(g.Raw, m.Bytes()) {
		t.Error("raw bytes not kept")
	}
}

func TestReadMSGZipAndAttached(t *testing.T) {
	z := zipOf(t,
		[2]string{"a.msg", string(outlook("A", "a@x", "Q1b: first"))},
		[2]string{"b.MSG", string(outlook("B", "", "Q1b: second"))},
		[2]string{"c.eml", "From: c@example.org\r\nMessage-ID: <c@x>\r\n\r\nthird"},
		[2]string{"broken.msg", "not a compound file at all"},
	)
	msgs, probs := readMSGFile(t, "outlook.zip", z)
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3", len(msgs))
	}
	if len(probs) != 1 || probs[0].Item != "broken.msg" || !strings.Contains(probs[0].Reason, "not an Outlook .msg file") {
		t.Errorf("problems: %v", probs)
	}
	if !strings.HasPrefix(msgs[1].MessageID, "sha256:") || !hasWarning(msgs[1], "no Internet Message-ID") {
		t.Errorf("b.msg id %q warnings %v", msgs[1].MessageID, msgs[1].Warnings)
	}

	// An .msg attached to an .eml.
	eml := crlf("From: fwd@example.org\nMessage-ID: <fwd@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nForwarding a response.\n--b\nContent-Type: application/vnd.ms-outlook; name=orig.msg\nContent-Disposition: attachment; filename=orig.msg\nContent-Transfer-Encoding: base64\n\n" +
		b64(outlook("Original", "o@x", "Q3b: safety first")) + "\n--b--\n")
	m, _ := readOne(t, eml, Limits{})
	if !strings.Contains(m.Text(), "Q3b: safety first") || !strings.Contains(m.Text(), "Subject: Original") {
		t.Errorf("attached .msg not read:\n%s", m.Text())
	}
}

func TestReadMSGCorrupt(t *testing.T) {
	good := outlook("A", "a@x", "text")
	for name, b := range map[string][]byte{
		"truncated": good[:700],
		"word file": mt.CFB(mt.Stream("WordDocument", []byte("x"))),
	} {
		msgs, probs := readMSGFile(t, name+".msg", b)
		if len(msgs) != 0 || len(probs) != 1 || !strings.Contains(probs[0].Reason, "unreadable Outlook message") {
			t.Errorf("%s: messages %d problems %v", name, len(msgs), probs)
		}
	}
}

func readMSGFile(t *testing.T, name string, b []byte) ([]Message, []Problem) {
	t.Helper()
	msgs, probs, err := ReadFile(name, bytes.NewReader(b), Limits{})
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	return msgs, probs
}
