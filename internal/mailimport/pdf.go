package mailimport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// errNoPDFTool says what to install; pdftotext is the one external program
// the importer uses, and only for PDF attachments.
var errNoPDFTool = errors.New("PDF text needs pdftotext (Debian package poppler-utils)")

// pdfText runs pdftotext over the PDF on stdin, with a timeout and a cap
// on the text it keeps.
func pdfText(b []byte, lim Limits) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", errNoPDFTool
	}
	ctx, cancel := context.WithTimeout(context.Background(), lim.PDFTimeout)
	defer cancel()
	out := &capBuffer{max: int(lim.MaxTextBytes)}
	stderr := &capBuffer{max: 4096}
	cmd := exec.CommandContext(ctx, bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(b), out, stderr
	err = cmd.Run()
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("pdftotext took longer than %s", lim.PDFTimeout)
	case err != nil:
		// pdftotext's last complaint is the one that stopped it.
		msg := "not a readable PDF"
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if last := lines[len(lines)-1]; last != "" {
			msg = last
		}
		return "", fmt.Errorf("pdftotext: %v: %s", err, msg)
	case out.over:
		return "", fmt.Errorf("PDF text is more than the limit of %d bytes", lim.MaxTextBytes)
	}
	// pdftotext ends each page with a form feed.
	text := strings.TrimSpace(strings.ReplaceAll(out.String(), "\f", "\n\n"))
	if text == "" {
		return "", errors.New("PDF has no text layer (a scan?): it needs OCR")
	}
	return text, nil
}

// capBuffer keeps the first max bytes written and notes if there were
// more, always accepting the write so the command is not blocked. The
// buffer is a field, not embedded, so io.Copy cannot bypass Write through
// bytes.Buffer's ReadFrom.
type capBuffer struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (c *capBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); len(p) > room {
		c.over = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

func (c *capBuffer) String() string { return c.buf.String() }
