package mailimport

import (
	"os"
	"strings"
	"testing"
)

// northshire-letter.docx was written by LibreOffice Writer from
// northshire-letter.html (soffice --headless --infilter="HTML (StarWriter)"
// --convert-to docx): real Heading 1 and 2 styles, a bold paragraph used
// as a heading, and body paragraphs.
func TestDocxParagraphsAndHeadings(t *testing.T) {
	b, err := os.ReadFile("testdata/northshire-letter.docx")
	if err != nil {
		t.Fatal(err)
	}
	text, headings, err := docxText(b, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "1 March 2021\n\nDear CQC strategy team,\n\nThe Northshire") {
		t.Errorf("paragraphs are not separated by blank lines:\n%s", text)
	}
	var got []string
	for _, h := range headings {
		line, _, _ := strings.Cut(text[h:], "\n")
		got = append(got, line)
	}
	want := []string{"Listening to people", "Smarter, more flexible regulation", "Safety", "Our workforce", "Improvement",
		"How you will look at local care systems", "Reducing inequalities", "Equality impact assessment", "Conclusion"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("headings = %q\nwant %q", got, want)
	}
}
