package web

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func attr(d *goquery.Document, sel, name string) (string, bool) {
	return d.Find(sel).First().Attr(name)
}

// Every described-by id names an element on the page, and the inline
// error and the error state appear exactly when there is an error.
func checkDescribed(t *testing.T, d *goquery.Document, sel, want string) {
	t.Helper()
	got, ok := attr(d, sel, "aria-describedby")
	if want == "" {
		if ok {
			t.Errorf("%s has aria-describedby %q, want none", sel, got)
		}
		return
	}
	if got != want {
		t.Errorf("%s aria-describedby = %q, want %q", sel, got, want)
	}
	for _, id := range strings.Fields(got) {
		if d.Find("#"+id).Length() != 1 {
			t.Errorf("%s is described by #%s, which is not on the page once", sel, id)
		}
	}
}

func TestFormComponentsDescribeTheirHintsAndErrors(t *testing.T) {
	choices := []Choice{{Value: "a", Label: "A"}, {Value: "b", Label: "B", Checked: true, Hint: "About B"}, {Value: "c", Label: "C", Divider: true}}
	for _, c := range []struct {
		name      string
		f         Field
		described string
	}{
		{"neither", Field{ID: "x", Label: "X"}, ""},
		{"hint", Field{ID: "x", Label: "X", Hint: "A hint"}, "x-hint"},
		{"error", Field{ID: "x", Label: "X", Error: "Enter X"}, "x-error"},
		{"both", Field{ID: "x", Label: "X", Hint: "A hint", Error: "Enter X"}, "x-hint x-error"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := c.f.Error != ""
			for _, k := range []struct {
				kind, control string
				comp          templ.Component
			}{
				{"radios", "fieldset", Radios(c.f, choices, "govuk-radios--small")},
				{"checkboxes", "fieldset", Checkboxes(c.f, choices, "")},
				{"input", "input#x", Input(c.f, "v", InputOptions{})},
				{"textarea", "textarea#x", Textarea(c.f, "v", 3)},
			} {
				d := render(t, k.comp)
				checkDescribed(t, d, k.control, c.described)
				if got := d.Find(".govuk-form-group--error").Length() == 1; got != bad {
					t.Errorf("%s: form group in error = %v, want %v", k.kind, got, bad)
				}
				if got := d.Find("p#x-error.govuk-error-message").Length() == 1; got != bad {
					t.Errorf("%s: inline error shown = %v, want %v", k.kind, got, bad)
				} else if bad && !strings.Contains(d.Find("#x-error").Text(), "Error: Enter X") {
					t.Errorf("%s: inline error reads %q", k.kind, d.Find("#x-error").Text())
				}
				if k.kind == "input" || k.kind == "textarea" {
					if got := d.Find(".govuk-input--error, .govuk-textarea--error").Length() == 1; got != bad {
						t.Errorf("%s: control in error = %v, want %v", k.kind, got, bad)
					}
					if f, _ := attr(d, "label", "for"); f != "x" {
						t.Errorf("%s: label for %q", k.kind, f)
					}
				}
			}
		})
	}

	// Options: the first has the field's id (the error summary's link
	// lands on it), each option's hint describes it, a divider goes
	// before the option that asks for one.
	d := render(t, Radios(Field{ID: "q-Q1a", Label: "Q1a"}, choices, ""))
	var ids []string
	d.Find("input").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		ids = append(ids, id)
		if f, _ := d.Find(`label[for="` + id + `"]`).Attr("for"); f != id {
			t.Errorf("no label for %s", id)
		}
	})
	if strings.Join(ids, " ") != "q-Q1a q-Q1a-2 q-Q1a-3" {
		t.Errorf("option ids %v", ids)
	}
	checkDescribed(t, d, "#q-Q1a-2", "q-Q1a-2-item-hint")
	if _, ok := attr(d, "#q-Q1a", "checked"); ok {
		t.Error("the first option is checked")
	}
	if _, ok := attr(d, "#q-Q1a-2", "checked"); !ok {
		t.Error("the chosen option is not checked")
	}
	if d.Find(".govuk-radios__divider + .govuk-radios__item #q-Q1a-3").Length() != 1 {
		t.Error("the divider is not before the third option")
	}

	// A legend as the page's heading.
	d = render(t, Radios(Field{ID: "x", Label: "Your view", Heading: true}, choices, ""))
	if d.Find("legend.govuk-fieldset__legend--l h1.govuk-fieldset__heading").Text() != "Your view" {
		t.Error("the legend is not the page's h1")
	}

	// The character count is described by its count message first.
	d = render(t, CharacterCount(Field{ID: "q-Q1b", Label: "Why?", Size: "s", Error: "Too long"}, "text", 8, 20000))
	checkDescribed(t, d, "textarea", "q-Q1b-info q-Q1b-error")
	if m, _ := attr(d, ".govuk-character-count", "data-maxlength"); m != "20000" || !strings.Contains(d.Find("#q-Q1b-info").Text(), "20,000 characters") {
		t.Errorf("character count limit %q: %q", m, d.Find("#q-Q1b-info").Text())
	}
	if ct, _ := attr(d, ".govuk-character-count", "data-count-type"); ct != "characters" {
		t.Errorf("the live count counts %q, not characters as people see them", ct)
	}
	if d.Find("textarea").Text() != "text" {
		t.Errorf("textarea holds %q", d.Find("textarea").Text())
	}

	// A date: a fieldset of role group, described by its hint and error.
	d = render(t, Fieldset(Field{ID: "held-on", Label: "When?", Hint: "For example, 27 3 2021", Error: "Enter a date"}, "group"))
	checkDescribed(t, d, "fieldset[role=group]", "held-on-hint held-on-error")
}

func TestErrorSummaryLinksToEachField(t *testing.T) {
	d := render(t, ErrorSummary(nil))
	if d.Find(".govuk-error-summary").Length() != 0 {
		t.Error("an error summary with no errors")
	}
	d = render(t, ErrorSummary([]FieldError{
		{Field: "name", Message: "Enter a name"},
		{Field: "q-Q1b", Href: "/consultations/x/respond/people?return=check#q-Q1b", Message: "Too long"},
	}))
	var hrefs []string
	d.Find(".govuk-error-summary__list a").Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		hrefs = append(hrefs, h+" "+s.Text())
	})
	if strings.Join(hrefs, "|") != "#name Enter a name|/consultations/x/respond/people?return=check#q-Q1b Too long" {
		t.Errorf("summary links %v", hrefs)
	}
	if d.Find(`.govuk-error-summary [role=alert] h2.govuk-error-summary__title`).Text() != "There is a problem" {
		t.Error("the summary has no title inside its alert")
	}
}

func TestSuccessBanner(t *testing.T) {
	if d := render(t, SuccessBanner("")); d.Find(".govuk-notification-banner").Length() != 0 {
		t.Error("a banner with no notice")
	}
	d := render(t, Banner("Saved", BannerOptions{TitleID: "saved-title", NoAutoFocus: true, Class: "heard-noprint"}))
	b := d.Find(".govuk-notification-banner--success.heard-noprint")
	if l, _ := b.Attr("aria-labelledby"); l != "saved-title" || d.Find("#saved-title").Text() != "Success" || b.Find(".govuk-notification-banner__heading").Text() != "Saved" {
		t.Errorf("banner labelled by %q", l)
	}
	if v, _ := b.Attr("data-disable-auto-focus"); v != "true" {
		t.Error("the banner takes the focus")
	}
	d = render(t, SuccessBanner("Done"))
	if l, _ := d.Find(".govuk-notification-banner").Attr("aria-labelledby"); l != "notice-title" {
		t.Errorf("default banner labelled by %q", l)
	}
	if _, ok := d.Find(".govuk-notification-banner").Attr("data-disable-auto-focus"); ok {
		t.Error("the default banner does not take the focus")
	}
}
