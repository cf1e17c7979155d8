package consultation_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
)

const minimal = `{
  "slug": "parks-2026", "title": "Parks", "opens_on": "2026-01-01", "closes_on": "2026-02-01", "status": "open",
  "scales": [{"slug": "agree", "options": [{"slug": "yes", "label": "Yes"}, {"slug": "no", "label": "No"}, {"slug": "dk", "label": "Don't know", "no_view": true}]}],
  "respondent_groups": [{"slug": "residents", "label": "Residents"}],
  "themes": [{"slug": "green", "title": "Green spaces"}],
  "questions": [
    {"code": "Q1", "kind": "closed", "theme": "green", "prompt": "Do you agree?", "scale": "agree"},
    {"code": "Q1why", "kind": "open", "theme": "green", "prompt": "Why?", "explains": "Q1"}
  ]
}`

func TestParseDefinitionNamesEveryProblem(t *testing.T) {
	for _, c := range []struct {
		name, json string
		want       []string
	}{
		{"syntax", `{"slug": "x",`, []string{"unexpected end"}},
		{"syntax line", "{\n\"slug\": \"x\",\n]", []string{"line 3"}},
		{"unknown field", `{"slug": "x", "colour": "red"}`, []string{`unknown field "colour"`}},
		{"many", `{"slug": "Bad Slug", "opens_on": "7 Jan", "closes_on": "2021-03-04", "status": "maybe",
			"scales": [{"slug": "s", "options": [{"slug": "a", "label": "A"}], "combinations": [{"slug": "c", "label": "C", "options": ["a", "z"]}]}],
			"questions": [{"code": "Q1", "kind": "closed", "prompt": "?", "scale": "nope"},
			              {"code": "q1", "kind": "open", "prompt": "", "explains": "Q9", "theme": "t"},
			              {"code": "Q2", "kind": "multiple", "prompt": "?"}]}`,
			[]string{`slug: "Bad Slug"`, "title: required", `opens_on: "7 Jan"`, `status: "maybe"`,
				`combinations[0].options: "z" is not an option`, `questions[0] (Q1).scale: "nope"`,
				`questions[1] (q1).code: "q1" is used twice`, `questions[1] (q1).prompt: required`,
				`questions[1] (q1).theme: "t"`, `questions[1] (q1).explains: "Q9"`, `questions[2] (Q2).kind: "multiple"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := consultation.ParseDefinition([]byte(c.json))
			var de *consultation.DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a DefinitionError", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestShippedDefinitionIsValid(t *testing.T) {
	d, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Questions) != 21 || len(d.RespondentGroups) != 4 {
		t.Errorf("CQC 2021: %d questions, %d groups; want 21 (13 + 8 equality monitoring), 4", len(d.Questions), len(d.RespondentGroups))
	}
	// Every equality-monitoring question can be declined, and declining
	// is kept out of the percentages (no_view).
	scales := map[string]consultation.ScaleDef{}
	for _, s := range d.Scales {
		scales[s.Slug] = s
	}
	demographic := 0
	for _, q := range d.Questions {
		if q.Kind != "demographic" {
			continue
		}
		demographic++
		opts := scales[q.Scale].Options
		if last := opts[len(opts)-1]; last.Slug != "prefer-not-to-say" || !last.NoView {
			t.Errorf("%s: last option %+v, want prefer-not-to-say with no_view", q.Code, last)
		}
	}
	if demographic != 8 {
		t.Errorf("CQC 2021: %d demographic questions, want 8", demographic)
	}
}

func TestLoadCreatesThenUpdates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	svc := &consultation.Service{Pool: pool}
	def, err := consultation.ParseDefinition([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	c1, err := svc.Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	q := c1.Question("q1")
	if q == nil || !q.Closed() || len(q.Scale.Options) != 3 || !q.Scale.Options[2].NoView {
		t.Fatalf("Q1 loaded as %+v", q)
	}
	if why := c1.Question("Q1why"); why.Explains != q || why.Theme.Slug != "green" {
		t.Errorf("Q1why explains %v, theme %v", why.Explains, why.Theme)
	}

	// Update: retitle, reword, add a question, drop none. Ids survive.
	def.Title = "Parks and open spaces"
	def.Questions[0].Prompt = "Do you agree with the plan?"
	def.Questions = append(def.Questions, consultation.QuestionDef{Code: "Q2", Kind: "open", Prompt: "Anything else?"})
	c2, err := svc.Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	if c2.ID != c1.ID || c2.Question("Q1").ID != q.ID || c2.Title != "Parks and open spaces" || c2.Question("Q1").Prompt != "Do you agree with the plan?" || c2.Question("Q2") == nil {
		t.Errorf("update did not keep ids or apply changes: %+v", c2)
	}

	// Remove Q2 again: allowed, it has no answers.
	def.Questions = def.Questions[:2]
	c3, err := svc.Load(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	if c3.Question("Q2") != nil {
		t.Error("Q2 was not removed")
	}
	all, err := svc.List(ctx)
	if err != nil || len(all) != 1 {
		t.Errorf("List = %d consultations, %v", len(all), err)
	}
}

func TestLoadRefusesToRemoveAnsweredQuestion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	if _, _, err := demo.Load(ctx, pool); err != nil {
		t.Fatal(err)
	}
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	def.Questions = slices.DeleteFunc(def.Questions, func(q consultation.QuestionDef) bool { return q.Code == "Q7" })
	_, err = (&consultation.Service{Pool: pool}).Load(ctx, def)
	if err == nil || !strings.Contains(err.Error(), "Q7 already have answers") {
		t.Errorf("err = %v, want a refusal naming Q7", err)
	}
	if _, err := (&consultation.Service{Pool: pool}).Get(ctx, "nope"); !errors.Is(err, consultation.ErrNotFound) {
		t.Errorf("Get(nope) = %v, want ErrNotFound", err)
	}
}

// What stored responses refer to cannot be removed by loading a new
// definition, and the refusal says what to do.
func TestLoadRefusesToRemoveWhatIsInUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	if _, _, err := demo.Load(ctx, pool); err != nil {
		t.Fatal(err)
	}
	svc := &consultation.Service{Pool: pool}
	for _, c := range []struct {
		name   string
		change func(d *consultation.Definition)
		want   string
	}{
		{"chosen option", func(d *consultation.Definition) {
			d.Scales[0].Options = d.Scales[0].Options[:4] // drop Don't know
			d.Scales[0].Combinations = nil
		}, "options dont-know have been chosen in answers"},
		{"group with responses", func(d *consultation.Definition) {
			d.RespondentGroups = d.RespondentGroups[:3] // drop other stakeholders
		}, "respondent groups: the definition leaves out respondent groups that are still in use"},
	} {
		def, err := demo.Definition()
		if err != nil {
			t.Fatal(err)
		}
		c.change(def)
		_, err = svc.Load(ctx, def)
		var de *consultation.DefinitionError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want a definition problem with %q", c.name, err, c.want)
		}
	}
}
