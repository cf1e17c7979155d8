package mailimport

import (
	"os/exec"
	"strings"
	"testing"
)

// nested builds multipart/mixed > multipart/alternative with a .txt, a
// .docx, a .pdf and an image attached.
func nested(t *testing.T) []byte {
	return crlf(`From: Jane Smith <jane@charity.example>
Subject: Consultation response from Carers Together
Date: Mon, 1 Mar 2021 17:45:00 +0000
Message-ID: <nested@charity.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

This is a multi-part message in MIME format.
--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Please find our response attached.
--inner
Content-Type: text/html; charset=utf-8

<p>Please find our response <b>attached</b>.</p>
--inner--
--outer
Content-Type: application/octet-stream; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"
Content-Transfer-Encoding: base64

` + b64([]byte("Q6a: Don\x92t know \x96 we need more detail.")) + `
--outer
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document
Content-Disposition: attachment; filename="response.docx"
Content-Transfer-Encoding: base64

` + b64(docx(t, "Smarter regulation", "We support a more flexible approach.")) + `
--outer
Content-Type: application/pdf
Content-Disposition: attachment; filename="=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?="
Content-Transfer-Encoding: base64

` + b64(pdf("Safety through learning matters")) + `
--outer
Content-Type: image/png
Content-Disposition: attachment; filename="logo.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--outer--
`)
}

func TestNestedMultipartWithAttachments(t *testing.T) {
	_, err := exec.LookPath("pdftotext")
	hasPDF := err == nil
	m, probs := readOne(t, nested(t), Limits{})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if m.Body != "Please find our response attached.\n" && m.Body != "Please find our response attached." {
		t.Errorf("body = %q", m.Body)
	}
	want := []Attachment{
		{Name: "notes.txt", ContentType: "application/octet-stream", Text: "Q6a: Don’t know – we need more detail."},
		{Name: "response.docx", ContentType: docxType, Text: "Smarter regulation\n\nWe support a more flexible approach."},
		{Name: "résumé.pdf", ContentType: "application/pdf", Text: "Safety through learning matters"},
		{Name: "logo.png", ContentType: "image/png", Err: "cannot take text from .png (image/png)"},
	}
	if !hasPDF {
		want[2].Text, want[2].Err = "", errNoPDFTool.Error()
	}
	if len(m.Attachments) != len(want) {
		t.Fatalf("attachments = %+v, want %d", m.Attachments, len(want))
	}
	for i, w := range want {
		got := m.Attachments[i]
		if got.Name != w.Name || got.ContentType != w.ContentType || got.Text != w.Text || got.Err != w.Err || got.Size == 0 {
			t.Errorf("attachment %d = %+v\nwant %+v", i, got, w)
		}
	}
	text := m.Text()
	for _, s := range []string{"Please find our response attached.\n\n[Attachment: notes.txt]\n\nQ6a: Don’t know",
		"[Attachment: response.docx]\n\nSmarter regulation\n"} {
		if !strings.Contains(text, s) {
			t.Errorf("Text() = %q\nlacks %q", text, s)
		}
	}
	if strings.Contains(text, "logo.png") || strings.Contains(text, "deleted words") {
		t.Errorf("Text() = %q has an unreadable attachment or deleted text", text)
	}
}

// TestPDFWithoutPdftotext hides pdftotext to check the message saying
// what to install; the PDF is still listed.
func TestPDFWithoutPdftotext(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	m, probs := readOne(t, nested(t), Limits{})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	a := m.Attachments[2]
	if a.Err != "PDF text needs pdftotext (Debian package poppler-utils)" || a.Text != "" {
		t.Errorf("pdf attachment = %+v", a)
	}
}

func TestPDFText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		// Without the tool every PDF gets the same clear message.
		_, err := pdfText(pdf("x"), DefaultLimits())
		if err != errNoPDFTool {
			t.Errorf("err = %v, want %v", err, errNoPDFTool)
		}
		return
	}
	tests := []struct {
		name, want, errHas string
		data               []byte
		lim                Limits
	}{
		{name: "text", data: pdf("Accelerating improvement"), want: "Accelerating improvement"},
		{name: "no text layer", data: pdf(""), errHas: "no text layer"},
		{name: "not a PDF", data: []byte("hello"), errHas: "pdftotext: exit status 1: Syntax Error: Couldn't read xref table"},
		{name: "text over the limit", data: pdf("Accelerating improvement"), lim: Limits{MaxTextBytes: 5}, errHas: "more than the limit of 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pdfText(tt.data, tt.lim.withDefaults())
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Errorf("err = %v, want %q", err, tt.errHas)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("pdfText = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"utf-8", []byte("Caf\u00e9 – fine"), "Café – fine"},
		{"utf-8 with BOM", []byte("\xef\xbb\xbfHello"), "Hello"},
		{"windows-1252", []byte("\x93quoted\x94 \x80 5"), "“quoted” € 5"},
		{"utf-16le with BOM", []byte{0xFF, 0xFE, 'H', 0, 'i', 0}, "Hi"},
		{"utf-16be with BOM", []byte{0xFE, 0xFF, 0, 'H', 0, 'i'}, "Hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := plainText(tt.in, 1<<20)
			if err != nil || got != tt.want {
				t.Errorf("plainText = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := plainText([]byte("123456"), 5); err == nil {
		t.Error("text over the limit was read")
	}
	for in, want := range map[string]string{
		"caf\xe9 \x81":           "neither UTF-8 nor Windows-1252: byte 0x81 at byte offset 5",
		"Caf\u00e9 and na\xefve": "UTF-8 text with a byte that is not UTF-8: 0xEF at byte offset 12",
	} {
		if got, err := plainText([]byte(in), 1<<20); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("plainText(%q) = %q, %v; want an error saying %q", in, got, err, want)
		}
	}
}

func TestDocxText(t *testing.T) {
	tests := []struct {
		name, want, errHas string
		data               []byte
		max                int64
	}{
		{name: "paragraphs become paragraphs", data: docx(t, "People and communities", "Q1a: Mostly"), max: 1 << 20,
			want: "People and communities\n\nQ1a: Mostly"},
		{name: "not a zip", data: []byte("PK? no"), max: 1 << 20, errHas: "not a zip"},
		{name: "zip without a document", data: zipOf(t, [2]string{"a.txt", "x"}), max: 1 << 20, errHas: "no word/document.xml"},
		{name: "document over the limit", data: docx(t, strings.Repeat("a", 4000)), max: 1000, errHas: "declares"},
		{name: "broken XML", data: zipOf(t, [2]string{"word/document.xml", "<w:document><w:p>"}), max: 1 << 20, errHas: "unreadable .docx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := docxText(tt.data, tt.max)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Errorf("err = %v, want %q", err, tt.errHas)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("docxText = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
