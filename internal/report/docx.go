package report

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteDOCX writes r as a Word document: a small OOXML package of our
// own (headings, paragraphs, hyperlinks), so no third-party writer is
// needed. Links are made absolute with site.
func (r *Report) WriteDOCX(w io.Writer, site string) error {
	var body strings.Builder
	var rels []string
	link := func(text, href string) string {
		id := fmt.Sprintf("rLink%d", len(rels)+1)
		rels = append(rels, fmt.Sprintf(`<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="%s" TargetMode="External"/>`, id, esc(site+href)))
		return fmt.Sprintf(`<w:hyperlink r:id="%s"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/><w:color w:val="1D70B8"/><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:hyperlink>`, id, esc(text))
	}
	run := func(text string) string {
		return fmt.Sprintf(`<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, esc(text))
	}
	para := func(style, inner string) {
		if style != "" {
			fmt.Fprintf(&body, `<w:p><w:pPr><w:pStyle w:val="%s"/></w:pPr>%s</w:p>`, style, inner)
			return
		}
		fmt.Fprintf(&body, `<w:p>%s</w:p>`, inner)
	}
	para("Title", run(r.Heading()))
	if r.Frozen != "" {
		para("", run(r.Frozen))
	}
	para("", run("These figures cover "+r.Covers+"."))
	if r.Personal != "" {
		para("", run(r.Personal))
	}
	for _, s := range r.Sections {
		para("Heading1", run(s.Title))
		for _, p := range s.Paragraphs {
			var inner strings.Builder
			for _, x := range p {
				if x.Href != "" {
					inner.WriteString(link(x.Text, x.Href))
				} else {
					inner.WriteString(run(x.Text))
				}
			}
			para("", inner.String())
		}
		for _, q := range s.Quotes {
			para("", run("“"+q.Text+"” ("+q.Attribution+")"))
		}
		for _, line := range strings.Split(strings.TrimSpace(s.Narrative), "\n\n") {
			if line != "" {
				para("", run(line))
			}
		}
	}
	para("", run(r.Rule))

	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` + strings.Join(rels, "") + `</Relationships>`},
		{"word/styles.xml", docxStyles},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>` + body.String() + `</w:body></w:document>`},
	}
	z := zip.NewWriter(w)
	for _, f := range files {
		fw, err := z.Create(f.name)
		if err != nil {
			return fmt.Errorf("report: docx %s: %w", f.name, err)
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return fmt.Errorf("report: docx %s: %w", f.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("report: docx: %w", err)
	}
	return nil
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) //nolint:errcheck // a strings.Builder does not fail
	return b.String()
}

// docxStyles names the headings so Word's navigation pane and screen
// readers see the structure.
const docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="24"/></w:rPr><w:pPr><w:spacing w:after="160"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/><w:spacing w:before="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="1D70B8"/><w:u w:val="single"/></w:rPr></w:style>
</w:styles>`
