package web

import (
	"strings"

	"heard/internal/results"
	"strconv"
	"time"
)

// DateRange formats "7 January 2021 to 4 March 2021".
func DateRange(from, to time.Time) string {
	return Date(from) + " to " + Date(to)
}

// Date formats a date the GOV.UK way: "7 January 2021".
func Date(t time.Time) string { return t.Format("2 January 2006") }

// Num formats a count with thousands separators: 1,000,000.
func Num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// Pct formats a whole percentage: "80%".
func Pct(p int64) string { return strconv.FormatInt(p, 10) + "%" }

// Lower lower-cases a label for use mid-sentence.
func Lower(s string) string { return strings.ToLower(s) }

// channelList names channels for a sentence.
func channelList(chs []string) string {
	names := make([]string, len(chs))
	for i, ch := range chs {
		names[i] = strings.ToLower(results.ChannelLabel(ch))
	}
	return strings.Join(names, ", ")
}

// Headline is a question's one-line summary, e.g.
// "618 answered; 496 fully or mostly (80%)".
func Headline(r results.QuestionResult) string {
	if r.Withheld != "" {
		return r.Withheld
	}
	return Num(r.Answered) + " answered" + combined(r.Combinations)
}

// combined is "; 496 fully or mostly (80%)" for each combination.
func combined(cs []results.Share) string {
	s := ""
	for _, c := range cs {
		if c.Withheld != "" {
			s += "; " + Lower(c.Label) + ": " + c.Withheld
			continue
		}
		s += "; " + Num(c.N) + " " + Lower(c.Label) + " (" + Pct(c.Percent) + ")"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Num64 formats an id or version without separators.
func Num64(n int64) string { return strconv.FormatInt(n, 10) }

// paragraphs splits text typed in a textarea at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// joinAll lists items with "; " between them.
func joinAll(items []string) string { return strings.Join(items, "; ") }

// selected is choices with the one whose value is value checked.
func selected(choices []Choice, value string) []Choice {
	out := make([]Choice, len(choices))
	for i, c := range choices {
		c.Checked = c.Value == value
		out[i] = c
	}
	return out
}

// roleChoices are the roles, current selected.
func roleChoices(roles []string, current string) []Choice {
	out := make([]Choice, len(roles))
	for i, r := range roles {
		out[i] = Choice{Value: r, Label: r, Checked: r == current}
	}
	return out
}

// encodingChoices lets Heard work the encoding out, or names one.
func encodingChoices(encodings []string) []Choice {
	out := []Choice{{Value: "", Label: "Work it out"}}
	for _, e := range encodings {
		out = append(out, Choice{Value: e, Label: e})
	}
	return out
}

// importChannels are the channels an import can give its responses.
var importChannels = []Choice{
	{Value: "", Label: "Email for email files; each row's own for CSV and Excel"},
	{Value: "email", Label: "Email"},
	{Value: "letter", Label: "Letter"},
	{Value: "event", Label: "Engagement event"},
}

// yesNo is a Yes/No pair of radios.
var yesNo = []Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}

// mailboxSecurity are the ways to secure an IMAP connection.
var mailboxSecurity = []Choice{
	{Value: "tls", Label: "TLS (usually port 993)"},
	{Value: "starttls", Label: "STARTTLS (usually port 143)"},
	{Value: "none", Label: "None: only for a server on this machine (localhost)"},
}
