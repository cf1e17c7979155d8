package mailimport

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// readAttachment takes the text out of one attached part. It always
// returns an Attachment: when no text can be taken, Err says why.
func readAttachment(p *enmime.Part, lim Limits) Attachment {
	a := Attachment{Name: p.FileName, ContentType: p.ContentType, Size: len(p.Content)}
	if a.Name == "" {
		a.Name = "unnamed part " + p.PartID
	}
	var err error
	ext := strings.ToLower(path.Ext(p.FileName))
	switch {
	case ext == ".txt" || ext == "" && p.ContentType == "text/plain":
		a.Text, err = plainText(p.Content, lim.MaxTextBytes)
	case ext == ".docx" || ext == "" && p.ContentType == docxType:
		a.Text, a.Headings, err = docxText(p.Content, lim.MaxTextBytes)
	case ext == ".pdf" || ext == "" && p.ContentType == "application/pdf":
		a.Text, err = pdfText(p.Content, lim)
	case ext == ".msg" || ext == "" && p.ContentType == msgType: // Outlook (#17)
		a.Text, err = msgText(p.Content, lim)
	default:
		kind := p.ContentType
		if ext != "" {
			kind = ext + " (" + p.ContentType + ")"
		}
		err = fmt.Errorf("cannot take text from %s", kind)
	}
	if err != nil {
		a.Text, a.Err = "", err.Error()
	}
	return a
}

// plainText decodes a text file: UTF-8 (a BOM is dropped), UTF-16 with a
// BOM, and otherwise Windows-1252, the usual charset of older Windows
// files. Windows-1252 maps every byte, so the result is always valid.
func plainText(b []byte, max int64) (string, error) {
	if int64(len(b)) > max {
		return "", fmt.Errorf("text is %d bytes, more than the limit of %d", len(b), max)
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("unreadable UTF-16 text: %w", err)
		}
		return string(out), nil
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	// Windows-1252 only when the text has no UTF-8 in it and every byte is
	// defined there: otherwise some of it would become U+FFFD.
	multibyte, first := false, -1
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if first < 0 {
				first = i
			}
			if b[i] == 0x81 || b[i] == 0x8D || b[i] == 0x8F || b[i] == 0x90 || b[i] == 0x9D {
				return "", fmt.Errorf("text is neither UTF-8 nor Windows-1252: byte 0x%02X at byte offset %d", b[i], i)
			}
		} else if size > 1 {
			multibyte = true
		}
		i += size
	}
	if multibyte {
		return "", fmt.Errorf("UTF-8 text with a byte that is not UTF-8: 0x%02X at byte offset %d", b[first], first)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("unreadable Windows-1252 text: %w", err)
	}
	return string(out), nil
}
