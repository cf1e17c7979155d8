// Package ocr reads scanned letters offline: PDF pages are rendered to
// images with pdftoppm (poppler-utils) and every page image is read by
// Tesseract (tesseract-ocr with its English data), one page at a time,
// keeping each word's confidence. Both are run as programs, with
// timeouts, so a bad scan cannot take the server down with it.
package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNoTesseract says what to install; without it scans are kept as
// "needs typing up".
var ErrNoTesseract = errors.New("OCR needs Tesseract (Debian packages tesseract-ocr and tesseract-ocr-eng)")

// ErrNoPoppler: PDFs are measured and rendered by poppler-utils.
var ErrNoPoppler = errors.New("scanned PDFs need pdfinfo and pdftoppm (Debian package poppler-utils)")

// Lang is the Tesseract language used.
const Lang = "eng"

// PageTimeout bounds the reading of one page.
const PageTimeout = 2 * time.Minute

// DPI is the resolution PDF pages are rendered at: Tesseract reads best
// at 300 DPI, and 200 keeps a page image near 1 MB for display.
const DPI = 200

// Word is one word Tesseract read, with its confidence (0–100).
type Word struct {
	Text       string  `json:"t"`
	Confidence float64 `json:"c"`
}

// Page is one page's text.
type Page struct {
	Text  string
	Words []Word
	// Confidence is the mean of the words' confidences, 0 when no word
	// was read.
	Confidence float64
	// MaxRSS is the peak memory of the Tesseract process, in bytes.
	MaxRSS int64
}

// Available reports whether Tesseract and its English data are installed.
func Available() error {
	bin, err := exec.LookPath("tesseract")
	if err != nil {
		return ErrNoTesseract
	}
	out, err := exec.Command(bin, "--list-langs").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "\n"+Lang) {
		return fmt.Errorf("%w: the %q language data is missing", ErrNoTesseract, Lang)
	}
	return nil
}

// ReadImage reads the text of one page image (PNG, JPEG or TIFF).
func ReadImage(ctx context.Context, img []byte) (*Page, error) {
	bin, err := exec.LookPath("tesseract")
	if err != nil {
		return nil, ErrNoTesseract
	}
	ctx, cancel := context.WithTimeout(ctx, PageTimeout)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "stdin", "stdout", "-l", Lang, "--psm", "3", "tsv")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(img), &out, &stderr
	// One thread: pages are read one at a time in the background, beside
	// everything else on the machine.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("ocr: tesseract took longer than %s on one page", PageTimeout)
		}
		return nil, fmt.Errorf("ocr: tesseract: %v: %s", err, lastLine(stderr.String()))
	}
	p := parseTSV(out.Bytes())
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		p.MaxRSS = ru.Maxrss * 1024
	}
	return p, nil
}

// parseTSV assembles Tesseract's word table into lines and paragraphs.
// Columns: level page block par line word left top width height conf text.
func parseTSV(b []byte) *Page {
	p := &Page{}
	var text strings.Builder
	var lastBlock, lastPar, lastLine string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sum := 0.0
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		word := strings.TrimSpace(f[11])
		conf, err := strconv.ParseFloat(f[10], 64)
		if word == "" || err != nil || conf < 0 {
			continue
		}
		block, par, line := f[2], f[3], f[4]
		switch {
		case text.Len() == 0:
		case block != lastBlock || par != lastPar:
			text.WriteString("\n\n")
		case line != lastLine:
			text.WriteString("\n")
		default:
			text.WriteString(" ")
		}
		lastBlock, lastPar, lastLine = block, par, line
		text.WriteString(word)
		p.Words = append(p.Words, Word{Text: word, Confidence: conf})
		sum += conf
	}
	p.Text = text.String()
	if len(p.Words) > 0 {
		p.Confidence = sum / float64(len(p.Words))
	}
	return p
}

// PDFInfo is what a PDF says about itself.
type PDFInfo struct {
	Pages int
	// Text is the PDF's own text layer, page by page ("" for a scan).
	Text []string
}

// ErrEncrypted is a PDF that needs a password to open.
var ErrEncrypted = errors.New("the PDF is password-protected: save it without a password and import it again")

// InspectPDF counts a PDF's pages and takes its text layer, if any.
func InspectPDF(ctx context.Context, pdf []byte) (*PDFInfo, error) {
	info, err := exec.LookPath("pdfinfo")
	if err != nil {
		return nil, ErrNoPoppler
	}
	dir, path, err := tempPDF(pdf)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, info, path).CombinedOutput()
	s := string(out)
	switch {
	case strings.Contains(s, "Incorrect password"):
		return nil, ErrEncrypted
	case err != nil:
		return nil, fmt.Errorf("not a readable PDF: %s", lastLine(s))
	}
	in := &PDFInfo{}
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			in.Pages, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if in.Pages < 1 {
		return nil, errors.New("the PDF has no pages")
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.CommandContext(ctx, bin, "-enc", "UTF-8", path, "-").Output()
		if err == nil {
			in.Text = strings.Split(string(out), "\f")
			if len(in.Text) > in.Pages {
				in.Text = in.Text[:in.Pages]
			}
		}
	}
	return in, nil
}

// HasText reports whether every page has a text layer: such a PDF was
// typed, not scanned, and needs no OCR.
func (in *PDFInfo) HasText() bool {
	if len(in.Text) != in.Pages {
		return false
	}
	for _, t := range in.Text {
		if len(strings.Fields(t)) < 3 {
			return false
		}
	}
	return true
}

// RenderPDFPage renders page n (from 1) of a PDF as a grey PNG at DPI.
func RenderPDFPage(ctx context.Context, pdf []byte, n int) ([]byte, error) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, ErrNoPoppler
	}
	dir, path, err := tempPDF(pdf)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(ctx, PageTimeout)
	defer cancel()
	prefix := filepath.Join(dir, "page")
	page := strconv.Itoa(n)
	out, err := exec.CommandContext(ctx, bin, "-r", strconv.Itoa(DPI), "-gray", "-png", "-singlefile",
		"-f", page, "-l", page, path, prefix).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("ocr: render page %d: %v: %s", n, err, lastLine(string(out)))
	}
	return os.ReadFile(prefix + ".png")
}

func tempPDF(pdf []byte) (string, string, error) {
	dir, err := os.MkdirTemp("", "heard-ocr-")
	if err != nil {
		return "", "", fmt.Errorf("ocr: temp dir: %w", err)
	}
	path := filepath.Join(dir, "scan.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		os.RemoveAll(dir)
		return "", "", fmt.Errorf("ocr: temp file: %w", err)
	}
	return dir, path, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
