package e2e_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"heard/internal/browsertest"
)

// The public pages reflow on a 320 px screen whatever their dates and
// titles: the longest month names, and a title with long words, never
// make the list of consultations, the form's start page or published
// results scroll sideways.
func TestPublicListReflowsInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const title = "Interdisciplinary multiagency safeguarding arrangements: proposals for accountability of commissioners and intercollegiate professional bodies"
	if _, err := e.pool.Exec(ctx, `UPDATE consultations SET status = 'open', opens_on = '2026-09-30', closes_on = '2027-09-30', results_published = true WHERE slug = 'cqc-2021'`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO consultations (slug, title, opens_on, closes_on, status) VALUES
		('long-title', $1, '2026-11-30', '2027-09-30', 'closed')`, title); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	if err := chromedp.Do(b, chromedp.EmulateViewport(320, 800)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/consultations/long-title/respond", "/consultations/cqc-2021/respond", "/consultations/cqc-2021", "/consultations/cqc-2021/questions/Q1a"} {
		if err := chromedp.Do(b, chromedp.Navigate(e.srv.URL+p), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatal(err)
		}
		browsertest.NoHorizontalScroll(t, b, p+" at 320 px")
		browsertest.Axe(t, b, p)
	}
}
