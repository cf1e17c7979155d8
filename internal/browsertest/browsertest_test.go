package browsertest_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/browsertest"
)

// The checks must be able to fail: a page with an unlabelled image and a
// too-wide box is caught.
func TestChecksCatchProblems(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	page := `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><img src="x.png"><div style="width:5000px">wide</div></main></body></html>`
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html,"+url.PathEscape(page))); err != nil {
		t.Fatal(err)
	}
	vs, err := browsertest.Violations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	if !strings.Contains(strings.Join(ids, ","), "image-alt") {
		t.Errorf("axe found %v on an image without alt text, want image-alt", ids)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
	if err != nil || !wide {
		t.Errorf("a 5000px box was not measured as wider than the page: %v %v", wide, err)
	}
}
