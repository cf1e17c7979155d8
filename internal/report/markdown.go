package report

import (
	"fmt"
	"io"
	"strings"
)

// Heading is the report's title line.
func (r *Report) Heading() string { return "Responding to our consultation: " + r.Title }

// WriteMarkdown writes r as Markdown; links are made absolute with site
// (e.g. "https://heard.example.org"), so they work from a file.
func (r *Report) WriteMarkdown(w io.Writer, site string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(r.Heading()))
	if r.Frozen != "" {
		fmt.Fprintf(&b, "_%s_\n\n", mdEscape(r.Frozen))
	}
	fmt.Fprintf(&b, "These figures cover %s.\n\n", mdEscape(r.Covers))
	if r.Personal != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(r.Personal))
	}
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "## %s\n\n", mdEscape(s.Title))
		for _, p := range s.Paragraphs {
			for _, x := range p {
				if x.Href != "" {
					fmt.Fprintf(&b, "[%s](%s)", mdEscape(x.Text), site+x.Href)
				} else {
					b.WriteString(mdEscape(x.Text))
				}
			}
			b.WriteString("\n\n")
		}
		for _, q := range s.Quotes {
			fmt.Fprintf(&b, "> “%s” (%s)\n\n", mdEscape(q.Text), mdEscape(q.Attribution))
		}
		if s.Narrative != "" {
			b.WriteString(strings.TrimSpace(s.Narrative) + "\n\n")
		}
	}
	fmt.Fprintf(&b, "---\n\n%s\n", mdEscape(r.Rule))
	_, err := io.WriteString(w, b.String())
	return err
}

var mdReplacer = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "#", `\#`, "`", "\\`")

// mdEscape keeps figures and labels from being read as Markdown.
func mdEscape(s string) string { return mdReplacer.Replace(s) }
