// Package results is the one aggregation path: every results page, chart
// and export gets its counts from Service.Counts, which reads the summary
// tables kept exact by database triggers (see migrations/000001, 000019
// for answers crossed with answers, 000028 for organisation or individual
// and received days, 000031 for one answer with received days); filters
// no summary keeps are counted response by response from response_facts
// (000028), held in memory and kept exact by fact_versions (000035,
// memfacts.go), and campaigns left out as a summary less the members
// left out (campaigns.go).
package results

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// Count is one cell: answers (or responses, with QuestionID 0) for one
// question, option, group and channel. OptionID 0 is a text answer;
// GroupID 0 is "group not known".
type Count struct {
	QuestionID int32
	OptionID   int32
	GroupID    int32
	Channel    string
	N          int64
}

// Table holds every non-zero count of a consultation under one filter.
type Table struct {
	Consultation *consultation.Consultation
	Filter       Filter
	Answers      []Count
	Responses    []Count
	// Policy protects small numbers (see suppress.go); all is the
	// unfiltered table a protected one was cut from.
	Policy Policy
	all    *Table
}

// Service reads counts.
type Service struct {
	Pool *pgxpool.Pool
	// oneByOne counts every filter response by response, never from a
	// summary: tests compare the two (export_test.go).
	oneByOne bool
	// sqlFacts counts response_facts in SQL rather than from the copy in
	// memory (memfacts.go): tests compare the two (export_test.go).
	sqlFacts bool
	// smallProbes checks searches in lists with tiny probe budgets
	// (memlists.go), so tests go through every way of checking one.
	smallProbes bool
	// qs, when set, is the one snapshot every read goes to (leaving
	// campaigns out: campaigns.go).
	qs *db.Queries
	// SQLUntilWarm counts in SQL while a consultation's copy in memory
	// is not read yet, and starts reading it in the background
	// (memwarm.go), rather than making the page wait for the read.
	SQLUntilWarm bool
	// Logger logs the background reads (slog.Default when nil).
	Logger *slog.Logger
}

// queries reads from the snapshot, if any, or the pool.
func (s *Service) queries() *db.Queries {
	if s.qs != nil {
		return s.qs
	}
	return db.New(s.Pool)
}

// Counts returns the counts of c under f. Figures are counted under
// f.Counted(): the text and coding filters narrow lists of answers only,
// so a search alone is counted from the summary tables, not response by
// response (at a million responses that took 20 s per question page).
// The table keeps the whole f, which its page's list reads.
func (s *Service) Counts(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	t, err := s.countsOf(ctx, c, f.Counted())
	if t != nil {
		t.Filter = f
	}
	return t, err
}

// countsOf counts under a filter that counts (no text or coding filter).
func (s *Service) countsOf(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	if s.oneByOne && f.Active() {
		return s.filteredCounts(ctx, c, f)
	}
	if base, ok := s.leavesOut(f); ok {
		return s.countsLeavingOut(ctx, c, f, base)
	}
	return s.counts(ctx, c, f)
}

// counts reads c's counts under f from the summary that keeps f, or
// response by response from response_facts.
func (s *Service) counts(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	switch {
	case f.paired():
		return s.pairedCounts(ctx, c, f)
	case f.Summarised():
	case f.dayed():
		return s.dayCounts(ctx, c, f)
	case f.pairDayed():
		return s.pairDayCounts(ctx, c, f)
	default:
		return s.factCounts(ctx, c, f, nil)
	}
	q := s.queries()
	groups, channels := f.params()
	ans, err := q.AnswerCounts(ctx, db.AnswerCountsParams{ConsultationID: c.ID, GroupIds: groups, Channels: channels})
	if err != nil {
		return nil, fmt.Errorf("results: answer counts for %s: %w", c.Slug, err)
	}
	resp, err := q.ResponseCounts(ctx, db.ResponseCountsParams{ConsultationID: c.ID, GroupIds: groups, Channels: channels})
	if err != nil {
		return nil, fmt.Errorf("results: response counts for %s: %w", c.Slug, err)
	}
	t := &Table{Consultation: c, Filter: f}
	for _, r := range ans {
		t.Answers = append(t.Answers, Count{QuestionID: r.QuestionID, OptionID: r.OptionID, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N})
	}
	for _, r := range resp {
		t.Responses = append(t.Responses, Count{GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N})
	}
	return t, nil
}

// Percent is n as a whole percentage of total, rounded half up (80.5%
// shows as 81%). It is 0 when total is 0.
func Percent(n, total int64) int64 {
	if total <= 0 {
		return 0
	}
	return (200*n + total) / (2 * total)
}

// RoundingRule is the sentence every page shows next to percentages.
const RoundingRule = "Percentages are calculated from the exact counts and rounded half up to whole numbers; combined figures such as “fully or mostly” are calculated from the combined count, not by adding rounded percentages, so percentages may not add up to 100."

// ChannelLabel names a channel for people.
func ChannelLabel(ch string) string {
	switch ch {
	case "webform":
		return "Online webform"
	case "email":
		return "Email"
	case "letter":
		return "Letter"
	case "event":
		return "Engagement events"
	}
	return ch
}

// Describe says which channels and groups a filter covers, e.g.
// "all channels and all respondent groups".
func Describe(c *consultation.Consultation, f Filter) string {
	chans := "all channels"
	if len(f.Channels) > 0 {
		var names []string
		for _, ch := range ingest.Channels {
			if slices.Contains(f.Channels, ch) {
				names = append(names, strings.ToLower(ChannelLabel(ch)))
			}
		}
		chans = "channel " + strings.Join(names, ", ")
		if len(names) > 1 {
			chans = "channels " + strings.Join(names, ", ")
		}
	}
	groups := "all respondent groups"
	if len(f.GroupIDs) > 0 {
		var names []string
		for _, g := range c.Groups {
			if slices.Contains(f.GroupIDs, g.ID) {
				names = append(names, g.Label)
			}
		}
		groups = "respondent group " + strings.Join(names, "; ")
		if len(names) > 1 {
			groups = "respondent groups " + strings.Join(names, "; ")
		}
	}
	return chans + " and " + groups + f.describeMore(c) + f.describeCampaigns()
}

// describeCampaigns states the base when campaigns are left out or
// counted once (#15).
func (f Filter) describeCampaigns() string {
	switch f.Campaigns {
	case CampaignsExclude:
		return ", leaving out campaign responses"
	case CampaignsOnce:
		return ", counting each campaign once"
	}
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
