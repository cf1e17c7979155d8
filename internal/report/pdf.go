package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoChromium is returned when no Chromium is installed to print PDFs.
var ErrNoChromium = errors.New("report: PDF needs Chromium, which is not installed")

// Printer prints HTML to PDF with headless Chromium, started on first
// use and kept (a cold start takes seconds).
type Printer struct {
	// Path is the Chromium binary; empty means /usr/bin/chromium.
	Path string

	mu      sync.Mutex
	browser context.Context
	cancel  context.CancelFunc
}

func (p *Printer) path() string {
	if p.Path != "" {
		return p.Path
	}
	return "/usr/bin/chromium"
}

// Available reports whether Chromium is installed.
func (p *Printer) Available() bool {
	_, err := os.Stat(p.path())
	return err == nil
}

// PDF prints a standalone HTML document.
func (p *Printer) PDF(ctx context.Context, html string) ([]byte, error) {
	if !p.Available() {
		return nil, ErrNoChromium
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.browser == nil {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(p.path()), chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true))
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		browser, cancelBrowser := chromedp.NewContext(alloc)
		if err := chromedp.Do(browser); err != nil {
			cancelBrowser()
			cancelAlloc()
			return nil, fmt.Errorf("report: start chromium: %w", err)
		}
		p.browser, p.cancel = browser, func() { cancelBrowser(); cancelAlloc() }
	}
	tab, cancel := chromedp.NewContext(p.browser)
	defer cancel()
	tab, cancelT := context.WithTimeout(tab, 30*time.Second)
	defer cancelT()
	stop := context.AfterFunc(ctx, cancelT)
	defer stop()
	setContent := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return chromedp.Void{}, err
		}
		_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank"), setContent); err != nil {
		return nil, fmt.Errorf("report: load report into chromium: %w", err)
	}
	tagged := func(p *page.PrintToPDFParams) { t := true; p.GenerateTaggedPDF = &t }
	out, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground(), tagged))
	if err != nil {
		return nil, fmt.Errorf("report: print pdf: %w", err)
	}
	return out, nil
}

// Close stops the browser, if started.
func (p *Printer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		p.cancel()
		p.browser, p.cancel = nil, nil
	}
}
