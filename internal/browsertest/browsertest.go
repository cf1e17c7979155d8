// Package browsertest drives Debian's Chromium, headless, for tests that
// must see pages as a person would, and checks them with axe-core.
package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axe-core 4.14.1 (npm), MPL-2.0: see testdata/axe-LICENSE.
//
//go:embed testdata/axe.min.js
var axeJS string

// chromium finds the browser: HEARD_CHROMIUM, else chromium on PATH.
func chromium() (string, error) {
	if p := os.Getenv("HEARD_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("chromium is not installed")
}

// New starts a fresh headless Chromium for t and returns a context for
// chromedp actions. A missing browser fails the test with what to install:
// browser tests are never skipped.
func New(t testing.TB) context.Context {
	t.Helper()
	path, err := chromium()
	if err != nil {
		t.Fatalf("browsertest: %v: install Debian's chromium package (apt-get install chromium) or set HEARD_CHROMIUM", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Without these Chromium keeps trying to reach Google's servers.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("window-size", "1280,900"),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// Violation is one axe-core finding.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// Tags are the WCAG levels Heard is checked against.
var Tags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Axe runs axe-core on the current page and fails t, naming the page, for
// every violation of Tags.
func Axe(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	vs, err := Violations(ctx)
	if err != nil {
		t.Fatalf("browsertest: axe on %s: %v", page, err)
	}
	for _, v := range vs {
		t.Errorf("accessibility on %s: %s", page, v)
	}
}

// Violations runs axe-core on the current page.
func Violations(ctx context.Context) ([]Violation, error) {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeJS)); err != nil {
		return nil, fmt.Errorf("load axe: %w", err)
	}
	script := `axe.run(document, {runOnly: {type: 'tag', values: ` + jsStrings(Tags) + `}}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => n.target.join(' '))
	})))`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe: %w", err)
	}
	return vs, nil
}

func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + s + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// NoHorizontalScroll fails t when the page is wider than its viewport.
func NoHorizontalScroll(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	wider, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
	if err != nil {
		t.Fatalf("browsertest: measure %s: %v", page, err)
	}
	if wider {
		t.Errorf("%s scrolls horizontally", page)
	}
}

// Leave runs steps that leave the page (submitting a form, following a
// link) and waits until the next page has loaded, failing t if it does not.
func Leave(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	mark := chromedp.Evaluate[chromedp.Void](`window.heardOldPage = true`)
	if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{mark}, steps...)...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var fresh bool
		// Errors are expected while the old page unloads.
		fresh, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.heardOldPage !== true && document.readyState === 'complete'`))
		if err == nil && fresh {
			return
		}
	}
	t.Fatalf("%s: the next page did not load: %v", what, err)
}
