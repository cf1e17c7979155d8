package mailimport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestReadEMLHeadersAndBodies(t *testing.T) {
	tests := []struct {
		name                  string
		raw                   []byte
		fromName, fromAddr    string
		subject, id, bodyHas  string
		date                  time.Time
		bodyLacks, warningHas string
	}{
		{
			name: "quoted-printable UTF-8 body, RFC 2047 UTF-8 subject and name",
			raw: crlf(`From: =?UTF-8?B?U2lvYmjDoW4gTyfDgnJvZ8OhaW4=?= <siobhan@example.org>
To: strategy@cqc.example
Subject: =?UTF-8?Q?Response_=E2=80=93_CQC_strategy?=
Date: Tue, 2 Feb 2021 10:15:00 +0000
Message-ID: <abc123@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

We welcome the strategy=E2=80=99s focus on people and communities. This line =
is long enough to need a soft line break.
`),
			fromName: "Siobhán O'Ârogáin", fromAddr: "siobhan@example.org",
			subject: "Response – CQC strategy", id: "abc123@mail.example.org",
			date:    time.Date(2021, 2, 2, 10, 15, 0, 0, time.UTC),
			bodyHas: "strategy’s focus on people and communities. This line is long enough",
		},
		{
			name: "base64 body, ISO-8859-1 encoded words",
			raw: crlf(`From: =?ISO-8859-1?Q?Ren=E9e_Dupr=E9?= <renee@example.com>
Subject: =?ISO-8859-1?Q?Caf=E9_staff_views?=
Date: Wed, 3 Feb 2021 09:00:00 +0100
Message-ID: <b64@example.com>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

` + b64([]byte("Smarter regulation: we support it.\nSafety through learning: fully.\n")) + "\n"),
			fromName: "Renée Dupré", fromAddr: "renee@example.com",
			subject: "Café staff views", id: "b64@example.com",
			date:    time.Date(2021, 2, 3, 8, 0, 0, 0, time.UTC),
			bodyHas: "Smarter regulation: we support it.\nSafety through learning: fully.",
		},
		{
			name: "Windows-1252 body",
			raw: crlf("From: Old Client <old@example.net>\nSubject: Letter\nDate: Thu, 4 Feb 2021 12:00:00 +0000\nMessage-ID: <cp@example.net>\n" +
				"Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n" +
				"We \x93mostly\x94 agree \x96 the \x80 cost of care is a worry for our residents and their families.\n"),
			fromName: "Old Client", fromAddr: "old@example.net", subject: "Letter", id: "cp@example.net",
			date:    time.Date(2021, 2, 4, 12, 0, 0, 0, time.UTC),
			bodyHas: "We “mostly” agree – the € cost of care",
		},
		{
			name: "HTML-only body becomes text",
			raw: crlf(`From: "Care Home Ltd" <manager@carehome.example>
Subject: Our response
Date: Fri, 5 Feb 2021 16:30:00 +0000
Message-ID: <html@carehome.example>
Content-Type: text/html; charset=utf-8

<html><head><style>p {color: red}</style></head><body><h1>Accelerating improvement</h1>
<p>We <b>fully</b> support this&nbsp;theme &amp; its aims.</p></body></html>
`),
			fromName: "Care Home Ltd", fromAddr: "manager@carehome.example", subject: "Our response", id: "html@carehome.example",
			date:       time.Date(2021, 2, 5, 16, 30, 0, 0, time.UTC),
			bodyHas:    "We *fully* support this\u00a0theme & its aims.",
			bodyLacks:  "<p>",
			warningHas: "Plain Text from HTML",
		},
		{
			name: "missing date and unparseable sender are warnings",
			raw: crlf(`From: not an address
Subject: No date
Message-ID: <nodate@example.org>

Body text.
`),
			fromName: "not an address", subject: "No date", id: "nodate@example.org",
			bodyHas: "Body text.", warningHas: "no Date header",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, probs := readOne(t, tt.raw, Limits{})
			if len(probs) != 0 {
				t.Errorf("problems: %v", probs)
			}
			if m.FromName != tt.fromName || m.FromAddress != tt.fromAddr {
				t.Errorf("from = %q <%s>, want %q <%s>", m.FromName, m.FromAddress, tt.fromName, tt.fromAddr)
			}
			if m.Subject != tt.subject || m.MessageID != tt.id {
				t.Errorf("subject, id = %q, %q; want %q, %q", m.Subject, m.MessageID, tt.subject, tt.id)
			}
			if !m.Date.Equal(tt.date) {
				t.Errorf("date = %v, want %v", m.Date, tt.date)
			}
			if !strings.Contains(m.Body, tt.bodyHas) {
				t.Errorf("body %q lacks %q", m.Body, tt.bodyHas)
			}
			if tt.bodyLacks != "" && strings.Contains(m.Body, tt.bodyLacks) {
				t.Errorf("body %q has %q", m.Body, tt.bodyLacks)
			}
			if tt.warningHas != "" && !hasWarning(m, tt.warningHas) {
				t.Errorf("warnings %q lack %q", m.Warnings, tt.warningHas)
			}
			if !bytes.Equal(m.Raw, tt.raw) {
				t.Error("Raw is not the message as read")
			}
			if m.Item != "message 1" {
				t.Errorf("item = %q", m.Item)
			}
		})
	}
}

func TestSyntheticMessageID(t *testing.T) {
	raw := crlf("From: a@example.org\nSubject: no id\nDate: Mon, 1 Feb 2021 10:00:00 +0000\n\nHello.\n")
	m, _ := readOne(t, raw, Limits{})
	sum := sha256.Sum256(raw)
	if want := "sha256:" + hex.EncodeToString(sum[:]); m.MessageID != want {
		t.Errorf("MessageID = %q, want %q", m.MessageID, want)
	}
	if !hasWarning(m, "no Message-ID") {
		t.Errorf("warnings %q lack the missing Message-ID", m.Warnings)
	}
	again, _ := readOne(t, raw, Limits{})
	if again.MessageID != m.MessageID {
		t.Error("synthetic Message-ID is not stable")
	}
}

// TestReadEMLProblems covers what must be reported rather than dropped.
func TestReadEMLProblems(t *testing.T) {
	tests := []struct {
		name     string
		raw      []byte
		lim      Limits
		keep     bool   // whether a message still comes back
		reason   string // in the one Problem
		bodyWant string // the cleaned body, if kept
	}{
		{
			name: "NUL bytes in the body",
			raw:  crlf("From: a@example.org\nMessage-ID: <nul@x>\nSubject: s\n\nHello\x00 world\n"),
			keep: true, reason: "NUL bytes in body", bodyWant: "Hello world\n",
		},
		{
			name: "invalid UTF-8 in a raw 8-bit subject",
			raw:  crlf("From: a@example.org\nMessage-ID: <bad@x>\nSubject: caf\xe9 \xff\n\nHello\n"),
			keep: true, reason: "invalid UTF-8 in subject", bodyWant: "Hello\n",
		},
		{
			name: "truncated multipart: boundary never closed",
			raw: crlf("From: a@example.org\nMessage-ID: <trunc@x>\nSubject: s\nContent-Type: multipart/mixed; boundary=\"XX\"\n\n" +
				"--XX\nContent-Type: text/plain\n\nThe first part survives.\n--XX\nContent-Type: application/pdf\n" +
				"Content-Disposition: attachment; filename=\"cut.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLj"),
			keep: true, reason: "was not closed correctly", bodyWant: "The first part survives.",
		},
		{
			name:   "multipart without a boundary",
			raw:    crlf("From: a@example.org\nSubject: s\nContent-Type: multipart/mixed\n\nbody\n"),
			reason: "malformed MIME: unable to locate boundary",
		},
		{
			name: "multipart whose boundary never appears",
			raw: crlf("From: a@example.org\nMessage-ID: <nb@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"zzz\"\n\n" +
				"This is the whole letter, but the boundary never appears.\n"),
			reason: `malformed MIME: the multipart boundary "zzz" never appears`,
		},
		{
			name: "nested multipart whose boundary never appears",
			raw: crlf("From: a@example.org\nMessage-ID: <nnb@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n" +
				"--outer\nContent-Type: multipart/alternative; boundary=\"inner\"\n\nThe letter, but the inner boundary never appears.\n--outer--\n"),
			reason: `malformed MIME: the multipart boundary "inner" never appears`,
		},
		{
			name: "malformed base64 body",
			raw: crlf("From: a@example.org\nMessage-ID: <b64@x>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
				"VGhpcyBpcyBub3Qg!!!@@@ YmFzZTY0 ***\n/w==\n"),
			keep: true, reason: "malformed base64 (unexpected '!' in base64 stream): some of the text cannot be decoded",
		},
		{
			name: "unknown charset",
			raw: crlf("From: a@example.org\nMessage-ID: <cs@x>\nContent-Type: text/plain; charset=x-klingon\nContent-Transfer-Encoding: 8bit\n\n" +
				"Caf\xe9 culture\n"),
			keep: true, reason: `unsupported charset "x-klingon": the text cannot be decoded`,
		},
		{
			name:   "not an email at all",
			raw:    []byte("Dear CQC, this was saved as text\nwithout any headers.\n"),
			reason: "malformed MIME",
		},
		{
			name: "header line starting with a colon",
			raw:  crlf(": broken\nFrom: a@example.org\nMessage-ID: <colon@x>\n\nText\n"),
			keep: true, reason: "Malformed Header", bodyWant: "Text\n",
		},
		{
			name:   "header section over the limit",
			raw:    crlf("From: a@example.org\nSubject: " + strings.Repeat("very long ", 200) + "\n\nText\n"),
			lim:    Limits{MaxHeaderBytes: 1024},
			reason: "header section is 2032 bytes, more than the limit of 1024",
		},
		{
			name:   "message over the size limit",
			raw:    crlf("From: a@example.org\nSubject: big\n\n" + strings.Repeat("x", 5000) + "\n"),
			lim:    Limits{MaxMessageBytes: 4096},
			reason: "message is larger than the limit of 4096 bytes",
		},
		{
			name:   "empty file",
			raw:    []byte("\r\n  \r\n"),
			reason: "empty message",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, probs, err := ReadFile("letters/x.EML", bytes.NewReader(tt.raw), tt.lim)
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			if len(probs) != 1 || !strings.Contains(probs[0].Reason, tt.reason) {
				t.Fatalf("problems = %v, want one with %q", probs, tt.reason)
			}
			if p := probs[0]; p.File != "letters/x.EML" || p.Item != "message 1" ||
				p.Error() != "letters/x.EML: message 1: "+p.Reason {
				t.Errorf("problem = %+v (%q)", p, p.Error())
			}
			if got := len(msgs) == 1; got != tt.keep {
				t.Fatalf("message kept = %v, want %v", got, tt.keep)
			}
			if tt.keep && !strings.Contains(msgs[0].Body, tt.bodyWant) {
				t.Errorf("body = %q, want %q", msgs[0].Body, tt.bodyWant)
			}
		})
	}
}

func TestReadFileRefusesUnknownExtensionAndHugeFiles(t *testing.T) {
	_, _, err := ReadFile("responses.pst", strings.NewReader("x"), Limits{})
	if err == nil || !strings.Contains(err.Error(), `cannot read ".pst" files`) {
		t.Errorf("err = %v, want it to name .pst", err)
	}
	big := strings.NewReader("From x\n" + strings.Repeat("y", 2000))
	_, _, err = ReadFile("all.mbox", big, Limits{MaxFileBytes: 1000})
	if err == nil || !strings.Contains(err.Error(), "larger than the import limit of 1000 bytes") {
		t.Errorf("err = %v, want the file size limit", err)
	}
}
