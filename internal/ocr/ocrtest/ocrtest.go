// Package ocrtest makes scans for tests, in Go so tests need no image
// tools: pages of known text rendered as typed print scanned at 200 DPI
// (Go Regular, 12 points), as PNG, JPEG or TIFF, and image-only PDFs of
// such pages.
package ocrtest

import (
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/tiff"
)

// face is Go Regular at 12 points on a 200 DPI page: letters about
// 35 pixels high, as a scanned typed letter has them.
var face = func() font.Face {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic(err)
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 12, DPI: 200, Hinting: font.HintingFull})
	if err != nil {
		panic(err)
	}
	return fc
}()

// Image draws lines of text black on white, with a margin, anti-aliased
// like a scan.
func Image(lines ...string) *image.Gray {
	w := 0
	for _, l := range lines {
		w = max(w, font.MeasureString(face, l).Ceil())
	}
	lineH := face.Metrics().Height.Ceil() * 3 / 2
	img := image.NewGray(image.Rect(0, 0, w+200, lineH*len(lines)+200))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.Black, Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(100, 100+face.Metrics().Ascent.Ceil()+lineH*i)
		d.DrawString(l)
	}
	return img
}

// Noise blots a fraction of the pixels, for a scan that reads badly.
func Noise(img *image.Gray, fraction float64) {
	b := make([]byte, len(img.Pix))
	rand.Read(b)
	for i := range img.Pix {
		if float64(b[i])/255 < fraction {
			img.Pix[i] = 255 - img.Pix[i]
		}
	}
}

// PNG encodes a page as PNG.
func PNG(img image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, img) //nolint:errcheck // bytes.Buffer
	return b.Bytes()
}

// JPEG encodes a page as JPEG.
func JPEG(img image.Image) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}) //nolint:errcheck
	return b.Bytes()
}

// TIFF encodes a page as TIFF.
func TIFF(img image.Image) []byte {
	var b bytes.Buffer
	tiff.Encode(&b, img, &tiff.Options{Compression: tiff.Deflate}) //nolint:errcheck
	return b.Bytes()
}

// PDF makes an image-only PDF, one page per image, each page the size of
// its image at 200 DPI: what a scanner writes.
func PDF(pages ...*image.Gray) []byte {
	return pdf(pages, "")
}

// EncryptedPDF is PDF with a user password: no reader opens it without.
func EncryptedPDF(pages ...*image.Gray) []byte {
	return pdf(pages, "encrypt")
}

func pdf(pages []*image.Gray, mode string) []byte {
	var objs []string
	add := func(s string) int {
		objs = append(objs, s)
		return len(objs)
	}
	add("<< /Type /Catalog /Pages 2 0 R >>")
	add("") // pages, filled in below
	var kids []string
	for _, img := range pages {
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(img.Pix) //nolint:errcheck
		zw.Close()
		im := add(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
			w, h, z.Len(), z.String()))
		pw, ph := float64(w)*72/200, float64(h)*72/200
		content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im Do Q", pw, ph)
		c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
		p := add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R /Resources << /XObject << /Im %d 0 R >> >> >>", pw, ph, c, im))
		kids = append(kids, fmt.Sprintf("%d 0 R", p))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", join(kids), len(kids))
	trailerExtra := ""
	if mode == "encrypt" {
		// Standard security handler, revision 2, with an owner and user
		// entry no empty password matches.
		e := add("<< /Filter /Standard /V 1 /R 2 /O <" + hex32() + "> /U <" + hex32() + "> /P -44 >>")
		trailerExtra = fmt.Sprintf(" /Encrypt %d 0 R /ID [<%s> <%s>]", e, hex32()[:32], hex32()[:32])
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, xref)
	return b.Bytes()
}

func join(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x)
	}
	return b.String()
}

func hex32() string {
	b := make([]byte, 32)
	rand.Read(b)
	return fmt.Sprintf("%X", b)
}

// Require skips a test when Tesseract or poppler-utils are missing, with
// the reason, except under CI (CI=true), where it fails: CI installs them.
func Require(t interface {
	Helper()
	Skipf(string, ...any)
	Fatalf(string, ...any)
}, available error) {
	t.Helper()
	if available == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI must have OCR tools: %v", available)
	}
	t.Skipf("skipping: %v", available)
}
