package results

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Sort orders of the answer lists, as they appear in URLs.
const (
	SortReceived = "received" // oldest first
	SortLength   = "length"   // longest first
)

// PageSize is how many answers a list page shows.
const PageSize = 20

// CountCap is how far a list counts matches it cannot count from the
// summary tables. Past it the page says "more than 1,000": an exact
// count of an arbitrary filter at a million responses would read every
// matching answer, and nobody pages through a thousand answers without
// narrowing the filter first.
const CountCap = 1000

// summarisedKeyCap is how many matches a group and channel filter may
// have and still be read as keys and sorted here: such a filter is an
// index range (answers_text_group_idx), cheap to read whole, while
// walking in received order past a small group × channel (0.6% of a
// million answers) probes thousands of responses per page.
const summarisedKeyCap = 20000

// drivingIDCap is how many answers with a code (or a quote flag) are
// read first to drive the list; a code given to more is looked up answer
// by answer as before.
const drivingIDCap = 5000

// MaxPage is the deepest page a list shows. Reaching page N walks past
// the (N-1)×20 answers before it; at a million answers the last page
// took 43 s. Past page 500 (10,000 answers) an analyst narrows the list.
const MaxPage = 500

// ErrPageTooDeep is a page past MaxPage.
var ErrPageTooDeep = errors.New("results: page too deep")

// ErrTooSlow is a list that took longer than the statement timeout.
var ErrTooSlow = errors.New("results: list took too long")

// ErrPageOutOfRange is a page number past the end of the list.
var ErrPageOutOfRange = errors.New("results: page out of range")

// ListedAnswer is one answer in a list.
type ListedAnswer struct {
	OpenAnswer
	Received time.Time
	// Highlighted is the answer split at search matches (nil without a
	// search: show Text).
	Highlighted []Fragment
	Quote       bool // flagged as worth quoting
}

// AnswerList is one page of a question's answers under a filter.
type AnswerList struct {
	Answers []ListedAnswer
	// Total matches: exact, unless Capped (then "more than CountCap").
	Total  int64
	Capped bool
	// Page numbers from 1; HasNext when a further page exists.
	Page    int
	HasNext bool
	// After is the key of the page's last answer when the list was walked
	// in order: a link to the next page carries it, so that page starts
	// there instead of walking past every answer before it ("" otherwise).
	After string
}

// ListAnswers returns page (from 1) of q's open answers under f, in
// order sort (SortReceived or SortLength).
//
// Up to CountCap matches, the matches' keys are read in one query,
// sorted and paged here, and the page read by id; past it, the list
// query walks answers in order (see reading.sql for why). The total
// comes from the summary tables when only groups and channels filter.
func (s *Service) ListAnswers(ctx context.Context, c *consultation.Consultation, q *consultation.Question, f Filter, sort string, page int) (AnswerList, error) {
	return s.ListAnswersAfter(ctx, c, q, f, sort, page, "")
}

// ListAnswersAfter is ListAnswers for a page reached from the one before
// it: after is that page's AnswerList.After. A key that does not parse is
// ignored (the page is then found by counting).
func (s *Service) ListAnswersAfter(ctx context.Context, c *consultation.Consultation, q *consultation.Question, f Filter, sort string, page int, after string) (AnswerList, error) {
	if page < 1 {
		return AnswerList{}, ErrPageOutOfRange
	}
	if page > MaxPage {
		return AnswerList{}, ErrPageTooDeep
	}
	out := AnswerList{Page: page}
	from, unlock := s.listFacts(c, f, int64(page-1)*PageSize)
	defer unlock()
	err := s.listTx(ctx, func(qs *db.Queries) error {
		l, err := s.readList(ctx, qs, from, c, q, f, sort, int64(page-1)*PageSize, PageSize+1, after)
		if err != nil {
			return err
		}
		out.Total, out.Capped = l.total, l.capped
		if page > 1 && int64(page-1)*PageSize >= out.Total && !out.Capped {
			return ErrPageOutOfRange
		}
		rows := l.rows
		if len(rows) > PageSize {
			rows, out.HasNext = rows[:PageSize], page < MaxPage
			if l.walked {
				out.After = listKey(sort, rows[len(rows)-1])
			}
		}
		for _, r := range rows {
			a := ListedAnswer{
				OpenAnswer: OpenAnswer{ResponseID: r.ResponseID, Text: r.Text, Channel: string(r.Channel), Consent: r.PublicationConsent},
				Received:   r.ReceivedAt, Quote: r.QuoteWorthy,
			}
			if r.RespondentGroupID != nil {
				a.GroupID = *r.RespondentGroupID
			}
			if r.OnBehalfOfOrg {
				a.Organisation = r.Organisation
			}
			if f.Text != "" {
				a.Highlighted = fragments(r.Headline)
			}
			out.Answers = append(out.Answers, a)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrPageOutOfRange) {
			return AnswerList{}, err
		}
		return AnswerList{}, fmt.Errorf("results: answers to %s: %w", q.Code, err)
	}
	return out, nil
}

// listTx runs fn in a read transaction planned per filter combination:
// with custom plans, the switched-off filters fold away (reading.sql).
// Two more settings, for these queries only: index probes priced as the
// cached reads they are (the default 4 made the planner seq-scan a
// million responses to save 30,000 probes), and no parallel workers (a
// parallel index scan cannot use "option_id = ANY(...)" as an index
// condition, and workers overproduce under LIMIT).
//
// The transaction is REPEATABLE READ: a list read from the copy in
// memory (memlists.go) reads the copy's stamps and everything else in
// one snapshot, so its page and its total agree.
func (s *Service) listTx(ctx context.Context, fn func(*db.Queries) error) error {
	return readOnlyTx(ctx, s.Pool, func(tx pgx.Tx, qs *db.Queries) error {
		// Nested loops only: every list query reads under a LIMIT, so it
		// should stream from one index and probe the rest, stopping at
		// the limit. The planner's guesses at combined filters
		// (correlated closed answers, a search's share) are far off, and
		// a hash or merge join on one of them read a whole side first:
		// 200,000 answers to Q1a for twenty rows.
		if err := db.WalkIndexes(ctx, tx); err != nil {
			return err
		}
		for _, set := range []string{
			"SET LOCAL plan_cache_mode = force_custom_plan",
			"SET LOCAL random_page_cost = 1.1",
			"SET LOCAL enable_material = off",
			// A list that cannot be read in 5 s fails rather than
			// holding a connection others need (issue #10).
			"SET LOCAL statement_timeout = '5s'",
		} {
			if _, err := tx.Exec(ctx, set); err != nil {
				return err
			}
		}
		err := fn(qs)
		if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == pgerrcode.QueryCanceled {
			return fmt.Errorf("%w: %w", ErrTooSlow, err)
		}
		return err
	})
}

// listed is what readList found: up to limit rows from offset, the total
// and whether it is capped.
type listed struct {
	rows   []db.AnswersByIDRow
	total  int64
	capped bool
	walked bool // read in list order by the query (walk)
}

// listSource is where one list reads from, decided once (listFacts):
// the copy in memory (mem) or SQL, and whether the caller holds the
// copy's reader lock (held: the copy is cold, see factsOf).
type listSource struct{ mem, held bool }

// listFacts decides whether a list of f from offset reads the copy in
// memory (memLists) and, when it does and the copy is cold, takes the
// copy's reader lock.
func (s *Service) listFacts(c *consultation.Consultation, f Filter, offset int64) (from listSource, unlock func()) {
	if !s.memLists(c, f, offset) {
		return listSource{}, func() {}
	}
	_, held, unlock := s.factsOf(c)
	return listSource{mem: true, held: held}, unlock
}

// readOnlyTx runs fn in a REPEATABLE READ, READ ONLY transaction.
func readOnlyTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx, *db.Queries) error) error {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit
	if err := fn(tx, db.New(tx)); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// readList reads a page of q's answers under f: from the copy in memory
// when listFacts decided so (memlists.go), otherwise in SQL.
func (s *Service) readList(ctx context.Context, qs *db.Queries, from listSource, c *consultation.Consultation, q *consultation.Question, f Filter, sort string, offset int64, limit int, after string) (listed, error) {
	var out listed
	p := listParams(c, q, f)
	if sort != SortLength {
		sort = SortReceived
	}
	p.AfterAt, p.AfterLength, p.AfterID = parseListKey(sort, after)
	if f.Coding == Uncoded || f.Coding == NoCode {
		// Every answer received before the question's first uncoded one
		// is coded, and so is every answer of a smaller response id than
		// the first uncoded in that order (the same for "no code"): start
		// there rather than walk past them, whichever order the plan
		// reads in (000027).
		u, err := qs.UncodedFrom(ctx, db.UncodedFromParams{QuestionID: q.ID, Kind: f.Coding})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return out, fmt.Errorf("uncoded from: %w", err)
		case u.NoneLeft:
			return out, nil
		default:
			p.MinResponseID = u.ResponseID
			if p.ReceivedFrom == nil || p.ReceivedFrom.Before(u.ReceivedAt) {
				p.ReceivedFrom = &u.ReceivedAt
			}
		}
	}
	// The summaries say at once how many answers the response-level
	// filters allow (keyedBound): none means an empty list, whatever
	// the code or search filters would cost to read.
	var bound int64
	var exact bool
	if f.keyed() {
		var err error
		if bound, exact, err = keyedBound(ctx, qs, c, q, f); err != nil {
			return out, err
		}
		if bound == 0 {
			return out, nil
		}
	}
	if from.mem {
		return s.memList(ctx, qs, from.held, c, q, f, sort, offset, limit)
	}
	if len(f.CodeIDs) > 0 || f.Quote {
		// Few answers have a given code or a quote flag: read them first
		// and probe only those (at a million answers, a hashed subplan
		// over every answer took 150 ms to find none). With both filters
		// the list still checks the quote flag itself.
		ids, err := qs.CodedResponses(ctx, db.CodedResponsesParams{CodeIds: nonNil(f.CodeIDs), QuestionID: q.ID, Quote: f.Quote, Lim: drivingIDCap + 1})
		if err != nil {
			return out, fmt.Errorf("coded: %w", err)
		}
		if len(ids) == 0 {
			return out, nil
		}
		if len(ids) <= drivingIDCap {
			p.OnlyIds = ids
		}
	}
	// Response-level filters beyond groups and channels (organisation,
	// event, closed answers, dates) are one GIN intersection on
	// response_facts' keys (000034): a few matching responses are probed
	// answer by answer however broad each filter is alone; many mean the
	// list is walked in order, where matches come early.
	keyed := false
	if f.keyed() {
		n := bound
		big := n > factKeyCap
		if !big || !exact {
			ids, _, err := factKeyResponses(ctx, qs, c, q, f)
			if err != nil {
				return out, err
			}
			if big = len(ids) > factKeyCap; !big {
				if len(p.OnlyIds) > 0 {
					ids = intersect(ids, p.OnlyIds)
				}
				if len(ids) == 0 {
					return out, nil
				}
				p.OnlyIds, keyed = ids, true
			}
		}
		if big && f.Text == "" && !f.coded() {
			// Many answers match and nothing narrows them further: the
			// total is the summaries' when exact, past the cap otherwise,
			// without counting.
			if exact {
				out.total = n
			} else {
				out.total, out.capped = CountCap, true
			}
			return walk(ctx, qs, p, sort, offset, limit, out)
		}
	}
	if f.Summarised() {
		groups, channels := f.params()
		n, err := qs.TextAnswerCount(ctx, db.TextAnswerCountParams{ConsultationID: c.ID, QuestionID: q.ID, GroupIds: groups, Channels: channels})
		if err != nil {
			return out, fmt.Errorf("count: %w", err)
		}
		out.total = n
		if n > summarisedKeyCap {
			return walk(ctx, qs, p, sort, offset, limit, out)
		}
	}
	p.Lim = CountCap + 1
	switch {
	case f.Summarised():
		p.Lim = summarisedKeyCap + 1
	case keyed:
		p.Lim = factKeyCap + 1 // all of them: sorted here, counted exactly
	}
	count := p
	count.AfterID = 0 // counting and sorting here read every match
	keys, err := qs.FilteredAnswerKeys(ctx, count)
	if err != nil {
		return out, fmt.Errorf("keys: %w", err)
	}
	if len(keys) > CountCap && !f.Summarised() && !keyed {
		out.total, out.capped = CountCap, true
		return walk(ctx, qs, p, sort, offset, limit, out)
	}
	out.total = int64(len(keys))
	slices.SortFunc(keys, func(a, b db.FilteredAnswerKeysRow) int {
		if sort == SortLength && a.Length != b.Length {
			return cmp.Compare(b.Length, a.Length)
		}
		if sort == SortReceived && !a.ReceivedAt.Equal(b.ReceivedAt) {
			return a.ReceivedAt.Compare(b.ReceivedAt)
		}
		return cmp.Compare(a.ResponseID, b.ResponseID)
	})
	if offset >= int64(len(keys)) {
		return out, nil
	}
	out.rows, err = answersByID(ctx, qs, p, keys[offset:min(offset+int64(limit), int64(len(keys)))])
	return out, err
}

// walk reads a page of a long list in order: the keys in list order,
// then their rows.
func walk(ctx context.Context, qs *db.Queries, p db.FilteredAnswerKeysParams, sort string, offset int64, limit int, out listed) (listed, error) {
	p.Sort, p.Skip, p.Lim = sort, int32(offset), int32(limit)
	if p.AfterID != 0 {
		p.Skip = 0
	}
	out.walked = true
	if err := qs.WalkInOrder(ctx); err != nil {
		return out, fmt.Errorf("list: %w", err)
	}
	keys, err := qs.FilteredAnswerKeys(ctx, p)
	if err != nil {
		return out, fmt.Errorf("list: %w", err)
	}
	out.rows, err = answersByID(ctx, qs, p, keys)
	return out, err
}

// answersByID reads the answers of keys, in the keys' order.
func answersByID(ctx context.Context, qs *db.Queries, p db.FilteredAnswerKeysParams, keys []db.FilteredAnswerKeysRow) ([]db.AnswersByIDRow, error) {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ResponseID
	}
	rows, err := qs.AnswersByID(ctx, db.AnswersByIDParams{
		Search: p.Search, Words: p.Words, Variants: p.Variants, QuestionID: p.QuestionID, ResponseIds: ids, ConsultationID: p.ConsultationID,
	})
	if err != nil {
		return nil, fmt.Errorf("page: %w", err)
	}
	byID := map[int64]db.AnswersByIDRow{}
	for _, r := range rows {
		byID[r.ResponseID] = r
	}
	out := make([]db.AnswersByIDRow, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// listParams turns f into the list query's parameters: empty arrays and
// zero values for the filters not set.
func listParams(c *consultation.Consultation, q *consultation.Question, f Filter) db.FilteredAnswerKeysParams {
	groups, _ := f.params()
	p := db.FilteredAnswerKeysParams{
		ConsultationID: c.ID, QuestionID: q.ID,
		FilterGroups: len(f.GroupIDs) > 0, GroupIds: groups,
		FilterChannels: len(f.Channels) > 0, Webform: slices.Contains(f.Channels, "webform"), Email: slices.Contains(f.Channels, "email"),
		Letter: slices.Contains(f.Channels, "letter"), Event: slices.Contains(f.Channels, "event"),
		EventIds: nonNil(f.EventIDs), Respondent: f.Respondent,
		Search: f.Text, CodeIds: nonNil(f.CodeIDs), Coding: f.Coding, Quote: f.Quote,
		Answer1Options: []int32{}, Answer2Options: []int32{}, Answer3Options: []int32{},
		AnswerQuestionIds: []int32{}, AnswerPairs: []int64{}, OnlyIds: []int64{},
	}
	for _, g := range f.GroupIDs {
		if g == 0 {
			p.UnknownGroup = true
		}
	}
	p.Words, p.Variants = spellingVariants(f.Text)
	if !f.From.IsZero() {
		p.ReceivedFrom = &f.From
	}
	if b := f.Before(); !b.IsZero() {
		p.ReceivedBefore = &b
	}
	for i, a := range f.Answers {
		switch i {
		case 0:
			p.Answer1Question, p.Answer1Options = a.Question.ID, a.OptionIDs
		case 1:
			p.Answer2Question, p.Answer2Options = a.Question.ID, a.OptionIDs
		case 2:
			p.Answer3Question, p.Answer3Options = a.Question.ID, a.OptionIDs
		default:
			p.AnswerQuestionIds = append(p.AnswerQuestionIds, a.Question.ID)
			for _, o := range a.OptionIDs {
				p.AnswerPairs = append(p.AnswerPairs, int64(a.Question.ID)<<32+int64(o))
			}
		}
	}
	return p
}

// intersect is the ids in both a and b, in a's order.
func intersect(a, b []int64) []int64 {
	in := make(map[int64]bool, len(b))
	for _, id := range b {
		in[id] = true
	}
	var out []int64
	for _, id := range a {
		if in[id] {
			out = append(out, id)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Code is a code a list can be filtered by.
type Code struct {
	ID         int32
	Code, Name string
}

// FrameCodes returns the codes in use in the codeframe of a question
// (themeID 0) or of a theme (questionID 0).
func (s *Service) FrameCodes(ctx context.Context, questionID, themeID int32) ([]Code, error) {
	rows, err := db.New(s.Pool).FrameCodes(ctx, db.FrameCodesParams{QuestionID: &questionID, ThemeID: &themeID})
	if err != nil {
		return nil, fmt.Errorf("results: codes: %w", err)
	}
	out := make([]Code, len(rows))
	for i, r := range rows {
		out[i] = Code{ID: r.ID, Code: r.Code, Name: r.Name}
	}
	return out, nil
}

// listKey is a row's place in list order: "unix nanoseconds received.id"
// or "length.id" for longest first.
func listKey(sort string, r db.AnswersByIDRow) string {
	if sort == SortLength {
		return fmt.Sprintf("%d.%d", utf8Len(r.Text), r.ResponseID)
	}
	return fmt.Sprintf("%d.%d", r.ReceivedAt.UnixNano(), r.ResponseID)
}

// parseListKey reads listKey's key for sort; zeros when there is none.
func parseListKey(sort, key string) (at time.Time, length int32, id int64) {
	a, b, ok := strings.Cut(key, ".")
	if !ok {
		return time.Time{}, 0, 0
	}
	n, err1 := strconv.ParseInt(a, 10, 64)
	i, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || i <= 0 || n < 0 || (sort == SortLength && n > math.MaxInt32) {
		return time.Time{}, 0, 0
	}
	if sort == SortLength {
		return time.Time{}, int32(n), i
	}
	return time.Unix(0, n).UTC(), 0, i
}

// utf8Len is PostgreSQL's length(text): characters, not bytes.
func utf8Len(s string) int { return utf8.RuneCountInString(s) }
