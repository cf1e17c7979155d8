package consultation_test

import (
	"strings"
	"testing"

	"heard/internal/consultation"
)

func TestReferencePopulationIsChecked(t *testing.T) {
	def := `{"slug": "x", "title": "X", "opens_on": "2021-01-07", "closes_on": "2021-03-04",
		"scales": [{"slug": "eth", "options": [{"slug": "white", "label": "White"}, {"slug": "asian", "label": "Asian"}]}],
		"questions": [
			{"code": "E", "kind": "demographic", "prompt": "Ethnic group?", "scale": "eth",
			 "reference": {"source": "", "date": "2021-03-21", "shares": {"white": 81.7, "martian": 1, "asian": 120}}},
			{"code": "Q1", "kind": "closed", "prompt": "?", "scale": "eth", "reference": {"source": "ONS", "date": "2021", "shares": {}}}]}`
	_, err := consultation.ParseDefinition([]byte(def))
	if err == nil {
		t.Fatal("bad references accepted")
	}
	for _, want := range []string{
		"questions[0] (E).reference: needs its source and date",
		`questions[0] (E).reference.shares: "martian" is not an option of scale "eth"`,
		"questions[0] (E).reference.shares.asian: 120 is not a percentage",
		"questions[0] (E).reference.shares: add up to 202.7%",
		"questions[1] (Q1).reference: only an equality-monitoring (demographic) question",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// A definition without references (every older one) still parses.
	ok := strings.Replace(def, `"reference": {"source": "", "date": "2021-03-21", "shares": {"white": 81.7, "martian": 1, "asian": 120}}`, `"hint": ""`, 1)
	ok = strings.Replace(ok, `, "reference": {"source": "ONS", "date": "2021", "shares": {}}`, "", 1)
	if _, err := consultation.ParseDefinition([]byte(ok)); err != nil {
		t.Errorf("definition without references: %v", err)
	}
}
