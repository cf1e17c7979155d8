package personal

import (
	"slices"
	"testing"
)

// namesInText is a small hand-made set of sentences as consultation
// responses write them, each with the names a person would redact. Half
// of it is traps: organisations and places named after people, months,
// given names used as words, capitalised phrases.
var namesInText = []struct {
	text  string
	names []string
}{
	{"My mother, Jane Smith, lived at the home for six years.", []string{"Jane Smith"}},
	{"I am writing on behalf of my father Robert Evans who has dementia.", []string{"Robert Evans"}},
	{"The manager, Amir Khan, told us there were not enough staff.", []string{"Amir Khan"}},
	{"We spoke to Sarah Thompson at the inspection and she was very helpful.", []string{"Sarah Thompson"}},
	{"My husband, David O'Connor, was moved three times in a week.", []string{"David O'Connor"}},
	{"Our son, Mohammed Ali, needs a carer who speaks Urdu.", []string{"Mohammed Ali"}},
	{"My carer Priya Patel visits twice a day.", []string{"Priya Patel"}},
	{"Please pass this to Helen Carter-Jones in the complaints team.", []string{"Helen Carter-Jones"}},
	{"My neighbour, Margaret Hughes, found him on the floor.", []string{"Margaret Hughes"}},
	{"The GP, Dr Patel, was excellent.", []string{"Patel"}},
	{"My grandmother Grace Hope died in hospital.", []string{"Grace Hope"}},
	{"Thomas Wright, the registered manager, left in March.", []string{"Thomas Wright"}},
	{"I met Lucy Bennett and Paul Harris from the local Healthwatch.", []string{"Lucy Bennett", "Paul Harris"}},
	// Traps: nothing to redact.
	{"The Florence Nightingale Foundation supports nurses.", nil},
	{"Marie Curie nurses cared for her at the end.", nil},
	{"She stayed at Victoria House for a month.", nil},
	{"The home on Charlotte Street was clean and well run.", nil},
	{"In June Ofsted and CQC published a joint review.", nil},
	{"The Care Quality Commission should visit more often.", nil},
	{"Sue Ryder Care runs the hospice near us.", nil},
	{"We are a member of Age UK and Mind.", nil},
	{"St George Hospital has improved since the last inspection.", nil},
	{"Rose Court Care Home has a good rating.", nil},
	{"Our members at Grace Church raised concerns.", nil},
	{"The NHS Long Term Plan sets out the priorities.", nil},
	{"Amber Valley Council commissions the service.", nil},
	{"Mark Scheme and Grace Period are not names.", nil},
	{"The report by Healthwatch England said the same.", nil},
	{"We visited the Elizabeth Line station with residents.", nil},
	{"Lewis Carroll Court is a sheltered housing scheme.", nil},
}

// Names in running text are found with measured precision and recall
// on namesInText; precision matters more (redacting an organisation's
// name would hide who responded), so it has the stricter bar.
func TestRunningNamesPrecision(t *testing.T) {
	tp, fp, fn := 0, 0, 0
	for _, c := range namesInText {
		var got []string
		for _, sp := range Detect(c.text) {
			if sp.Kind == KindName {
				got = append(got, c.text[sp.Start:sp.End])
			}
		}
		for _, g := range got {
			if slices.Contains(c.names, g) {
				tp++
			} else {
				fp++
				t.Logf("false positive: %q in %q", g, c.text)
			}
		}
		for _, w := range c.names {
			if !slices.Contains(got, w) {
				fn++
				t.Logf("missed: %q in %q", w, c.text)
			}
		}
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(tp+fn)
	t.Logf("names in running text: %d found, %d wrongly, %d missed: precision %.2f, recall %.2f", tp, fp, fn, precision, recall)
	if precision < 0.9 || recall < 0.8 {
		t.Errorf("precision %.2f (want ≥ 0.90), recall %.2f (want ≥ 0.80)", precision, recall)
	}
}
