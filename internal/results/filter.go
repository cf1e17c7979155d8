package results

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London must resolve even in a bare container

	"heard/internal/consultation"
	"heard/internal/ingest"
)

// Filter says which responses (and so which answers) a page covers. The
// zero Filter covers everything. Fields combine with AND; the values
// within one field combine with OR (two groups: either group).
//
// Only GroupIDs and Channels can be answered from the summary tables
// (see Summarised); the other fields select responses one by one.
type Filter struct {
	// GroupIDs are respondent groups; 0 stands for "group not known".
	GroupIDs []int32
	// Channels are ingest.Channels values.
	Channels []string
	// EventIDs are engagement events the responses were taken at.
	EventIDs []int64
	// Respondent is OrgOnly, IndividualsOnly or "" for both.
	Respondent string
	// Answers are answers given to closed or equality-monitoring
	// questions, e.g. Q1a "Not at all".
	Answers []AnswerFilter
	// From and To are received dates, inclusive, as midnight in
	// Europe/London; zero means open-ended.
	From, To time.Time
	// Text is a web-search style query (phrases in quotes, OR, -word)
	// over open answers; lists only.
	Text string
	// The coding filters, lists only. CodeIDs: the answer has any of
	// these codes. Coding: Uncoded (nobody has coded it yet, nor said
	// that no code applies) or NoCode (it has no code now, coded or not).
	// Quote: flagged as worth quoting.
	CodeIDs []int32
	Coding  string
	Quote   bool
	// Campaigns (#15) is "" to count every response, CampaignsExclude to
	// leave out members of campaigns (detected ones count until an analyst
	// dismisses them) or CampaignsOnce to count each campaign once.
	Campaigns string
}

// AnswerFilter selects responses that gave any of OptionIDs to Question.
type AnswerFilter struct {
	Question  *consultation.Question
	OptionIDs []int32
}

// Values of Filter.Respondent and Filter.Coding, as they appear in URLs.
const (
	OrgOnly         = "organisation"
	IndividualsOnly = "individual"
	Uncoded         = "uncoded"
	NoCode          = "nocode"
	// Values of the campaigns parameter.
	CampaignsExclude = "exclude"
	CampaignsOnce    = "once"
)

// MaxText bounds the search text: websearch_to_tsquery is linear in it,
// and nobody types a paragraph into a search box.
const MaxText = 200

// Query parameter names. group and channel predate the rest and keep
// their meaning; answer takes QUESTION:OPTION, e.g. answer=Q1a:not-at-all.
const (
	paramGroup     = "group"
	paramChannel   = "channel"
	paramEvent     = "event"
	paramResp      = "respondent"
	paramAnswer    = "answer"
	paramFrom      = "from"
	paramTo        = "to"
	paramText      = "q"
	paramCode      = "code"
	paramCoding    = "coding"
	paramQuote     = "quote"
	paramCampaigns = "campaigns"
	dateLayout     = "2006-01-02"
)

// FilterParams are every query parameter a Filter reads, so pages can
// tell them from their own (page, sort).
var FilterParams = []string{paramGroup, paramChannel, paramEvent, paramResp, paramAnswer, paramFrom, paramTo, paramText, paramCode, paramCoding, paramQuote, paramCampaigns}

// London is the time zone received dates are read in.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded: this cannot happen
	}
	return l
}

// FilterError is a filter value that does not exist in the consultation
// or cannot be read.
type FilterError struct {
	Param, Value string
}

func (e *FilterError) Error() string {
	return fmt.Sprintf("unknown %s %q", e.Param, e.Value)
}

// ParseFilter reads a Filter from query values. Unknown groups, options,
// channels and malformed values are a *FilterError: a link that silently
// dropped part of its filter would show the wrong answers.
func ParseFilter(c *consultation.Consultation, v url.Values) (Filter, error) {
	var f Filter
	bad := func(p, val string) (Filter, error) { return Filter{}, &FilterError{Param: p, Value: val} }
	for _, slug := range v[paramGroup] {
		g := c.Group(slug)
		if g == nil {
			return bad(paramGroup, slug)
		}
		f.GroupIDs = appendNew(f.GroupIDs, g.ID)
	}
	for _, ch := range v[paramChannel] {
		if !slices.Contains(ingest.Channels, ch) {
			return bad(paramChannel, ch)
		}
		f.Channels = appendNew(f.Channels, ch)
	}
	for _, s := range v[paramEvent] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return bad(paramEvent, s)
		}
		f.EventIDs = appendNew(f.EventIDs, id)
	}
	switch r := v.Get(paramResp); r {
	case "", OrgOnly, IndividualsOnly:
		f.Respondent = r
	default:
		return bad(paramResp, r)
	}
	for _, s := range v[paramAnswer] {
		if err := f.addAnswer(c, s); err != nil {
			return Filter{}, err
		}
	}
	var err error
	if f.From, err = parseDate(paramFrom, v.Get(paramFrom)); err != nil {
		return Filter{}, err
	}
	if f.To, err = parseDate(paramTo, v.Get(paramTo)); err != nil {
		return Filter{}, err
	}
	f.Text = strings.Join(strings.Fields(v.Get(paramText)), " ")
	if len(f.Text) > MaxText {
		return bad(paramText, f.Text[:20]+"…")
	}
	for _, s := range v[paramCode] {
		id, err := strconv.ParseInt(s, 10, 32)
		if err != nil || id <= 0 {
			return bad(paramCode, s)
		}
		f.CodeIDs = appendNew(f.CodeIDs, int32(id))
	}
	switch cd := v.Get(paramCoding); cd {
	case "", Uncoded, NoCode:
		f.Coding = cd
	default:
		return bad(paramCoding, cd)
	}
	switch cm := v.Get(paramCampaigns); cm {
	case "", "include":
	case CampaignsExclude, CampaignsOnce:
		f.Campaigns = cm
	default:
		return bad(paramCampaigns, cm)
	}
	switch q := v.Get(paramQuote); q {
	case "":
	case "yes":
		f.Quote = true
	default:
		return bad(paramQuote, q)
	}
	return f, nil
}

// addAnswer reads one QUESTION:OPTION value; options of one question
// gather into one AnswerFilter.
func (f *Filter) addAnswer(c *consultation.Consultation, s string) error {
	code, slug, ok := strings.Cut(s, ":")
	q := c.Question(code)
	if !ok || q == nil || !q.Closed() {
		return &FilterError{Param: paramAnswer, Value: s}
	}
	var opt *consultation.Option
	for _, o := range q.Scale.Options {
		if o.Slug == slug {
			opt = o
		}
	}
	if opt == nil {
		return &FilterError{Param: paramAnswer, Value: s}
	}
	for i := range f.Answers {
		if f.Answers[i].Question == q {
			f.Answers[i].OptionIDs = appendNew(f.Answers[i].OptionIDs, opt.ID)
			return nil
		}
	}
	f.Answers = append(f.Answers, AnswerFilter{Question: q, OptionIDs: []int32{opt.ID}})
	return nil
}

func parseDate(param, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(dateLayout, s, London)
	if err != nil {
		return time.Time{}, &FilterError{Param: param, Value: s}
	}
	return t, nil
}

func appendNew[T comparable](s []T, v T) []T {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// Values is f as query parameters: ParseFilter(c, f.Values(c)) gives f
// back, so a link reproduces the list it came from. Values are in a
// fixed order (the consultation's), so equal filters give equal URLs.
func (f Filter) Values(c *consultation.Consultation) url.Values {
	v := url.Values{}
	for _, g := range c.Groups {
		if slices.Contains(f.GroupIDs, g.ID) {
			v.Add(paramGroup, g.Slug)
		}
	}
	for _, ch := range ingest.Channels {
		if slices.Contains(f.Channels, ch) {
			v.Add(paramChannel, ch)
		}
	}
	for _, id := range f.EventIDs {
		v.Add(paramEvent, strconv.FormatInt(id, 10))
	}
	if f.Respondent != "" {
		v.Set(paramResp, f.Respondent)
	}
	for _, a := range f.Answers {
		for _, o := range a.Question.Scale.Options {
			if slices.Contains(a.OptionIDs, o.ID) {
				v.Add(paramAnswer, a.Question.Code+":"+o.Slug)
			}
		}
	}
	if !f.From.IsZero() {
		v.Set(paramFrom, f.From.Format(dateLayout))
	}
	if !f.To.IsZero() {
		v.Set(paramTo, f.To.Format(dateLayout))
	}
	if f.Text != "" {
		v.Set(paramText, f.Text)
	}
	for _, id := range f.CodeIDs {
		v.Add(paramCode, strconv.FormatInt(int64(id), 10))
	}
	if f.Coding != "" {
		v.Set(paramCoding, f.Coding)
	}
	if f.Quote {
		v.Set(paramQuote, "yes")
	}
	if f.Campaigns != "" {
		v.Set(paramCampaigns, f.Campaigns)
	}
	return v
}

// Summarised reports whether the summary tables can count f exactly:
// only groups and channels are kept there.
func (f Filter) Summarised() bool {
	return len(f.EventIDs) == 0 && f.Respondent == "" && len(f.Answers) == 0 &&
		f.From.IsZero() && f.To.IsZero() && f.Text == "" && !f.coded() && f.Campaigns == ""
}

// Counted is the part of f that counts honour: everything but the text
// and coding filters, which narrow lists of answers only (groups and
// channels from the summary tables, the rest through filteredCounts).
// Pages show figures for Counted and say so.
func (f Filter) Counted() Filter {
	return Filter{GroupIDs: f.GroupIDs, Channels: f.Channels, EventIDs: f.EventIDs,
		Respondent: f.Respondent, Answers: f.Answers, From: f.From, To: f.To, Campaigns: f.Campaigns}
}

// coded reports whether any coding filter is set.
func (f Filter) coded() bool {
	return len(f.CodeIDs) > 0 || f.Coding != "" || f.Quote
}

// Active reports whether f narrows anything.
func (f Filter) Active() bool {
	return len(f.GroupIDs) > 0 || len(f.Channels) > 0 || !f.Summarised()
}

// Before is the end of the To day (exclusive), or zero.
func (f Filter) Before() time.Time {
	if f.To.IsZero() {
		return time.Time{}
	}
	return f.To.AddDate(0, 0, 1)
}

// params are the filter's groups and channels as query parameters:
// empty arrays (never NULL) mean "all".
func (f Filter) params() ([]int32, []string) {
	groups, channels := f.GroupIDs, f.Channels
	if groups == nil {
		groups = []int32{}
	}
	if channels == nil {
		channels = []string{}
	}
	return groups, channels
}

// describeMore names the parts of f beyond groups and channels, each
// after a comma, so a page says exactly what its list covers.
func (f Filter) describeMore(c *consultation.Consultation) string {
	var parts []string
	if len(f.EventIDs) > 0 {
		parts = append(parts, fmt.Sprintf("%d chosen event(s)", len(f.EventIDs)))
	}
	switch f.Respondent {
	case OrgOnly:
		parts = append(parts, "organisations only")
	case IndividualsOnly:
		parts = append(parts, "individuals only")
	}
	for _, a := range f.Answers {
		var labels []string
		for _, o := range a.Question.Scale.Options {
			if slices.Contains(a.OptionIDs, o.ID) {
				labels = append(labels, "“"+o.Label+"”")
			}
		}
		parts = append(parts, "who answered "+strings.Join(labels, " or ")+" to "+a.Question.Code)
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, "received "+f.From.Format("2 January 2006")+" to "+f.To.Format("2 January 2006"))
	case !f.From.IsZero():
		parts = append(parts, "received from "+f.From.Format("2 January 2006"))
	case !f.To.IsZero():
		parts = append(parts, "received up to "+f.To.Format("2 January 2006"))
	}
	if f.Text != "" {
		parts = append(parts, "matching “"+f.Text+"”")
	}
	if len(f.CodeIDs) > 0 {
		parts = append(parts, fmt.Sprintf("with any of %d chosen code(s)", len(f.CodeIDs)))
	}
	switch f.Coding {
	case Uncoded:
		parts = append(parts, "not yet coded")
	case NoCode:
		parts = append(parts, "with no code")
	}
	if f.Quote {
		parts = append(parts, "flagged as quotes")
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}
