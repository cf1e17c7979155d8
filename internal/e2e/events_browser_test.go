package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"heard/internal/accounts"
	"heard/internal/browsertest"
)

// browser drives one Chromium for a test, with the few steps the event
// tests repeat.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b *browser) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	browsertest.Do(b.t, b.ctx, what, steps...)
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return browsertest.Run(b.t, b.ctx, "text of "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// focused names the focused element: its name, or its id.
func (b *browser) focused() string {
	b.t.Helper()
	return browsertest.Run(b.t, b.ctx, "the focused element", chromedp.Evaluate[string](`document.activeElement.name || document.activeElement.id`))
}

// submit does what submits the page, then waits for the next one.
func (b *browser) submit(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	browsertest.Leave(b.t, b.ctx, what, steps...)
}

func (b *browser) open(path, ready string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
}

func keys(k string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(k) }

// A facilitator records an event, types up twenty responses by keyboard
// with "Save and add another", adds group notes; the overview then shows
// the responses by channel, with the attendees apart. Every page is
// checked by axe-core.
func TestFacilitatorTypesUpAnEventInABrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.Accounts.Create(context.Background(), accounts.Actor{}, "facilitator@example.org", testPassword, accounts.Analyst); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, ctx: browsertest.New(t), base: e.srv.URL}
	b.open("/sign-in", "#email")
	b.run("type sign-in", chromedp.SendKeys(chromedp.CSS("#email"), "facilitator@example.org"))
	b.submit("sign in", chromedp.SendKeys(chromedp.CSS("#password"), testPassword+kb.Enter))

	b.open(eventsPath, "main h1")
	browsertest.Axe(t, b.ctx, "events (none yet)")
	b.submit("record an event", chromedp.Focus(chromedp.CSS(`main a.govuk-button`)), keys(kb.Enter))
	browsertest.Axe(t, b.ctx, "event form")
	b.submit("send an empty form", chromedp.Focus(chromedp.CSS("#name")), keys(kb.Enter))
	if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Enter the name of the event") {
		t.Fatalf("error summary = %q", got)
	}
	browsertest.Axe(t, b.ctx, "event form with errors")

	// Fill the form in order, by keyboard: Tab between fields, Space on
	// radios and checkboxes.
	b.run("fill the event form",
		chromedp.Focus(chromedp.CSS("#name")), keys("Carers' focus group\t12\t2\t2021\t"),
		keys(" "),                                                              // the first format: focus group
		chromedp.Focus(chromedp.CSS("#where")), keys(" \tLeeds Carers Centre"), // in person, then the place
		chromedp.Focus(chromedp.CSS("#attendees")), keys("12\t "), // attendees, then the first group
		chromedp.Focus(chromedp.CSS("#reached")), keys("unpaid carers, people with a learning disability\tSam Patel"),
	)
	b.submit("save the event", keys(kb.Enter))
	if got := b.text("main h1"); got != "Carers' focus group" {
		t.Fatalf("after recording the event: %q", got)
	}
	browsertest.Axe(t, b.ctx, "event page (new)")

	b.submit("type up responses", chromedp.Focus(chromedp.CSS(`a[href$="/responses/new"]`)), keys(kb.Enter))
	browsertest.Axe(t, b.ctx, "entry screen")
	options := []string{"Fully", "Mostly", "Partially", "Not at all"}
	start := time.Now()
	for i := range 20 {
		if f := b.focused(); f != "group" {
			t.Fatalf("response %d: the screen opened with %q focused, want the respondent group", i+1, f)
		}
		if i == 0 {
			b.run("choose the group", keys(kb.ArrowDown)) // from "Not known" to the first group; kept for the next screens
		}
		org := ""
		if i%5 == 4 {
			org = fmt.Sprintf("Carers Trust branch %d", i+1)
		}
		b.run("organisation", keys("\t"+org+"\t"))
		if f := b.focused(); f != "answer-Q1a" {
			t.Fatalf("response %d: Tab from the organisation reached %q, want Q1a", i+1, f)
		}
		b.run("Q1a and Q1b", keys(strings.Repeat(kb.ArrowRight, i%4+1)+"\t"+fmt.Sprintf("Response %d: %s, because carers were listened to.", i+1, options[i%4])))
		if i == 0 {
			// Without JavaScript's shortcut: back to the organisation box, Enter.
			b.submit("save by Enter", chromedp.Focus(chromedp.CSS("#organisation")), keys(kb.Enter))
		} else {
			b.submit("save by Ctrl+Enter", chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		}
		if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "saved. Type up the next one.") {
			t.Fatalf("after response %d: %q", i+1, got)
		}
	}
	t.Logf("20 responses typed up in %v", time.Since(start).Round(time.Millisecond))
	browsertest.Axe(t, b.ctx, "entry screen after a save")
	if got := b.text("main"); !strings.Contains(got, "20 responses have been typed up") {
		t.Errorf("entry screen does not count the responses so far")
	}
	b.submit("an empty screen", chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Enter at least one answer") {
		t.Errorf("an empty screen: %q", got)
	}
	browsertest.Axe(t, b.ctx, "entry screen with an error")

	// Two group notes: one on the theme, one on Q1b.
	event := strings.TrimSuffix(strings.TrimPrefix(b.location(), e.srv.URL), "/responses")
	for _, n := range []struct{ about, people, text string }{
		{"theme:people-and-communities", "12", "Carers want to be asked, not told."},
		{"question:Q1b", "8", "Most tables said mostly; worries about follow-up."},
	} {
		b.open(event+"/notes/new", "#about")
		b.run("write the note", chromedp.SetValue(chromedp.CSS("#about"), n.about),
			chromedp.Focus(chromedp.CSS("#note-attendees")), chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			keys(n.people+"\t"+n.text))
		browsertest.Axe(t, b.ctx, "note form")
		b.submit("add the note", chromedp.Focus(chromedp.CSS(`main form button[type="submit"]`)), keys(kb.Enter))
	}
	if got := b.text("main"); !strings.Contains(got, "Group note added") || !strings.Contains(got, "Carers want to be asked") || !strings.Contains(got, "Response") {
		t.Errorf("event page after notes: %.300q", got)
	}
	if got := b.text(".heard-figure"); got != "20" {
		t.Errorf("the event's own count = %q, want 20", got)
	}
	browsertest.Axe(t, b.ctx, "event page with responses and notes")

	b.open("/consultations/cqc-2021/questions/Q1b", "#group-notes")
	// With the demo's own events' notes on this theme: 3 events, 108 attendees.
	if got := b.text("#group-notes-summary"); !strings.Contains(got, "4 events, 120 attendees, notes on this theme") {
		t.Errorf("group notes summary = %q", got)
	}
	browsertest.Axe(t, b.ctx, "open question with group notes")

	// 65 demo responses came through events, and now 20 more: 85 of 810.
	// The 12 attendees are not respondents.
	b.open("/consultations/cqc-2021", "#events")
	byChannel := browsertest.Run(t, b.ctx, "engagement events by channel", chromedp.Evaluate[string](`[...document.querySelectorAll('table')]
		.find(t => t.caption.textContent.trim() === 'By channel').querySelectorAll('tbody tr')
		.values().find(r => r.querySelector('th').textContent.trim() === 'Engagement events').querySelector('td').textContent`))
	if byChannel != "85" {
		t.Errorf("engagement events in the channel table = %q, want 85", byChannel)
	}
	if got := b.text(".heard-figure"); got != "810" {
		t.Errorf("total responses = %q, want 810", got)
	}
	row := b.text(`#events ~ .heard-scroll table tbody tr:has(a[href$="/events/9"])`)
	for _, want := range []string{"Carers' focus group", "12", "20", "2"} {
		if !strings.Contains(row, want) {
			t.Errorf("overview's event row %q lacks %s", row, want)
		}
	}
	browsertest.Axe(t, b.ctx, "overview with events")
	b.open(eventsPath, "table")
	browsertest.Axe(t, b.ctx, "events list")
}

func (b *browser) location() string {
	b.t.Helper()
	return browsertest.Run(b.t, b.ctx, "location", chromedp.Location())
}
