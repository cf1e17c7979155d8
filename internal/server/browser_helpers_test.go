package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The Chromium tests live in internal/e2e, their own test binary. These
// helpers stay so that a browser test written here in the old style still
// builds; move such a test to internal/e2e by changing its package clause.

// browser drives one Chromium for a test, with the few steps the event
// tests repeat.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b *browser) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// focused names the focused element: its name, or its id.
func (b *browser) focused() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.name || document.activeElement.id`))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// submit does what submits the page, then waits for the next one.
func (b *browser) submit(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.run(what, append([]chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](`window.heardOldPage = true`)}, steps...)...)
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var fresh bool
		// Errors are expected while the old page unloads.
		if fresh, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.heardOldPage !== true && document.readyState === 'complete'`)); err == nil && fresh {
			return
		}
	}
	b.t.Fatalf("%s: the next page did not load: %v", what, err)
}

func (b *browser) open(path, ready string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
}

func keys(k string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(k) }

func (b *browser) location() string {
	b.t.Helper()
	l, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return l
}
