package results

import (
	"context"
	"fmt"
	"math"
	"time"

	"heard/internal/consultation"
	"heard/internal/db"
)

// factKeyCap is how many responses the response-level filters of a list
// may match and still be read as ids through response_facts' keys
// (migrations/000034) and probed answer by answer: each probe is a few
// buffers, so a couple of thousand stay well inside a page's budget.
// Past it the list is walked in order, where its matches come often.
const factKeyCap = 2000

// maxFactDays bounds how many received days a date filter may span and
// still be a key set (one key per day); a longer one is left to the
// list query, which checks dates itself.
const maxFactDays = 400

// Kinds of the negative keys of heard_fact_keys (migrations/000034).
const (
	keyGroup   = 1
	keyChannel = 2
	keyOrg     = 3
	keyEvent   = 4
	keyDay     = 5
)

// factKey is heard_fact_keys' key of kind for value.
func factKey(kind, value int64) int64 { return -(kind << 40) - value }

var channelKeys = map[string]int64{"webform": 1, "email": 2, "letter": 3, "event": 4}

// factKeys are f's response-level filters on answers to q as
// FactKeyResponses' parameters: keys every response must have, and sets
// of which it must have one. ok is false when f has no response-level
// filter beyond groups and channels (those lists are read another way).
// A filter the keys cannot express is left out: the list query checks
// every filter again on the responses found, so the keys need only
// never miss a match.
func factKeys(q *consultation.Question, f Filter, firstDay, lastDay time.Time) (p db.FactKeyResponsesParams, ok bool) {
	if !f.keyed() {
		return p, false
	}
	all := []int64{int64(q.ID) << 32}
	var anys [][]int64
	add := func(keys []int64) {
		switch len(keys) {
		case 0:
		case 1:
			all = append(all, keys[0])
		default:
			anys = append(anys, keys)
		}
	}
	var keys []int64
	for _, g := range f.GroupIDs {
		keys = append(keys, factKey(keyGroup, int64(g)))
	}
	add(keys)
	keys = nil
	for _, ch := range f.Channels {
		keys = append(keys, factKey(keyChannel, channelKeys[ch]))
	}
	add(keys)
	keys = nil
	for _, e := range f.EventIDs {
		keys = append(keys, factKey(keyEvent, e))
	}
	add(keys)
	switch f.Respondent {
	case OrgOnly:
		add([]int64{factKey(keyOrg, 1)})
	case IndividualsOnly:
		add([]int64{factKey(keyOrg, 0)})
	}
	for _, a := range f.Answers {
		add(a.pairs())
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		from, to := daysSince(factKeyEpoch, firstDay.In(London)), daysSince(factKeyEpoch, lastDay.In(London))
		if !f.From.IsZero() {
			from = daysSince(factKeyEpoch, f.From.In(London))
		}
		if !f.To.IsZero() {
			to = daysSince(factKeyEpoch, f.To.In(London))
		}
		if to < from {
			// No day matches: a key no response has.
			add([]int64{factKey(keyDay, -1)})
		} else if to-from < maxFactDays {
			keys = nil
			for d := from; d <= to; d++ {
				keys = append(keys, factKey(keyDay, d))
			}
			add(keys)
		}
	}
	p.AllKeys = all
	slots := []*[]int64{&p.Any1, &p.Any2, &p.Any3, &p.Any4, &p.Any5, &p.Any6}
	for i, s := range slots {
		*s = []int64{}
		if i < len(anys) {
			*s = anys[i]
		}
	}
	p.Lim = factKeyCap + 1
	return p, true
}

// keyed reports whether f has response-level filters beyond groups and
// channels, which response_facts' keys answer.
func (f Filter) keyed() bool {
	return len(f.EventIDs) > 0 || f.Respondent != "" || len(f.Answers) > 0 || !f.From.IsZero() || !f.To.IsZero()
}

// keyedBound is how many answers to q f's response-level filters allow,
// read from the summaries: exact when one summary keeps all of them
// together (answer_days: organisation, days, groups, channels;
// answer_pairs: one closed answer with organisation, groups, channels),
// otherwise the least of the figures that each keep part of them, an
// upper bound. A handful of index reads, so the list knows before
// reading anything whether few answers or many match, and that
// "organisations that said Fully" match none.
func keyedBound(ctx context.Context, qs *db.Queries, c *consultation.Consultation, q *consultation.Question, f Filter) (n int64, exact bool, err error) {
	groups, channels := f.params()
	dated := !f.From.IsZero() || !f.To.IsZero()
	n, exact = math.MaxInt64, len(f.EventIDs) == 0 && len(f.Answers) <= 1 && !(dated && len(f.Answers) == 1)
	if len(f.Answers) == 0 || dated {
		from, to := f.dayRange()
		d, err := qs.KeyedDayCount(ctx, db.KeyedDayCountParams{ConsultationID: c.ID, QuestionID: q.ID, FromDay: from, ToDay: to,
			GroupIds: groups, Channels: channels, Respondent: f.Respondent})
		if err != nil {
			return 0, false, fmt.Errorf("day count: %w", err)
		}
		n = min(n, d)
	}
	for _, a := range f.Answers {
		d, err := qs.KeyedPairCount(ctx, db.KeyedPairCountParams{ConsultationID: c.ID, ByQuestionID: a.Question.ID, ByOptionIds: a.OptionIDs,
			QuestionID: q.ID, GroupIds: groups, Channels: channels, Respondent: f.Respondent})
		if err != nil {
			return 0, false, fmt.Errorf("pair count: %w", err)
		}
		n = min(n, d)
	}
	if len(f.EventIDs) > 0 {
		d, err := qs.EventResponseCount(ctx, f.EventIDs)
		if err != nil {
			return 0, false, fmt.Errorf("event count: %w", err)
		}
		n = min(n, d)
	}
	return n, exact, nil
}

// factKeyEpoch is the day heard_fact_keys numbers response_facts' days
// from (their London dates).
var factKeyEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// factKeyResponses reads the responses matching f's response-level
// filters through response_facts' keys, up to factKeyCap+1; ok is false
// when f has none beyond groups and channels.
func factKeyResponses(ctx context.Context, qs *db.Queries, c *consultation.Consultation, q *consultation.Question, f Filter) (ids []int64, ok bool, err error) {
	var first, last time.Time
	if (f.From.IsZero() || f.To.IsZero()) && (!f.From.IsZero() || !f.To.IsZero()) {
		r, err := qs.FactDayRange(ctx, c.ID)
		if err != nil {
			return nil, false, fmt.Errorf("day range: %w", err)
		}
		first, last = r.FirstDay, r.LastDay
	}
	p, ok := factKeys(q, f, first, last)
	if !ok {
		return nil, false, nil
	}
	if err := qs.FactKeysBitmapOnly(ctx); err != nil {
		return nil, false, fmt.Errorf("fact keys: %w", err)
	}
	ids, err = qs.FactKeyResponses(ctx, p)
	if err != nil {
		return nil, false, fmt.Errorf("fact keys: %w", err)
	}
	if err := qs.FactKeysBitmapDone(ctx); err != nil {
		return nil, false, fmt.Errorf("fact keys: %w", err)
	}
	return ids, true, nil
}
