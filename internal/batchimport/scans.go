package batchimport

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // scans arrive as JPEG
	_ "image/png"  // and PNG
	"io"
	"os"
	"path"
	"slices"
	"strings"

	_ "golang.org/x/image/tiff" // and TIFF

	"heard/internal/db"
	"heard/internal/ingest"
	"heard/internal/mailimport"
	"heard/internal/ocr"
)

// Scanned letters (#17): each PDF or image file is one letter, stored
// with its pages and read by OCR in the background, a page at a time
// (see scan_read.go). A PDF that has a text layer on every page was
// typed, not scanned: its text is taken at once.

// ScanFormats are the extensions of scanned letters.
var ScanFormats = []string{"pdf", "png", "jpg", "jpeg", "tif", "tiff"}

// MaxScanPages bounds the pages of one letter: a longer file is almost
// always several letters scanned together, which must be split so each
// is counted as one response.
const MaxScanPages = 50

// MaxScanBytes bounds one scan file.
const MaxScanBytes = 50 << 20

// maxScanPixels bounds an image's size before it is decoded (a small
// file can claim a huge image).
const maxScanPixels = 80_000_000

// IsScan reports whether a file name is a scanned letter's.
func IsScan(name string) bool {
	return slices.Contains(ScanFormats, strings.TrimPrefix(strings.ToLower(path.Ext(name)), "."))
}

// pendingScan is what is stored beside a scanned letter's response.
type pendingScan struct {
	name, contentType string
	data              []byte
	pages             int
	status, err       string
}

// scans imports a scan file, or a zip of them, one letter per file.
func (imp *importer) scans(ctx context.Context, filePath, name string) error {
	data, err := os.ReadFile(filePath)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if !strings.EqualFold(path.Ext(name), ".zip") {
		return imp.scan(ctx, "file", path.Base(name), data)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		imp.problem("", "", "", "not a readable zip file: "+err.Error())
		return nil
	}
	lim := mailimport.DefaultLimits()
	if len(zr.File) > lim.MaxZipEntries {
		imp.problem("", "", "", fmt.Sprintf("zip has %d entries, more than the limit of %d", len(zr.File), lim.MaxZipEntries))
		return nil
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		if !IsScan(f.Name) {
			imp.problem(f.Name, "", "", "not a scanned letter (.pdf, .png, .jpg or .tif)")
			imp.rep.Rejected++
			continue
		}
		if f.UncompressedSize64 > MaxScanBytes {
			imp.problem(f.Name, "", "", fmt.Sprintf("declares %d bytes, more than the limit of %d for one scan", f.UncompressedSize64, MaxScanBytes))
			imp.rep.Rejected++
			continue
		}
		rc, err := f.Open()
		if err != nil {
			imp.problem(f.Name, "", "", "cannot decompress: "+err.Error())
			imp.rep.Rejected++
			continue
		}
		b, err := io.ReadAll(io.LimitReader(rc, MaxScanBytes+1))
		rc.Close()
		if err != nil || len(b) > MaxScanBytes {
			imp.problem(f.Name, "", "", fmt.Sprintf("cannot decompress, or larger than %d bytes", MaxScanBytes))
			imp.rep.Rejected++
			continue
		}
		if err := imp.scan(ctx, f.Name, f.Name, b); err != nil {
			return err
		}
	}
	return nil
}

// scan checks one scan and queues its letter.
func (imp *importer) scan(ctx context.Context, item, name string, data []byte) error {
	ps, text, err := inspectScan(ctx, name, data)
	if err != nil {
		imp.problem(item, "", "", err.Error())
		imp.rep.Rejected++
		return nil
	}
	sum := sha256.Sum256(data)
	m := mailimport.Message{
		Item: item, MessageID: "scan:" + hex.EncodeToString(sum[:]), Subject: name, Date: now().UTC(), Body: text,
	}
	if ps.status == "needs_typing" {
		m.Warnings = append(m.Warnings, ps.err)
	}
	pm := imp.fromMessage(m)
	pm.src.scan = ps
	if ps.status != "read" {
		imp.rep.Scans++
	}
	return imp.add(ctx, item, pm.r)
}

// inspectScan checks a scan is readable and counts its pages. A PDF
// with a text layer on every page returns that text.
func inspectScan(ctx context.Context, name string, data []byte) (*pendingScan, string, error) {
	ps := &pendingScan{name: path.Base(name), data: data, pages: 1, status: "queued"}
	if ocrErr := ocr.Available(); ocrErr != nil {
		ps.status, ps.err = "needs_typing", ocrErr.Error()+": the scan is kept to be typed up"
	}
	if len(data) > MaxScanBytes {
		return nil, "", fmt.Errorf("scan is %d bytes, more than the limit of %d", len(data), MaxScanBytes)
	}
	if strings.EqualFold(path.Ext(name), ".pdf") {
		ps.contentType = "application/pdf"
		in, err := ocr.InspectPDF(ctx, data)
		switch {
		case errors.Is(err, ocr.ErrNoPoppler):
			ps.status, ps.err = "needs_typing", err.Error()+": the scan is kept to be typed up"
			return ps, "", nil
		case err != nil:
			return nil, "", err
		case in.Pages > MaxScanPages:
			return nil, "", fmt.Errorf("the PDF has %d pages, more than the limit of %d for one letter: split it into one file per letter", in.Pages, MaxScanPages)
		}
		ps.pages = in.Pages
		if in.HasText() {
			ps.status, ps.err = "read", ""
			return ps, strings.TrimSpace(strings.Join(in.Text, "\n\n")), nil
		}
		return ps, "", nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("not a readable PNG, JPEG or TIFF image: %v", err)
	}
	if cfg.Width*cfg.Height > maxScanPixels {
		return nil, "", fmt.Errorf("the image is %d×%d pixels, more than the limit of %d pixels", cfg.Width, cfg.Height, maxScanPixels)
	}
	ps.contentType = "image/" + format
	return ps, "", nil
}

// afterScans stores the scans of the responses just written.
func (imp *importer) afterScans(ctx context.Context, q *db.Queries, ids []int64, written []ingest.Response) error {
	for i, r := range written {
		src, ok := r.Source.(*mailSource)
		if !ok || src.scan == nil {
			continue
		}
		ps := src.scan
		if err := q.InsertScan(ctx, db.InsertScanParams{
			ConsultationID: imp.c.ID, ResponseID: ids[i], FileName: ps.name, ContentType: ps.contentType,
			Data: ps.data, Pages: int32(ps.pages), Status: ps.status, Error: ps.err,
		}); err != nil {
			return fmt.Errorf("store scan %s: %w", ps.name, err)
		}
	}
	return nil
}

// zipOfScans reports whether a zip holds scans and no emails, reading only
// its directory.
func zipOfScans(filePath string) bool {
	zr, err := zip.OpenReader(filePath)
	if err != nil {
		return false
	}
	defer zr.Close()
	n := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		ext := strings.ToLower(path.Ext(f.Name))
		if ext == ".eml" || ext == ".msg" {
			return false
		}
		if IsScan(f.Name) {
			n++
		}
	}
	return n > 0
}
