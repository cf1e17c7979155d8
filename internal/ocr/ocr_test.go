package ocr_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"heard/internal/ocr"
	"heard/internal/ocr/ocrtest"
)

func tools() error {
	if err := ocr.Available(); err != nil {
		return err
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return ocr.ErrNoPoppler
	}
	return nil
}

var letter = []string{
	"Dear Care Quality Commission,",
	"Question 1b: We fully support the",
	"ambition to put people first.",
}

func TestReadImage(t *testing.T) {
	ocrtest.Require(t, tools())
	img := ocrtest.Image(letter...)
	for name, b := range map[string][]byte{"png": ocrtest.PNG(img), "jpeg": ocrtest.JPEG(img), "tiff": ocrtest.TIFF(img)} {
		t.Run(name, func(t *testing.T) {
			p, err := ocr.ReadImage(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{"Commission", "support", "ambition", "people"} {
				if !strings.Contains(p.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, p.Text)
				}
			}
			if p.Confidence < 70 || len(p.Words) < 10 || strings.Count(p.Text, "\n") < 2 {
				t.Errorf("confidence %.1f, %d words, text %q", p.Confidence, len(p.Words), p.Text)
			}
		})
	}
}

func TestNoisyScanScoresLower(t *testing.T) {
	ocrtest.Require(t, tools())
	clean, err := ocr.ReadImage(context.Background(), ocrtest.PNG(ocrtest.Image(letter...)))
	if err != nil {
		t.Fatal(err)
	}
	img := ocrtest.Image(letter...)
	ocrtest.Noise(img, 0.25)
	noisy, err := ocr.ReadImage(context.Background(), ocrtest.PNG(img))
	if err != nil {
		t.Fatal(err)
	}
	if noisy.Confidence >= clean.Confidence {
		t.Errorf("noisy %.1f, clean %.1f: want the noisy scan less confident", noisy.Confidence, clean.Confidence)
	}
}

func TestPDF(t *testing.T) {
	ocrtest.Require(t, tools())
	ctx := context.Background()
	pdf := ocrtest.PDF(ocrtest.Image("Page one: fully support"), ocrtest.Image("Page two: not at all"))
	in, err := ocr.InspectPDF(ctx, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if in.Pages != 2 || in.HasText() {
		t.Fatalf("pages %d, has text %v", in.Pages, in.HasText())
	}
	png, err := ocr.RenderPDFPage(ctx, pdf, 2)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ocr.ReadImage(ctx, png)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "Page two") {
		t.Errorf("page 2 text %q", p.Text)
	}

	if _, err := ocr.InspectPDF(ctx, ocrtest.EncryptedPDF(ocrtest.Image("secret"))); !errors.Is(err, ocr.ErrEncrypted) {
		t.Errorf("encrypted PDF: %v, want ErrEncrypted", err)
	}
	if _, err := ocr.InspectPDF(ctx, []byte("%PDF-1.4 garbage")); err == nil || !strings.Contains(err.Error(), "not a readable PDF") {
		t.Errorf("garbage PDF: %v", err)
	}
}
