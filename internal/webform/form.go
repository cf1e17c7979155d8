package webform

import (
	"fmt"
	"slices"
	"time"

	"heard/internal/consultation"
)

// PageKind says what a page of the form asks.
type PageKind int

// The kinds of page, in the order a form shows them.
const (
	ThemePage      PageKind = iota + 1 // a theme's closed and open questions
	OtherPage                          // questions that belong to no theme
	AboutYouPage                       // individual or organisation, respondent group
	EqualityPage                       // the optional demographic questions
	PublishingPage                     // publication consent
)

// Page is one page of the form.
type Page struct {
	Slug      string
	Kind      PageKind
	Title     string
	Questions []*consultation.Question
}

// Form is a consultation's response form: its pages in order, and the
// status and dates that say whether it is open.
type Form struct {
	C                 *consultation.Consultation
	Pages             []*Page
	Status            string
	OpensOn, ClosesOn time.Time
	version           int64 // the structure_version C was read at
}

// maxOpenPerPage keeps every page's body under the server's 1 MiB limit:
// an answer at the limit (consultation.MaxAnswerChars code points) is at
// most 20,000 × 4 bytes of UTF-8, tripled by form encoding (240 KB), and
// four of those fit with room to spare.
const maxOpenPerPage = 4

// reserved page slugs: a theme with one of these slugs gets a suffix.
var reserved = []string{"about-you", "equality", "publishing", "other-questions", "check", "submit", "confirmation", "saved", "new"}

// Build lays out the pages of c's form: one page per theme (split if it
// has more open questions than fit one request), questions without a
// theme, about you, equality information if there are demographic
// questions, and publishing.
func Build(c *consultation.Consultation) *Form {
	f := &Form{C: c, Status: c.Status, OpensOn: c.OpensOn, ClosesOn: c.ClosesOn}
	byTheme := map[int32][]*consultation.Question{}
	var other, demographic []*consultation.Question
	for _, q := range c.Questions {
		switch {
		case q.Kind == "demographic":
			demographic = append(demographic, q)
		case q.Theme == nil:
			other = append(other, q)
		default:
			byTheme[q.Theme.ID] = append(byTheme[q.Theme.ID], q)
		}
	}
	for _, t := range c.Themes {
		slug := t.Slug
		if slices.Contains(reserved, slug) {
			slug += "-theme"
		}
		f.addQuestionPages(slug, t.Title, ThemePage, byTheme[t.ID])
	}
	f.addQuestionPages("other-questions", "Other questions", OtherPage, other)
	f.Pages = append(f.Pages, &Page{Slug: "about-you", Kind: AboutYouPage, Title: "About you"})
	if len(demographic) > 0 {
		f.Pages = append(f.Pages, &Page{Slug: "equality", Kind: EqualityPage, Title: "Equality information", Questions: demographic})
	}
	f.Pages = append(f.Pages, &Page{Slug: "publishing", Kind: PublishingPage, Title: "Publishing your response"})
	return f
}

func (f *Form) addQuestionPages(slug, title string, kind PageKind, qs []*consultation.Question) {
	part, open := 1, 0
	var cur []*consultation.Question
	flush := func() {
		if len(cur) == 0 {
			return
		}
		p := &Page{Slug: slug, Kind: kind, Title: title, Questions: cur}
		if part > 1 {
			p.Slug, p.Title = fmt.Sprintf("%s-%d", slug, part), fmt.Sprintf("%s (part %d)", title, part)
		}
		f.Pages = append(f.Pages, p)
		part, open, cur = part+1, 0, nil
	}
	for _, q := range qs {
		if !q.Closed() {
			if open == maxOpenPerPage {
				flush()
			}
			open++
		}
		cur = append(cur, q)
	}
	flush()
}

// Page returns the page with slug, or nil.
func (f *Form) Page(slug string) *Page {
	for _, p := range f.Pages {
		if p.Slug == slug {
			return p
		}
	}
	return nil
}

// Next returns the slug of the page after p, or "check" after the last.
func (f *Form) Next(p *Page) string {
	i := slices.Index(f.Pages, p)
	if i < 0 || i+1 >= len(f.Pages) {
		return "check"
	}
	return f.Pages[i+1].Slug
}

// Prev returns the slug of the page before p, or "" for the first page.
func (f *Form) Prev(p *Page) string {
	if i := slices.Index(f.Pages, p); i > 0 {
		return f.Pages[i-1].Slug
	}
	return ""
}

// Availability is whether a form takes responses.
type Availability int

// A consultation is open from the start of opens_on to the end of
// closes_on, in Europe/London, while its status is "open".
const (
	Open Availability = iota + 1
	NotYetOpen
	Closed
)

var london = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded: this cannot happen
	}
	return loc
}

// OpensAt is the first instant of the opening day in London.
func (f *Form) OpensAt() time.Time {
	return time.Date(f.OpensOn.Year(), f.OpensOn.Month(), f.OpensOn.Day(), 0, 0, 0, 0, london)
}

// ClosesAt is the first instant after the closing day in London.
func (f *Form) ClosesAt() time.Time {
	return time.Date(f.ClosesOn.Year(), f.ClosesOn.Month(), f.ClosesOn.Day()+1, 0, 0, 0, 0, london)
}

// Availability says whether the form takes responses at now.
func (f *Form) Availability(now time.Time) Availability {
	switch {
	case f.Status == "closed" || !now.Before(f.ClosesAt()):
		return Closed
	case f.Status != "open" || now.Before(f.OpensAt()):
		return NotYetOpen
	}
	return Open
}
