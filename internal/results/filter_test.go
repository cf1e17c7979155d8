package results_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"heard/internal/consultation"
	"heard/internal/results"
)

// testConsultation is a small consultation with a support scale, an
// open question explaining a closed one, and an equality question.
func testConsultation() *consultation.Consultation {
	support := &consultation.Scale{ID: 1, Slug: "support", Options: []*consultation.Option{
		{ID: 11, Slug: "fully", Label: "Fully"}, {ID: 14, Slug: "not-at-all", Label: "Not at all"},
	}}
	age := &consultation.Scale{ID: 2, Slug: "age", Options: []*consultation.Option{
		{ID: 21, Slug: "18-24", Label: "18 to 24"}, {ID: 22, Slug: "65-74", Label: "65 to 74"},
	}}
	q1a := &consultation.Question{ID: 101, Code: "Q1a", Kind: "closed", Scale: support}
	return &consultation.Consultation{
		ID: 1, Slug: "c",
		Groups: []*consultation.Group{{ID: 1, Slug: "public", Label: "Public"}, {ID: 2, Slug: "providers", Label: "Providers"}},
		Questions: []*consultation.Question{
			q1a,
			{ID: 102, Code: "Q1b", Kind: "open", Explains: q1a},
			{ID: 103, Code: "age-band", Kind: "demographic", Scale: age},
		},
	}
}

func TestFilterRoundTripsThroughTheURL(t *testing.T) {
	c := testConsultation()
	for _, raw := range []string{
		"",
		"group=public",
		"channel=webform&channel=event&group=public&group=providers",
		"answer=Q1a:not-at-all&q=inspection&respondent=organisation",
		"answer=Q1a:fully&answer=Q1a:not-at-all&answer=age-band:65-74&channel=email&coding=uncoded&code=7&code=9&event=3&from=2021-01-07&group=public&q=%22care+home%22+OR+hospital+-covid&quote=yes&respondent=individual&to=2021-03-04",
	} {
		t.Run(raw, func(t *testing.T) {
			in, _ := url.ParseQuery(raw)
			f, err := results.ParseFilter(c, in)
			if err != nil {
				t.Fatal(err)
			}
			out := f.Values(c)
			if diff := cmp.Diff(in, out, cmp.Comparer(func(a, b url.Values) bool { return a.Encode() == b.Encode() })); diff != "" {
				t.Errorf("Values() differs from the query it was parsed from: %s\nwant %s\ngot  %s", diff, in.Encode(), out.Encode())
			}
			again, err := results.ParseFilter(c, out)
			if err != nil {
				t.Fatal(err)
			}
			if again.Values(c).Encode() != out.Encode() {
				t.Errorf("second round trip changed the filter: %s", again.Values(c).Encode())
			}
		})
	}
}

func TestParseFilterReadsEachPart(t *testing.T) {
	c := testConsultation()
	v, _ := url.ParseQuery("group=public&group=public&channel=event&answer=Q1a:not-at-all&answer=age-band:18-24&answer=Q1a:fully&from=2021-01-07&to=2021-03-04&q=++care+++home+&respondent=organisation&coding=nocode&quote=yes&code=5")
	f, err := results.ParseFilter(c, v)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int32{1}, f.GroupIDs); diff != "" {
		t.Errorf("groups: %s", diff)
	}
	if len(f.Answers) != 2 || f.Answers[0].Question.Code != "Q1a" || !cmp.Equal(f.Answers[0].OptionIDs, []int32{14, 11}) || f.Answers[1].Question.Code != "age-band" {
		t.Errorf("answers: %+v", f.Answers)
	}
	if f.Text != "care home" {
		t.Errorf("text = %q, want spaces folded", f.Text)
	}
	if want := time.Date(2021, 3, 5, 0, 0, 0, 0, results.London); !f.Before().Equal(want) {
		t.Errorf("Before() = %v, want %v", f.Before(), want)
	}
	if f.Summarised() || !f.Active() {
		t.Error("a filter with answers and text must not be counted from the summary tables")
	}
	if g, _ := results.ParseFilter(c, url.Values{"group": {"public"}, "channel": {"event"}}); !g.Summarised() {
		t.Error("groups and channels alone are summarised")
	}
	want := "channel engagement events and respondent group Public, organisations only, who answered “Fully” or “Not at all” to Q1a, who answered “18 to 24” to age-band, received 7 January 2021 to 4 March 2021, matching “care home”, with any of 1 chosen code(s), with no code, flagged as quotes"
	if got := results.Describe(c, f); got != want {
		t.Errorf("Describe =\n%s\nwant\n%s", got, want)
	}
}

func TestParseFilterRejectsUnknownValues(t *testing.T) {
	c := testConsultation()
	for _, raw := range []string{
		"group=martians", "channel=pigeon", "event=x", "event=0", "respondent=robot",
		"answer=Q1a", "answer=Q1b:fully", "answer=Q9:fully", "answer=Q1a:hardly",
		"from=7/1/2021", "to=2021-02-30", "code=abc", "coding=maybe", "quote=1",
		"q=" + url.QueryEscape(string(make([]byte, results.MaxText+1))),
	} {
		v, _ := url.ParseQuery(raw)
		_, err := results.ParseFilter(c, v)
		var fe *results.FilterError
		if !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want a FilterError", raw, err)
		}
	}
}
