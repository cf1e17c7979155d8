package mailimport

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// docxText reads a Word document's paragraphs, separated by blank lines
// as a writer separates them on the page, and says which are headings:
// paragraphs in a heading style (Heading 1–3, Title, or a style whose
// outline level is 1–3) or short single-line paragraphs set in bold.
// headings holds the byte offset in text where each heading starts. The
// inner XML is read through a limit whatever its declared size, so a
// compressed bomb inside the .docx stops at max.
func docxText(b []byte, max int64) (text string, headings []int, err error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", nil, fmt.Errorf("unreadable .docx (not a zip): %w", err)
	}
	var doc, styles *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			doc = f
		case "word/styles.xml":
			styles = f
		}
	}
	if doc == nil {
		return "", nil, errors.New("unreadable .docx: no word/document.xml")
	}
	hs := headingStyles{}
	if styles != nil {
		// Without its styles a document still has its text; only
		// heading styles would be missed.
		_ = readPart(styles, max, func(r io.Reader) error { return hs.read(r) })
	}
	var paras []paragraph
	err = readPart(doc, max, func(r io.Reader) error {
		var err error
		paras, err = wordXML(r, hs)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	var out strings.Builder
	for _, p := range paras {
		t := strings.TrimSpace(p.text)
		if t == "" {
			continue
		}
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		if p.heading || (p.bold && shortLine(t)) {
			headings = append(headings, out.Len())
		}
		out.WriteString(t)
	}
	return out.String(), headings, nil
}

// readPart reads one part of the package through a limit.
func readPart(f *zip.File, max int64, read func(io.Reader) error) error {
	if f.UncompressedSize64 > uint64(max) {
		return fmt.Errorf(".docx text declares %d bytes, more than the limit of %d", f.UncompressedSize64, max)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("unreadable .docx: %w", err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: max + 1}
	err = read(lr)
	if lr.N <= 0 {
		return fmt.Errorf(".docx text expands to more than the limit of %d bytes", max)
	}
	if err != nil {
		return fmt.Errorf("unreadable .docx: %w", err)
	}
	return nil
}

// shortLine: a bold paragraph this short, without a full stop, reads as
// a heading; a longer one is emphasis.
func shortLine(s string) bool {
	return !strings.Contains(s, "\n") && len(strings.Fields(s)) <= 12 && utf8.RuneCountInString(s) <= 100 &&
		!strings.HasSuffix(s, ".")
}

// headingStyles holds the ids of the styles that make a paragraph a
// heading, read from word/styles.xml (ids differ by writer and language;
// names and outline levels do not).
type headingStyles map[string]bool

func (hs headingStyles) read(r io.Reader) error {
	dec := xml.NewDecoder(r)
	var id string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "style":
			id = attr(se, "styleId")
		case "name":
			switch strings.ToLower(attr(se, "val")) {
			case "title", "heading 1", "heading 2", "heading 3":
				hs[id] = true
			}
		case "outlineLvl":
			if v := attr(se, "val"); v == "0" || v == "1" || v == "2" {
				hs[id] = true
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// paragraph is one w:p: its text, whether its style is a heading's, and
// whether all its text is bold.
type paragraph struct {
	text    string
	heading bool
	bold    bool
}

// wordXML collects the paragraphs of WordprocessingML: text runs (w:t),
// tabs and breaks. Deleted text (w:delText) and field codes (w:instrText)
// are not text runs and are skipped.
func wordXML(r io.Reader, hs headingStyles) ([]paragraph, error) {
	var paras []paragraph
	var cur strings.Builder
	var p paragraph
	inText, runBold, allBold, anyText, inRPr := false, false, true, false, false
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return paras, nil
		}
		if err != nil {
			return nil, fmt.Errorf("word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				cur.Reset()
				p, allBold, anyText = paragraph{}, true, false
			case "pStyle":
				p.heading = p.heading || hs[attr(t, "val")]
			case "outlineLvl":
				if v := attr(t, "val"); v == "0" || v == "1" || v == "2" {
					p.heading = true
				}
			case "r":
				runBold = false
			case "rPr":
				inRPr = true
			case "b":
				if inRPr {
					v := attr(t, "val")
					runBold = v == "" || v == "1" || v == "true" || v == "on"
				}
			case "t":
				inText = true
			case "tab":
				cur.WriteByte('\t')
			case "br", "cr":
				cur.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "rPr":
				inRPr = false
			case "p":
				p.text, p.bold = cur.String(), anyText && allBold
				paras = append(paras, p)
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
				if strings.TrimSpace(string(t)) != "" {
					anyText = true
					allBold = allBold && runBold
				}
			}
		}
	}
}
