package results

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpellingVariants(t *testing.T) {
	for query, want := range map[string]string{
		"organisation":                 "organisation>organization",
		"Organizations":                "organizations>organisations",
		"behaviour colour":             "behaviour>behavior colour>color",
		"centre paediatric analysed":   "centre>center paediatric>pediatric analysed>analyzed",
		`"care home" -inspection OR x`: "",
		"four your size hour":          "", // short words keep their spelling
		"organise organise":            "organise>organize",
	} {
		words, variants := spellingVariants(query)
		var got []string
		for i := range words {
			got = append(got, words[i]+">"+variants[i])
		}
		if diff := cmp.Diff(want, strings.Join(got, " ")); diff != "" {
			t.Errorf("%q: %s", query, diff)
		}
	}
}

func TestFragmentsSplitAtMarkers(t *testing.T) {
	got := fragments("a " + markStart + "b" + markStop + " <c> " + markStart + "d" + markStop)
	want := []Fragment{{Text: "a "}, {Text: "b", Mark: true}, {Text: " <c> "}, {Text: "d", Mark: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}
