package msg_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"heard/internal/msg"
	. "heard/internal/msg/msgtest"
)

var sent = time.Date(2021, 2, 14, 9, 30, 0, 0, time.UTC)

// letter is a typical response: Unicode strings, two recipients, a text
// attachment large enough to leave the mini stream, and a forwarded
// message embedded with an attachment of its own.
func letter(ansi bool) *Message {
	big := strings.Repeat("We support the ambition on people and communities. ", 120)
	return &Message{
		ANSI: ansi,
		Props: []Prop{
			P(PidSubject, "Response to the consultation – café owners"),
			P(PidSenderName, "Zoë Brontë"),
			P(PidSenderEmail, "zoe@example.org"),
			P(PidSenderAddrType, "SMTP"),
			P(PidClientSubmitTime, sent),
			P(PidInternetMsgID, "<abc123@example.org>"),
			P(PidBody, "Dear CQC,\r\n\r\nQ1: Fully support. £5 well spent.\r\n"),
		},
		Recipients: [][]Prop{
			{P(PidDisplayName, "Consultation"), P(PidEmailAddress, "consultation@cqc.example"), P(PidRecipientType, int32(1))},
			{P(PidDisplayName, "Policy team"), P(PidSMTPAddress, "policy@cqc.example"), P(PidRecipientType, int32(2))},
			{P(PidDisplayName, "Hidden"), P(PidSMTPAddress, "bcc@cqc.example"), P(PidRecipientType, int32(3))},
		},
		Attachments: []Attachment{
			{Props: []Prop{P(PidAttachLongName, "notes.txt"), P(PidAttachMimeTag, "text/plain"), P(PidAttachData, []byte(big))}},
			{Props: []Prop{P(PidDisplayName, "Fwd: our board's view")}, Embedded: &Message{
				ANSI: ansi,
				Props: []Prop{
					P(PidSubject, "Our board's view"),
					P(PidSenderName, "Board secretary"),
					P(PidSenderSMTP, "board@example.org"),
					P(PidBody, "The board mostly supports Q2."),
				},
				Attachments: []Attachment{{Props: []Prop{P(PidAttachFilename, "minutes.txt"), P(PidAttachData, []byte("Minutes"))}}},
			}},
		},
	}
}

func TestReadWrittenMessages(t *testing.T) {
	for _, ansi := range []bool{false, true} {
		name := "unicode"
		if ansi {
			name = "ansi"
		}
		t.Run(name, func(t *testing.T) {
			m, err := msg.Read(letter(ansi).Bytes())
			if err != nil {
				t.Fatal(err)
			}
			want := &msg.Message{
				Subject: "Response to the consultation – café owners", FromName: "Zoë Brontë", FromAddress: "zoe@example.org",
				To:   []msg.Recipient{{Name: "Consultation", Address: "consultation@cqc.example"}},
				Cc:   []msg.Recipient{{Name: "Policy team", Address: "policy@cqc.example"}},
				Sent: sent, MessageID: "abc123@example.org",
				Body: "Dear CQC,\r\n\r\nQ1: Fully support. £5 well spent.\r\n", BodyFrom: "text",
				Attachments: []msg.Attachment{
					{Name: "notes.txt", MIMEType: "text/plain", Data: []byte(strings.Repeat("We support the ambition on people and communities. ", 120))},
					{Name: "Fwd: our board's view", Message: &msg.Message{
						Subject: "Our board's view", FromName: "Board secretary", FromAddress: "board@example.org",
						Body: "The board mostly supports Q2.", BodyFrom: "text",
						Attachments: []msg.Attachment{{Name: "minutes.txt", Data: []byte("Minutes")}},
					}},
				},
			}
			if d := cmp.Diff(want, m); d != "" {
				t.Errorf("message (-want +got):\n%s", d)
			}
		})
	}
}

func TestBodies(t *testing.T) {
	rtf := `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}` +
		`\pard Q3: partially support\par Caf\'e9 \u8364?10\par}`
	html := `{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}` +
		`{\*\htmltag19 <html>}{\*\htmltag34 <body>}\htmlrtf {\htmlrtf0 Q4: not at all` +
		`{\*\htmltag116 <br>}\htmlrtf \par \htmlrtf0 Too costly}\htmlrtf }\htmlrtf0 {\*\htmltag42 </body>}{\*\htmltag27 </html>}}`
	tests := []struct {
		name     string
		props    []Prop
		want     string
		wantFrom string
	}{
		{"html", []Prop{P(PidHTML, []byte("<html><body><p>Q2: mostly</p><p>Good &amp; clear</p></body></html>"))}, "Q2: mostly\n\nGood & clear", "html"},
		{"rtf", []Prop{P(PidRtfCompressed, CompressRTF([]byte(rtf)))}, "Q3: partially support\nCafé €10", "rtf"},
		{"rtf wrapping html", []Prop{P(PidRtfCompressed, CompressRTF([]byte(html)))}, "Q4: not at all\nToo costly", "rtf"},
		{"plain wins", []Prop{P(PidBody, "plain"), P(PidHTML, []byte("<p>html</p>"))}, "plain", "text"},
		{"none", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := msg.Read((&Message{Props: append([]Prop{P(PidSubject, "s")}, tt.props...)}).Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(m.Body); got != tt.want || m.BodyFrom != tt.wantFrom {
				t.Errorf("body %q from %q, want %q from %q", got, m.BodyFrom, tt.want, tt.wantFrom)
			}
		})
	}
}

// TestOutlookFile reads a message Outlook itself saved (see testdata/README.md).
func TestOutlookFile(t *testing.T) {
	b, err := os.ReadFile("testdata/outlook-mscfb.msg")
	if err != nil {
		t.Fatal(err)
	}
	m, err := msg.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "test" || m.FromName != "Lehane, Richard" || m.FromAddress != "Richard.Lehane@records.nsw.gov.au" {
		t.Errorf("sender/subject: %q %q %q", m.Subject, m.FromName, m.FromAddress)
	}
	if !m.Sent.Equal(time.Date(2013, 11, 17, 21, 26, 9, 0, time.UTC)) {
		t.Errorf("sent %v", m.Sent)
	}
	if !strings.HasPrefix(m.Body, "Test\r\n") || m.BodyFrom != "text" {
		t.Errorf("body %q from %q", m.Body[:20], m.BodyFrom)
	}
	if len(m.Attachments) != 2 || m.Attachments[0].Name != "test.doc" || len(m.Attachments[0].Data) != 12288 ||
		m.Attachments[1].Name != "image001.gif" || m.Attachments[1].MIMEType != "image/gif" {
		t.Errorf("attachments %+v", m.Attachments)
	}
	// Its compressed RTF body, read on its own, says the same.
	rtf, err := msg.RTFBody(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rtf, "Test") || !strings.Contains(rtf, "State Records Authority of New South Wales") {
		t.Errorf("RTF body: %q", rtf[:min(len(rtf), 200)])
	}
}

func TestCorrupt(t *testing.T) {
	good := letter(false).Bytes()
	truncated := good[:len(good)/2]
	flipped := append([]byte(nil), good...)
	for i := 512; i < 1024; i++ { // the FAT
		flipped[i] ^= 0x5A
	}
	tests := map[string][]byte{
		"empty":          nil,
		"text":           []byte(strings.Repeat("not a message ", 100)),
		"truncated":      truncated,
		"damaged FAT":    flipped,
		"no properties":  CFB(Stream("WordDocument", []byte("hello"))),
		"bad prop table": CFB(Stream("__properties_version1.0", make([]byte, 33))),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			m, err := msg.Read(b)
			if err == nil {
				t.Fatalf("read a corrupt file: %+v", m)
			}
			if err.Error() == "" {
				t.Error("empty error")
			}
		})
	}
}

func BenchmarkRead(b *testing.B) {
	data := letter(false).Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := msg.Read(data); err != nil {
			b.Fatal(err)
		}
	}
}
