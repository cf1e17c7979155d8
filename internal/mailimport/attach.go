package mailimport

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
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
		a.Text, err = docxText(p.Content, lim.MaxTextBytes)
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
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("unreadable Windows-1252 text: %w", err)
	}
	return string(out), nil
}

// docxText reads the paragraphs of word/document.xml, one line each. The
// inner XML is read through a limit whatever its declared size, so a
// compressed bomb inside the .docx stops at max.
func docxText(b []byte, max int64) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("unreadable .docx (not a zip): %w", err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errors.New("unreadable .docx: no word/document.xml")
	}
	if doc.UncompressedSize64 > uint64(max) {
		return "", fmt.Errorf(".docx text declares %d bytes, more than the limit of %d", doc.UncompressedSize64, max)
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("unreadable .docx: %w", err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: max + 1}
	text, err := wordXML(lr)
	if lr.N <= 0 {
		return "", fmt.Errorf(".docx text expands to more than the limit of %d bytes", max)
	}
	if err != nil {
		return "", fmt.Errorf("unreadable .docx: %w", err)
	}
	return text, nil
}

// wordXML collects the text runs (w:t) of WordprocessingML, ending each
// paragraph (w:p) with a newline. Deleted text (w:delText) and field
// codes (w:instrText) are not text runs and are skipped.
func wordXML(r io.Reader) (string, error) {
	var out strings.Builder
	inText := false
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return strings.TrimRight(out.String(), "\n"), nil
		}
		if err != nil {
			return "", fmt.Errorf("word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				out.WriteByte('\t')
			case "br", "cr":
				out.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				out.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				out.Write(t)
			}
		}
	}
}
