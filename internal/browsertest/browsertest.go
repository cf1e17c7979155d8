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

// grace is kept back from the test's deadline so that a step that runs
// out of time fails the test with its own name (and the test's cleanups
// run) before go test's -timeout panics the whole binary.
const grace = 20 * time.Second

// maxStep caps one step (a navigation, a form submit, an axe run). It is
// generous because the machines that run the suite are often loaded; a
// step that needs longer is stuck, not slow.
const maxStep = 2 * time.Minute

// New starts a fresh headless Chromium for t and returns a context for
// chromedp actions. A missing browser fails the test with what to install:
// browser tests are never skipped.
//
// The context ends shortly before the test's own deadline (go test
// -timeout), not after a fixed budget: a long test on a loaded machine is
// not cut off half-way. Use Do, Run, Leave and WaitFor to give each step
// its own timeout and a failure message naming the step.
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
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first action starts the browser and lives as long as its
	// context, so it runs without a deadline; later steps may then carry
	// their own (see chromedp.Run).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start %s: %v", path, err)
	}
	if d, ok := deadline(t); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d)
		t.Cleanup(cancel)
	}
	return ctx
}

// deadline is when t's browser work must stop: grace before go test's
// -timeout, or false when the test has no deadline.
func deadline(t testing.TB) (time.Time, bool) {
	dt, ok := t.(interface{ Deadline() (time.Time, bool) })
	if !ok {
		return time.Time{}, false
	}
	d, ok := dt.Deadline()
	if !ok {
		return time.Time{}, false
	}
	return d.Add(-grace), true
}

// Step returns a context for one step of t: it ends after maxStep or at
// t's deadline less a grace period, whichever comes first.
func Step(t testing.TB, ctx context.Context) (context.Context, context.CancelFunc) {
	end := time.Now().Add(maxStep)
	if d, ok := deadline(t); ok && d.Before(end) {
		end = d
	}
	return context.WithDeadline(ctx, end)
}

// Do runs the steps as one step of t, failing t with what on error.
func Do(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := Step(t, ctx)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Run runs a as one step of t and returns its value, failing t with what
// on error.
func Run[T any](t testing.TB, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := Step(t, ctx)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// WaitFor waits, as one step of t, until the JavaScript condition is true
// on the current page. It keeps asking across page loads, where an
// evaluation fails while the old page unloads.
func WaitFor(t testing.TB, ctx context.Context, what, condition string) {
	t.Helper()
	sctx, cancel := Step(t, ctx)
	defer cancel()
	var err error
	for {
		var ok bool
		if ok, err = chromedp.Run(sctx, chromedp.Evaluate[bool](condition)); err == nil && ok {
			return
		}
		select {
		case <-sctx.Done():
			if err == nil {
				err = sctx.Err()
			}
			t.Fatalf("%s: %s never became true: %v", what, condition, err)
		case <-time.After(25 * time.Millisecond):
		}
	}
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
	sctx, cancel := Step(t, ctx)
	defer cancel()
	vs, err := Violations(sctx)
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
	sctx, cancel := Step(t, ctx)
	defer cancel()
	wider, err := chromedp.Run(sctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
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
	Do(t, ctx, what, append([]chromedp.Action[chromedp.Void]{mark}, steps...)...)
	WaitFor(t, ctx, what+": the next page loads", `window.heardOldPage !== true && document.readyState === 'complete'`)
}
