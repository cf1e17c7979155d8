// Package consultation holds a consultation's structure — themes,
// questions, answer scales, respondent groups — and loads it from a
// definition file.
package consultation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Definition is the file format of a consultation (JSON). The README
// documents every field; internal/demo/cqc-2021.json is an example.
type Definition struct {
	Slug             string        `json:"slug"`
	Title            string        `json:"title"`
	Description      string        `json:"description"`
	OpensOn          string        `json:"opens_on"`  // YYYY-MM-DD
	ClosesOn         string        `json:"closes_on"` // YYYY-MM-DD
	Status           string        `json:"status"`    // draft, open or closed
	Scales           []ScaleDef    `json:"scales"`
	RespondentGroups []GroupDef    `json:"respondent_groups"`
	Themes           []ThemeDef    `json:"themes"`
	Questions        []QuestionDef `json:"questions"`
}

// ScaleDef is an ordered answer scale for closed and demographic questions.
type ScaleDef struct {
	Slug         string           `json:"slug"`
	Options      []OptionDef      `json:"options"`
	Combinations []CombinationDef `json:"combinations"`
}

// OptionDef is one point of a scale. NoView marks "Don't know" and
// "Prefer not to say".
type OptionDef struct {
	Slug   string `json:"slug"`
	Label  string `json:"label"`
	NoView bool   `json:"no_view"`
}

// CombinationDef names options reported together, e.g. "Fully or mostly".
type CombinationDef struct {
	Slug    string   `json:"slug"`
	Label   string   `json:"label"`
	Options []string `json:"options"`
}

// GroupDef is a respondent group. EmailDomains (e.g. "cqc.org.uk")
// suggest this group for emails imported from those domains.
type GroupDef struct {
	Slug         string   `json:"slug"`
	Label        string   `json:"label"`
	EmailDomains []string `json:"email_domains,omitempty"`
}

// ThemeDef is a strand of the consultation. Summary and ProposalURL,
// both optional, tell respondents what the theme proposes: the form shows
// them above the theme's questions.
type ThemeDef struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	// Summary (optional) says what the theme is about.
	Summary string `json:"summary,omitempty"`
	// Keywords (optional) are other names for the theme that letters'
	// headings use ("Safety", "Reducing inequalities").
	Keywords    []string `json:"keywords,omitempty"`
	ProposalURL string   `json:"proposal_url,omitempty"`
}

// MaxThemeSummary is the longest theme summary, in characters: a short
// introduction, not the proposal itself.
const MaxThemeSummary = 2000

// QuestionDef is one question. Kind is closed, open or demographic;
// closed and demographic questions name a scale; an open question may
// name the closed question it explains.
type QuestionDef struct {
	Code     string `json:"code"`
	Kind     string `json:"kind"`
	Theme    string `json:"theme"`
	Prompt   string `json:"prompt"`
	Hint     string `json:"hint"`
	Scale    string `json:"scale"`
	Explains string `json:"explains"`
	Required bool   `json:"required"`
	// Keywords (optional) are other names letters give the question.
	Keywords []string `json:"keywords,omitempty"`
}

// DefinitionError lists every problem found in a definition file.
type DefinitionError struct {
	Problems []string
}

func (e *DefinitionError) Error() string {
	return "invalid consultation definition:\n  " + strings.Join(e.Problems, "\n  ")
}

var (
	slugRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	codeRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	domainRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
)

// ParseDefinition reads a JSON definition, rejecting unknown fields, and
// validates it.
func ParseDefinition(b []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		var se *json.SyntaxError
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &DefinitionError{Problems: []string{"unexpected end of file: the JSON is incomplete"}}
		}
		if errors.As(err, &se) {
			line := 1 + bytes.Count(b[:se.Offset], []byte("\n"))
			return nil, &DefinitionError{Problems: []string{fmt.Sprintf("line %d: %v", line, err)}}
		}
		return nil, &DefinitionError{Problems: []string{err.Error()}}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Validate reports every problem at once, each naming its field.
func (d *Definition) Validate() error {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	if !slugRe.MatchString(d.Slug) {
		add("slug: %q must be lower-case letters, digits and hyphens", d.Slug)
	}
	if strings.TrimSpace(d.Title) == "" {
		add("title: required")
	}
	opens, err1 := time.Parse(time.DateOnly, d.OpensOn)
	if err1 != nil {
		add("opens_on: %q is not a date like 2021-01-07", d.OpensOn)
	}
	closes, err2 := time.Parse(time.DateOnly, d.ClosesOn)
	if err2 != nil {
		add("closes_on: %q is not a date like 2021-03-04", d.ClosesOn)
	}
	if err1 == nil && err2 == nil && closes.Before(opens) {
		add("closes_on: %s is before opens_on %s", d.ClosesOn, d.OpensOn)
	}
	switch d.Status {
	case "", "draft", "open", "closed":
	default:
		add("status: %q must be draft, open or closed", d.Status)
	}

	scales := map[string]bool{}
	for i, s := range d.Scales {
		at := fmt.Sprintf("scales[%d]", i)
		if !slugRe.MatchString(s.Slug) {
			add("%s.slug: %q must be lower-case letters, digits and hyphens", at, s.Slug)
		}
		if scales[s.Slug] {
			add("%s.slug: %q is used twice", at, s.Slug)
		}
		scales[s.Slug] = true
		if len(s.Options) == 0 {
			add("%s.options: a scale needs at least one option", at)
		}
		opts := map[string]bool{}
		for j, o := range s.Options {
			if !slugRe.MatchString(o.Slug) {
				add("%s.options[%d].slug: %q must be lower-case letters, digits and hyphens", at, j, o.Slug)
			}
			if opts[o.Slug] {
				add("%s.options[%d].slug: %q is used twice", at, j, o.Slug)
			}
			opts[o.Slug] = true
			if strings.TrimSpace(o.Label) == "" {
				add("%s.options[%d].label: required", at, j)
			}
		}
		for j, c := range s.Combinations {
			if !slugRe.MatchString(c.Slug) || strings.TrimSpace(c.Label) == "" {
				add("%s.combinations[%d]: needs a slug and a label", at, j)
			}
			if len(c.Options) < 2 {
				add("%s.combinations[%d].options: combine at least two options", at, j)
			}
			for _, o := range c.Options {
				if !opts[o] {
					add("%s.combinations[%d].options: %q is not an option of this scale", at, j, o)
				}
			}
		}
	}

	groups := map[string]bool{}
	for i, g := range d.RespondentGroups {
		if !slugRe.MatchString(g.Slug) {
			add("respondent_groups[%d].slug: %q must be lower-case letters, digits and hyphens", i, g.Slug)
		}
		if groups[g.Slug] {
			add("respondent_groups[%d].slug: %q is used twice", i, g.Slug)
		}
		groups[g.Slug] = true
		if strings.TrimSpace(g.Label) == "" {
			add("respondent_groups[%d].label: required", i)
		}
		for _, d := range g.EmailDomains {
			if !domainRe.MatchString(d) {
				add("respondent_groups[%d].email_domains: %q is not a domain like example.org", i, d)
			}
		}
	}

	themes := map[string]bool{}
	for i, t := range d.Themes {
		if !slugRe.MatchString(t.Slug) {
			add("themes[%d].slug: %q must be lower-case letters, digits and hyphens", i, t.Slug)
		}
		if themes[t.Slug] {
			add("themes[%d].slug: %q is used twice", i, t.Slug)
		}
		themes[t.Slug] = true
		if strings.TrimSpace(t.Title) == "" {
			add("themes[%d].title: required", i)
		}
		if n := len([]rune(t.Summary)); n > MaxThemeSummary {
			add("themes[%d].summary: %d characters, at most %d", i, n, MaxThemeSummary)
		}
		if t.ProposalURL != "" {
			if u, err := url.Parse(t.ProposalURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				add("themes[%d].proposal_url: %q is not a web address starting https://", i, t.ProposalURL)
			}
		}
	}

	codes := map[string]string{} // code -> kind
	for _, q := range d.Questions {
		codes[strings.ToLower(q.Code)] = q.Kind
	}
	seen := map[string]bool{}
	for i, q := range d.Questions {
		at := fmt.Sprintf("questions[%d] (%s)", i, q.Code)
		if !codeRe.MatchString(q.Code) {
			add("%s.code: %q must be letters, digits, '.', '_' or '-'", at, q.Code)
		}
		if seen[strings.ToLower(q.Code)] {
			add("%s.code: %q is used twice (codes are matched case-insensitively)", at, q.Code)
		}
		seen[strings.ToLower(q.Code)] = true
		if strings.TrimSpace(q.Prompt) == "" {
			add("%s.prompt: required", at)
		}
		if q.Theme != "" && !themes[q.Theme] {
			add("%s.theme: %q is not one of the themes", at, q.Theme)
		}
		switch q.Kind {
		case "closed", "demographic":
			if !scales[q.Scale] {
				add("%s.scale: %q is not one of the scales", at, q.Scale)
			}
			if q.Explains != "" {
				add("%s.explains: only an open question can explain another", at)
			}
		case "open":
			if q.Scale != "" {
				add("%s.scale: an open question has no scale", at)
			}
			if q.Explains != "" && codes[strings.ToLower(q.Explains)] != "closed" {
				add("%s.explains: %q is not a closed question of this consultation", at, q.Explains)
			}
		default:
			add("%s.kind: %q must be closed, open or demographic", at, q.Kind)
		}
	}
	if len(d.Questions) == 0 {
		add("questions: a consultation needs at least one question")
	}
	if len(p) > 0 {
		return &DefinitionError{Problems: p}
	}
	return nil
}
