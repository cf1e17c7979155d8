package webform

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"heard/internal/consultation"
	"heard/internal/demo"
)

// cqc builds the CQC 2021 form without a database: ids are positions.
func cqc(t *testing.T) *Form {
	t.Helper()
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	c := &consultation.Consultation{ID: 1, Slug: def.Slug, Title: def.Title, Status: "open"}
	themes := map[string]*consultation.Theme{}
	for i, td := range def.Themes {
		th := &consultation.Theme{ID: int32(i + 1), Slug: td.Slug, Title: td.Title}
		themes[td.Slug] = th
		c.Themes = append(c.Themes, th)
	}
	scales := map[string]*consultation.Scale{}
	for i, sd := range def.Scales {
		s := &consultation.Scale{ID: int32(i + 1), Slug: sd.Slug}
		for j, od := range sd.Options {
			s.Options = append(s.Options, &consultation.Option{ID: int32(100*i + j), Slug: od.Slug, Label: od.Label, NoView: od.NoView})
		}
		scales[sd.Slug] = s
	}
	for i, gd := range def.RespondentGroups {
		c.Groups = append(c.Groups, &consultation.Group{ID: int32(i + 1), Slug: gd.Slug, Label: gd.Label})
	}
	for i, qd := range def.Questions {
		c.Questions = append(c.Questions, &consultation.Question{ID: int32(i + 1), Code: qd.Code, Kind: qd.Kind, Prompt: qd.Prompt,
			Hint: qd.Hint, Theme: themes[qd.Theme], Scale: scales[qd.Scale], Required: qd.Required})
	}
	return Build(c)
}

func TestCQCPages(t *testing.T) {
	f := cqc(t)
	var got []string
	for _, p := range f.Pages {
		got = append(got, p.Slug)
	}
	want := []string{"people-and-communities", "smarter-regulation", "safety-through-learning", "accelerating-improvement",
		"assessing-systems", "tackling-inequalities", "equality-impact", "about-you", "equality", "publishing"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("pages (-want +got):\n%s", d)
	}
	if p := f.Page("people-and-communities"); len(p.Questions) != 2 || p.Questions[0].Code != "Q1a" || p.Questions[1].Code != "Q1b" {
		t.Errorf("first theme page holds %v", p.Questions)
	}
	if n := len(f.Page("equality").Questions); n != 8 {
		t.Errorf("equality page has %d questions, want 8", n)
	}
	if f.Next(f.Page("publishing")) != "check" || f.Prev(f.Pages[0]) != "" || f.Next(f.Pages[0]) != "smarter-regulation" {
		t.Error("page order is wrong")
	}
}

// Every page's body must fit the server's 1 MiB limit even with every
// open answer at the limit in the costliest characters.
func TestEveryPageFitsTheBodyLimit(t *testing.T) {
	f := cqc(t)
	worst := strings.Repeat("😀", MaxAnswerChars) // 4 bytes each, 12 once form-encoded
	for _, p := range f.Pages {
		v := url.Values{FieldHoneypot: {""}, "action": {"continue"}, "return": {"check"},
			FieldOrganisation: {strings.Repeat("€", MaxOrganisationChars)}}
		for _, q := range p.Questions {
			if q.Closed() {
				v.Set(FieldName(q), "prefer-not-to-say")
			} else {
				v.Set(FieldName(q), worst)
			}
		}
		if n := len(v.Encode()); n > 1<<20 {
			t.Errorf("page %s can need %d bytes, over the 1 MiB limit", p.Slug, n)
		}
	}
	// A theme with more open questions than fit is split across pages.
	c := &consultation.Consultation{Themes: []*consultation.Theme{{ID: 1, Slug: "t", Title: "T"}}}
	for i := range 12 {
		c.Questions = append(c.Questions, &consultation.Question{ID: int32(i), Code: "Q" + string(rune('a'+i)), Kind: "open", Theme: c.Themes[0]})
	}
	pages := Build(c).Pages
	if pages[0].Slug != "t" || pages[1].Slug != "t-2" || pages[2].Slug != "t-3" || len(pages[2].Questions) != 4 {
		t.Errorf("12 open questions laid out as %v %v %v", pages[0].Slug, pages[1].Slug, pages[2].Slug)
	}
	// A full page of open answers, each at the limit in 4-byte characters.
	v := url.Values{FieldHoneypot: {""}, "action": {"continue"}, "return": {"check"}}
	for _, q := range pages[0].Questions {
		v.Set(FieldName(q), worst)
	}
	if n := len(v.Encode()); n > 1<<20 {
		t.Errorf("a page of %d open questions can need %d bytes, over the 1 MiB limit", len(pages[0].Questions), n)
	}
}

func TestAvailabilityIsInLondonTime(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	at := func(s string) time.Time { d, _ := time.Parse(time.RFC3339, s); return d }
	winter := &Form{Status: "open", OpensOn: day("2021-01-07"), ClosesOn: day("2021-03-04")}
	summer := &Form{Status: "open", OpensOn: day("2021-06-01"), ClosesOn: day("2021-06-30")}
	for _, c := range []struct {
		name string
		f    *Form
		now  string
		want Availability
	}{
		{"a second before opening", winter, "2021-01-06T23:59:59Z", NotYetOpen},
		{"midnight on the opening day", winter, "2021-01-07T00:00:00Z", Open},
		{"the last second of the closing day", winter, "2021-03-04T23:59:59Z", Open},
		{"midnight after the closing day", winter, "2021-03-05T00:00:00Z", Closed},
		{"BST: 00:00 on opening day is 23:00 UTC before", summer, "2021-05-31T23:00:00Z", Open},
		{"BST: 23:59 on closing day", summer, "2021-06-30T22:59:59Z", Open},
		{"BST: 00:30 the day after closing", summer, "2021-06-30T23:30:00Z", Closed},
		{"status closed within the dates", &Form{Status: "closed", OpensOn: winter.OpensOn, ClosesOn: winter.ClosesOn}, "2021-02-01T12:00:00Z", Closed},
		{"status draft within the dates", &Form{Status: "draft", OpensOn: winter.OpensOn, ClosesOn: winter.ClosesOn}, "2021-02-01T12:00:00Z", NotYetOpen},
		{"status draft after the dates", &Form{Status: "draft", OpensOn: winter.OpensOn, ClosesOn: winter.ClosesOn}, "2021-04-01T12:00:00Z", Closed},
	} {
		if got := c.f.Availability(at(c.now)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
