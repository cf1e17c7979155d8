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
	return Num(r.Answered) + " answered" + combined(r.Combinations)
}

// combined is "; 496 fully or mostly (80%)" for each combination.
func combined(cs []results.Share) string {
	s := ""
	for _, c := range cs {
		s += "; " + Num(c.N) + " " + Lower(c.Label) + " (" + Pct(c.Percent) + ")"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// joinAll lists items with "; " between them.
func joinAll(items []string) string { return strings.Join(items, "; ") }
// Num64 formats an id or version without separators.
func Num64(n int64) string { return strconv.FormatInt(n, 10) }
