package results

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Leaving campaigns out (#15) without reading every response: the
// figures under f are those under f without its campaigns filter (from
// a summary, when one keeps that filter) less those of the campaign
// members the filter drops that match the rest of f (from response_facts,
// driven by their ids). Both are read in one REPEATABLE READ snapshot,
// so the difference is exact whatever is written meanwhile.

// leavesOut reports whether f is counted that way, and the filter the
// summary counts (the timeline and the compare page ask the same of
// their own summaries: perDay, crosses).
func (s *Service) leavesOut(f Filter) (Filter, bool) {
	base := f.withoutCampaigns()
	ok := f.Campaigns != "" && s.qs == nil && !s.oneByOne && (base.paired() || base.Summarised() || base.dayed() || base.pairDayed())
	return base, ok
}

// snapshot runs fn on a Service whose reads all see one snapshot, with
// the ids of the responses f's campaigns filter drops.
func (s *Service) snapshot(ctx context.Context, c *consultation.Consultation, f Filter, fn func(ts *Service, dropped []int64) error) error {
	return db.WithTx(ctx, s.Pool, func(tx pgx.Tx, qs *db.Queries) error {
		for _, set := range []string{
			"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
			"SET LOCAL plan_cache_mode = force_custom_plan",
			"SET LOCAL random_page_cost = 1.1",
		} {
			if _, err := tx.Exec(ctx, set); err != nil {
				return err
			}
		}
		dropped, err := qs.CampaignDropped(ctx, db.CampaignDroppedParams{ConsultationID: c.ID, Campaigns: f.Campaigns})
		if err != nil {
			return fmt.Errorf("results: campaign members left out of %s: %w", c.Slug, err)
		}
		return fn(&Service{Pool: s.Pool, qs: qs}, nonNil(dropped))
	})
}

// countsLeavingOut is Counts for a filter leavesOut accepts.
func (s *Service) countsLeavingOut(ctx context.Context, c *consultation.Consultation, f, base Filter) (*Table, error) {
	var t *Table
	err := s.snapshot(ctx, c, f, func(ts *Service, dropped []int64) error {
		var err error
		if t, err = ts.counts(ctx, c, base); err != nil || len(dropped) == 0 {
			return err
		}
		d, err := ts.factCounts(ctx, c, base, dropped)
		if err != nil {
			return err
		}
		t.Answers, t.Responses = minus(t.Answers, d.Answers), minus(t.Responses, d.Responses)
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.Filter = f
	return t, nil
}

// minus is a's cells less b's (a subset of a's keys), zeros dropped, in
// a's order.
func minus(a, b []Count) []Count {
	type key struct {
		q, o, g int32
		ch      string
	}
	less := map[key]int64{}
	for _, x := range b {
		less[key{x.QuestionID, x.OptionID, x.GroupID, x.Channel}] += x.N
	}
	out := make([]Count, 0, len(a))
	for _, x := range a {
		x.N -= less[key{x.QuestionID, x.OptionID, x.GroupID, x.Channel}]
		if x.N != 0 {
			out = append(out, x)
		}
	}
	return out
}

// perDayLeavingOut is perDay for a filter leavesOut accepts (or whose
// base is read per day from answer_days).
func (s *Service) perDayLeavingOut(ctx context.Context, t *Table, base Filter) ([]db.ResponsesPerDayRow, error) {
	var rows []db.ResponsesPerDayRow
	err := s.snapshot(ctx, t.Consultation, t.Filter, func(ts *Service, dropped []int64) error {
		var err error
		if rows, err = ts.perDay(ctx, &Table{Consultation: t.Consultation, Filter: base}); err != nil || len(dropped) == 0 {
			return err
		}
		d, err := ts.factDays(ctx, t.Consultation, base, dropped)
		if err != nil {
			return err
		}
		type key struct {
			day string
			ch  db.Channel
		}
		less := map[key]int64{}
		for _, r := range d {
			less[key{r.Day.Format("2006-01-02"), r.Channel}] += r.N
		}
		rows = slices.DeleteFunc(rows, func(r db.ResponsesPerDayRow) bool {
			return r.N == less[key{r.Day.Format("2006-01-02"), r.Channel}]
		})
		for i, r := range rows {
			rows[i].N -= less[key{r.Day.Format("2006-01-02"), r.Channel}]
		}
		return nil
	})
	return rows, err
}

// crossLeavingOut is the compare page's crosses under a filter whose
// base answer_pairs keeps, less the dropped campaign members.
func (s *Service) crossLeavingOut(ctx context.Context, c *consultation.Consultation, f, base Filter, q *consultation.Question, by []*consultation.Question) (crossCounts, error) {
	var x crossCounts
	err := s.snapshot(ctx, c, f, func(ts *Service, dropped []int64) error {
		var err error
		if x, err = ts.pairedCross(ctx, c, base, q, by); err != nil || len(dropped) == 0 {
			return err
		}
		d, err := ts.factCross(ctx, c, base, q, by, dropped)
		if err != nil {
			return err
		}
		for org, m := range d.org {
			for opt, n := range m {
				x.org[org][opt] -= n
			}
		}
		for bq, m := range d.byAnswer {
			for bo, mm := range m {
				for opt, n := range mm {
					if x.byAnswer[bq] == nil || x.byAnswer[bq][bo] == nil {
						return fmt.Errorf("results: %s compared: campaign members answered %d:%d, which nobody did", q.Code, bq, bo)
					}
					x.byAnswer[bq][bo][opt] -= n
				}
			}
		}
		return nil
	})
	return x, err
}

// withoutCampaigns is f counting every response.
func (f Filter) withoutCampaigns() Filter {
	f.Campaigns = ""
	return f
}
