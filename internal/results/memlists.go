package results

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Answer lists from the copy of response_facts in memory (issue #10
// items 1–2, #11 item 11: every list p95 < 50 ms at a million responses).
//
// In SQL a list whose filters are each broad walks answers in order and
// checks every filter on each, or counts every match: a search with three
// filters took 69 ms for page 50 and 1.3 s longest first, a code given to
// 60,000 answers 174 ms. Here, in the list's one REPEATABLE READ
// snapshot:
//
//   - the response-level filters (groups, channels, events, organisation,
//     closed answers, dates) and "answered this question" are a bitmap per
//     block of the copy (memfacts.go), exact through its stamps;
//   - a code or quote filter is the set of its answers from the coding
//     tables' indexes (few, next to a million), intersected;
//   - "not yet coded" and "no code" start at the question's first uncoded
//     answer (uncoded_from) and take out the codings past it;
//   - list order is a key per response kept beside each block (received
//     time, or an answer's length), and a page is found by merging the
//     blocks' orders, so page 500 costs what page 1 does plus 10,000
//     steps of a heap;
//   - a search is checked on the candidates in list order by primary key
//     (a common word's GIN bitmap holds hundreds of thousands of
//     answers), or, when the candidates are many and the search rare,
//     read whole through the GIN index. What is learnt is kept beside the
//     block (which answers were checked, which matched), so the next page
//     of the same search checks nothing again.
//
// Everything kept beside a block belongs to its signature: a changed
// answer, response or fact stamps the block (000035: answers' triggers
// rewrite the response's facts row), the block is read again and what
// was kept beside it goes with it. The total is then a count of bits,
// exact; only a search not yet checked on every candidate can leave it
// "more than CountCap", as before.

// Probe budgets of one list read, in answers checked by primary key.
const (
	// probeAll: fewer unchecked candidates than this are all checked, so
	// the total is exact.
	probeAll = 4000
	// probeBudget: after this many probes, a rare search is read whole
	// through its GIN index instead (see searchCost).
	probeBudget = 8000
	// firstWindow and maxWindow: candidates are checked in windows of list
	// order, growing from firstWindow.
	firstWindow = 64
	maxWindow   = 4096
	// maxSearches is how many searches each block remembers.
	maxSearches = 16
)

// probeLimits are the probe budgets a list read uses: the constants
// above, or tiny ones in tests (SmallProbes) so that a small consultation
// goes through every way of checking a search.
type probeLimits struct{ all, budget, first, most int }

func (s *Service) probeLimits() probeLimits {
	if s.smallProbes {
		return probeLimits{all: 3, budget: 10, first: 2, most: 8}
	}
	return probeLimits{all: probeAll, budget: probeBudget, first: firstWindow, most: maxWindow}
}

// orderKeys is one block's list order: key[i] for response i of the
// block (received time in microseconds, or minus the length of its
// answer), and the block's responses sorted by key, then id.
type orderKeys struct {
	key   []int64
	order []uint16
}

// searchBits is what is known of one search on a question's answers in
// a block: bit i of checked says response i's answer was checked, of
// match that it matched. Never changed once kept: a read that learns more
// keeps a new one.
type searchBits struct {
	checked, match []uint64
}

// loc is a response of a view: block index and place in the block.
type loc struct{ bi, i int }

// memLists reports whether s reads a list of f from offset from memory:
// deep pages, and every list with a filter the summaries do not keep,
// unless s counts in SQL (tests) or (SQLUntilWarm) c's copy is still
// being read (memwarm.go): the SQL lists are slower at a million
// responses, but they do not wait seconds for the whole copy.
func (s *Service) memLists(c *consultation.Consultation, f Filter, offset int64) bool {
	return !s.sqlFacts && !s.oneByOne && (f.keyed() || f.Text != "" || f.coded() || offset >= memOffset) && s.memReady(c)
}

// memOffset is how deep a page of a list with groups and channels only
// is read from memory: the SQL walks past every answer before it (page
// 500: 10,000 answers, 35-57 ms at a million), the copy's merged order
// steps past them in a heap.
const memOffset = 10 * PageSize

// memList reads one page of q's answers under f, from offset, up to
// limit, in qs's snapshot (REPEATABLE READ). held: the caller holds the
// copy's reader lock (a cold start).
func (s *Service) memList(ctx context.Context, qs *db.Queries, held bool, c *consultation.Consultation, q *consultation.Question, f Filter, sort string, offset int64, limit int) (listed, error) {
	var out listed
	cf := storeFor(s.Pool).consultation(c.ID)
	// Reading a cold copy takes seconds at a million responses: past the
	// list's own statement timeout, like the counts pages' first read.
	if _, err := qs.ListTimeout(ctx, "120s"); err != nil {
		return out, err
	}
	v, err := cf.read(ctx, qs, c.ID, "", nil, held)
	if err != nil {
		return out, err
	}
	shareView(ctx, c.ID, v)

	// The response-level filters and "answered q".
	g := f
	g.Campaigns = "" // lists list every response (as the SQL does)
	m := g.match(v)
	m.answers = append(m.answers, []int64{int64(q.ID) << 32})
	cand := make([][]uint64, len(v.blocks))
	bi := 0
	m.blocks(v, func(_ *factBlock, sel []uint64) {
		cand[bi] = slices.Clone(sel)
		bi++
	})

	// Coding filters.
	if len(f.CodeIDs) > 0 {
		ids, err := qs.CodeAnswers(ctx, db.CodeAnswersParams{CodeIds: f.CodeIDs, QuestionID: q.ID})
		if err != nil {
			return out, fmt.Errorf("coded: %w", err)
		}
		v.and(cand, ids)
	}
	if f.Quote {
		ids, err := qs.CodedResponses(ctx, db.CodedResponsesParams{CodeIds: []int32{}, QuestionID: q.ID, Quote: true, Lim: math.MaxInt32})
		if err != nil {
			return out, fmt.Errorf("quotes: %w", err)
		}
		v.and(cand, ids)
	}
	if f.Coding == Uncoded || f.Coding == NoCode {
		if err := s.leaveCoded(ctx, qs, v, cand, q, f.Coding); err != nil {
			return out, err
		}
	}
	if count(cand) == 0 {
		return out, nil
	}

	keys, err := s.orderKeys(ctx, qs, v, cand, c, q, sort)
	if err != nil {
		return out, err
	}
	// The rest reads a few index entries or probes: the list's own
	// statement timeout again.
	if _, err := qs.ListTimeout(ctx, "5s"); err != nil {
		return out, err
	}
	var page []loc
	if f.Text == "" {
		out.total = int64(count(cand))
		o := newListOrder(v, cand, keys)
		all := o.next(int(offset) + limit)
		if int64(len(all)) > offset {
			page = all[offset:]
		}
	} else {
		sr := newSearch(v, cand, q, f, s.probeLimits())
		if page, err = sr.page(ctx, qs, keys, int(offset), limit); err != nil {
			return out, err
		}
		if out.total, out.capped, err = sr.total(ctx, qs); err != nil {
			return out, err
		}
		sr.keep()
	}
	ids := make([]db.FilteredAnswerKeysRow, len(page))
	for k, l := range page {
		ids[k].ResponseID = v.blocks[l.bi].ids[l.i]
	}
	out.rows, err = answersByID(ctx, qs, listParams(c, q, f), ids)
	return out, err
}

// at is the place of response id in v (ok false: not in it). Blocks are
// usually consecutive and their ids dense, so both places are tried
// directly before searching.
func (v factView) at(id int64) (loc, bool) {
	blk := id >> factBlockShift
	bi := -1
	if len(v.nums) > 0 {
		if k := blk - v.nums[0]; k >= 0 && k < int64(len(v.nums)) && v.nums[k] == blk {
			bi = int(k)
		}
	}
	if bi < 0 {
		k, ok := slices.BinarySearch(v.nums, blk)
		if !ok {
			return loc{}, false
		}
		bi = k
	}
	ids := v.blocks[bi].ids
	if len(ids) > 0 {
		if k := id - ids[0]; k >= 0 && k < int64(len(ids)) && ids[k] == id {
			return loc{bi, int(k)}, true
		}
	}
	i, ok := slices.BinarySearch(ids, id)
	return loc{bi, i}, ok
}

// and keeps in cand only the responses of ids.
func (v factView) and(cand [][]uint64, ids []int64) {
	keep := make([][]uint64, len(cand))
	for _, id := range ids {
		if l, ok := v.at(id); ok {
			if keep[l.bi] == nil {
				keep[l.bi] = make([]uint64, len(cand[l.bi]))
			}
			keep[l.bi][l.i/64] |= 1 << (l.i % 64)
		}
	}
	for bi, sel := range cand {
		for w := range sel {
			if keep[bi] == nil {
				sel[w] = 0
			} else {
				sel[w] &= keep[bi][w]
			}
		}
	}
}

// andNot takes the responses of ids out of cand.
func (v factView) andNot(cand [][]uint64, ids []int64) {
	for _, id := range ids {
		if l, ok := v.at(id); ok {
			cand[l.bi][l.i/64] &^= 1 << (l.i % 64)
		}
	}
}

func count(cand [][]uint64) int {
	n := 0
	for _, sel := range cand {
		for _, w := range sel {
			n += bits.OnesCount64(w)
		}
	}
	return n
}

// leaveCoded takes out of cand the answers a "not yet coded" or "no
// code" list leaves out: all before the question's first uncoded answer
// (uncoded_from, 000027), and the codings past it.
func (s *Service) leaveCoded(ctx context.Context, qs *db.Queries, v factView, cand [][]uint64, q *consultation.Question, kind string) error {
	u, err := qs.UncodedFrom(ctx, db.UncodedFromParams{QuestionID: q.ID, Kind: kind})
	switch {
	case err == nil && u.NoneLeft:
		for _, sel := range cand {
			clear(sel)
		}
		return nil
	case err == nil:
		for bi, b := range v.blocks {
			for i, id := range b.ids {
				if id >= u.ResponseID {
					break
				}
				cand[bi][i/64] &^= 1 << (i % 64)
			}
		}
	case !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("uncoded from: %w", err)
	}
	var ids []int64
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for bi, sel := range cand {
		for w, word := range sel {
			for ; word != 0; word &= word - 1 {
				id := v.blocks[bi].ids[w*64+bits.TrailingZeros64(word)]
				lo, hi = min(lo, id), max(hi, id)
				if len(ids) <= probeAll {
					ids = append(ids, id)
				}
			}
		}
	}
	if lo > hi {
		return nil
	}
	var coded []int64
	if len(ids) <= probeAll {
		coded, err = qs.CodedAnswersAmong(ctx, db.CodedAnswersAmongParams{QuestionID: &q.ID, ResponseIds: ids, Kind: kind})
	} else {
		coded, err = qs.CodedAnswersIn(ctx, db.CodedAnswersInParams{QuestionID: &q.ID, Lo: lo, Hi: hi, Kind: kind})
	}
	if err != nil {
		return fmt.Errorf("coded answers: %w", err)
	}
	v.andNot(cand, coded)
	return nil
}

// orderKeys are the list order keys of every block with candidates,
// read for the blocks that have none kept yet.
func (s *Service) orderKeys(ctx context.Context, qs *db.Queries, v factView, cand [][]uint64, c *consultation.Consultation, q *consultation.Question, sort string) ([]*orderKeys, error) {
	kind := int32(0)
	if sort == SortLength {
		kind = q.ID
	}
	keys := make([]*orderKeys, len(v.blocks))
	var missing []int64
	for bi, b := range v.blocks {
		if count(cand[bi:bi+1]) == 0 {
			continue
		}
		b.extra.Lock()
		keys[bi] = b.keys[kind]
		b.extra.Unlock()
		if keys[bi] == nil {
			missing = append(missing, v.nums[bi])
		}
	}
	if len(missing) == 0 {
		return keys, nil
	}
	read := map[int][]int64{} // block index → keys by place
	set := func(id, key int64) {
		if l, ok := v.at(id); ok {
			k := read[l.bi]
			if k == nil {
				k = make([]int64, len(v.blocks[l.bi].ids))
				read[l.bi] = k
			}
			k[l.i] = key
		}
	}
	if kind == 0 {
		rows, err := qs.BlockReceived(ctx, db.BlockReceivedParams{Blocks: missing, ConsultationID: c.ID})
		if err != nil {
			return nil, fmt.Errorf("received: %w", err)
		}
		for _, r := range rows {
			set(r.ID, r.ReceivedAt.UnixMicro())
		}
	} else {
		rows, err := qs.BlockLengths(ctx, db.BlockLengthsParams{Blocks: missing, QuestionID: q.ID})
		if err != nil {
			return nil, fmt.Errorf("lengths: %w", err)
		}
		for _, r := range rows {
			set(r.ResponseID, -int64(r.Length))
		}
	}
	for _, blk := range missing {
		bi, _ := slices.BinarySearch(v.nums, blk)
		b := v.blocks[bi]
		k := read[bi]
		if k == nil {
			k = make([]int64, len(b.ids))
		}
		ok := &orderKeys{key: k, order: make([]uint16, len(b.ids))}
		for i := range ok.order {
			ok.order[i] = uint16(i)
		}
		// Ids ascend within a block: a stable sort by key leaves ties in
		// id order.
		slices.SortStableFunc(ok.order, func(a, b uint16) int { return cmp.Compare(k[a], k[b]) })
		b.extra.Lock()
		if b.keys == nil {
			b.keys = map[int32]*orderKeys{}
		}
		b.keys[kind] = ok
		b.extra.Unlock()
		keys[bi] = ok
	}
	return keys, nil
}

// listOrder walks the candidates of a view in list order: a heap of one
// cursor per block, each at its block's next candidate.
type listOrder struct {
	v    factView
	cand [][]uint64
	keys []*orderKeys
	h    []cursor
}

// cursor is a block's place in its order (keys.order index).
type cursor struct{ bi, at int }

func newListOrder(v factView, cand [][]uint64, keys []*orderKeys) *listOrder {
	o := &listOrder{v: v, cand: cand, keys: keys}
	for bi := range v.blocks {
		if keys[bi] == nil {
			continue
		}
		c := cursor{bi: bi}
		if o.advance(&c) {
			o.h = append(o.h, c)
		}
	}
	heap.Init(o)
	return o
}

// advance moves c to its block's next candidate, from c.at; false past
// the end.
func (o *listOrder) advance(c *cursor) bool {
	k, sel := o.keys[c.bi], o.cand[c.bi]
	for ; c.at < len(k.order); c.at++ {
		i := k.order[c.at]
		if sel[i/64]&(1<<(i%64)) != 0 {
			return true
		}
	}
	return false
}

// next returns up to n more candidates in list order.
func (o *listOrder) next(n int) []loc {
	var out []loc
	for len(out) < n && len(o.h) > 0 {
		c := &o.h[0]
		out = append(out, loc{c.bi, int(o.keys[c.bi].order[c.at])})
		c.at++
		if o.advance(c) {
			heap.Fix(o, 0)
		} else {
			heap.Pop(o)
		}
	}
	return out
}

func (o *listOrder) Len() int { return len(o.h) }
func (o *listOrder) Less(a, b int) bool {
	ca, cb := o.h[a], o.h[b]
	ia, ib := o.keys[ca.bi].order[ca.at], o.keys[cb.bi].order[cb.at]
	ka, kb := o.keys[ca.bi].key[ia], o.keys[cb.bi].key[ib]
	if ka != kb {
		return ka < kb
	}
	return o.v.blocks[ca.bi].ids[ia] < o.v.blocks[cb.bi].ids[ib]
}
func (o *listOrder) Swap(a, b int) { o.h[a], o.h[b] = o.h[b], o.h[a] }
func (o *listOrder) Push(x any)    { o.h = append(o.h, x.(cursor)) }
func (o *listOrder) Pop() any {
	x := o.h[len(o.h)-1]
	o.h = o.h[:len(o.h)-1]
	return x
}

// search is one list's search over its candidates: what the blocks knew
// of it, and what this read learns.
type search struct {
	v      factView
	cand   [][]uint64
	q      *consultation.Question
	key    string
	p      db.SearchAmongParams
	bits   []*searchBits // per block; nil: nothing known
	own    []bool        // bits[bi] is this read's (may be changed)
	probed int           // answers checked by primary key in this read
	whole  bool          // the search was read whole
	lim    probeLimits
}

func newSearch(v factView, cand [][]uint64, q *consultation.Question, f Filter, lim probeLimits) *search {
	// The limits are part of the key so a test's tiny budgets
	// (SmallProbes) learn everything themselves.
	sr := &search{v: v, cand: cand, q: q, key: strconv.Itoa(int(q.ID)) + "\x00" + strconv.Itoa(lim.all) + "\x00" + f.Text, lim: lim,
		bits: make([]*searchBits, len(v.blocks)), own: make([]bool, len(v.blocks))}
	sr.p.QuestionID, sr.p.Search = q.ID, f.Text
	sr.p.Words, sr.p.Variants = spellingVariants(f.Text)
	sr.p.Words, sr.p.Variants = nonNil(sr.p.Words), nonNil(sr.p.Variants)
	for bi, b := range v.blocks {
		b.extra.Lock()
		sr.bits[bi] = b.found[sr.key]
		b.extra.Unlock()
	}
	return sr
}

// known says whether l was checked and whether it matched.
func (sr *search) known(l loc) (checked, match bool) {
	sb := sr.bits[l.bi]
	if sb == nil {
		return false, false
	}
	w, bit := l.i/64, uint64(1)<<(l.i%64)
	return sb.checked[w]&bit != 0, sb.match[w]&bit != 0
}

// mine is block bi's bits, this read's own copy.
func (sr *search) mine(bi int) *searchBits {
	if !sr.own[bi] {
		words := len(sr.cand[bi])
		sb := &searchBits{checked: make([]uint64, words), match: make([]uint64, words)}
		if old := sr.bits[bi]; old != nil {
			copy(sb.checked, old.checked)
			copy(sb.match, old.match)
		}
		sr.bits[bi], sr.own[bi] = sb, true
	}
	return sr.bits[bi]
}

// probe checks the search on the answers at locs by primary key.
func (sr *search) probe(ctx context.Context, qs *db.Queries, locs []loc) error {
	if len(locs) == 0 {
		return nil
	}
	ids := make([]int64, len(locs))
	for k, l := range locs {
		ids[k] = sr.v.blocks[l.bi].ids[l.i]
	}
	p := sr.p
	p.ResponseIds = ids
	if err := qs.SearchProbes(ctx); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	found, err := qs.SearchAmong(ctx, p)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if err := qs.SearchProbesDone(ctx); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	for _, l := range locs {
		sr.mine(l.bi).checked[l.i/64] |= 1 << (l.i % 64)
	}
	for _, id := range found {
		if l, ok := sr.v.at(id); ok {
			sr.mine(l.bi).match[l.i/64] |= 1 << (l.i % 64)
		}
	}
	sr.probed += len(locs)
	return nil
}

// readWhole reads every answer of the question matching the search
// through the GIN index: every answer of every block is then checked.
func (sr *search) readWhole(ctx context.Context, qs *db.Queries) error {
	found, err := qs.SearchMatches(ctx, db.SearchMatchesParams{QuestionID: sr.p.QuestionID, Search: sr.p.Search, Words: sr.p.Words, Variants: sr.p.Variants})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	for bi := range sr.v.blocks {
		sb := sr.mine(bi)
		for w := range sb.checked {
			sb.checked[w] = ^uint64(0)
		}
	}
	for _, id := range found {
		if l, ok := sr.v.at(id); ok {
			sr.bits[l.bi].match[l.i/64] |= 1 << (l.i % 64)
		}
	}
	sr.whole = true
	return nil
}

// tally counts the candidates: checked and matching, checked, not
// checked.
func (sr *search) tally() (matched, checked, unchecked int) {
	for bi, sel := range sr.cand {
		sb := sr.bits[bi]
		for w, word := range sel {
			if sb == nil {
				unchecked += bits.OnesCount64(word)
				continue
			}
			checked += bits.OnesCount64(word & sb.checked[w])
			matched += bits.OnesCount64(word & sb.checked[w] & sb.match[w])
			unchecked += bits.OnesCount64(word &^ sb.checked[w])
		}
	}
	return matched, checked, unchecked
}

// readWholeCheaper reports whether reading the search whole (about one
// heap row per match of the whole question) is cheaper than probing the
// candidates still needed to find need more matches (one probe each), at
// the share of matches seen so far.
func (sr *search) readWholeCheaper(need int) bool {
	matched, checked, _ := sr.tally()
	share := (float64(matched) + 1) / (float64(checked) + 2)
	answered := 0
	code := -1
	for c, x := range sr.v.pairs {
		if x == int64(sr.q.ID)<<32 {
			code = c
		}
	}
	if code >= 0 {
		for _, b := range sr.v.blocks {
			for _, w := range b.post[uint16(code)] {
				answered += bits.OnesCount64(w)
			}
		}
	}
	return share*float64(answered) < float64(need)/share
}

// page finds the matches from offset (up to limit) in list order,
// checking candidates window by window. The walk skips the candidates
// already known not to match (all of them for a rare search read whole).
func (sr *search) page(ctx context.Context, qs *db.Queries, keys []*orderKeys, offset, limit int) ([]loc, error) {
	walk := make([][]uint64, len(sr.cand))
	for bi, sel := range sr.cand {
		walk[bi] = slices.Clone(sel)
		if sb := sr.bits[bi]; sb != nil {
			for w := range walk[bi] {
				walk[bi][w] &^= sb.checked[w] &^ sb.match[w]
			}
		}
	}
	o := newListOrder(sr.v, walk, keys)
	var out []loc
	found := 0
	window := sr.lim.first
	for found < offset+limit {
		chunk := o.next(window)
		if len(chunk) == 0 {
			break
		}
		var unchecked []loc
		for _, l := range chunk {
			if c, _ := sr.known(l); !c {
				unchecked = append(unchecked, l)
			}
		}
		if len(unchecked) > 0 && !sr.whole && sr.probed+len(unchecked) > sr.lim.budget && sr.readWholeCheaper(offset+limit-found) {
			if err := sr.readWhole(ctx, qs); err != nil {
				return nil, err
			}
			unchecked = nil
		}
		if err := sr.probe(ctx, qs, unchecked); err != nil {
			return nil, err
		}
		for _, l := range chunk {
			if _, match := sr.known(l); match {
				if found >= offset && len(out) < limit {
					out = append(out, l)
				}
				found++
			}
		}
		window = min(window*2, sr.lim.most)
	}
	return out, nil
}

// total is the number of candidates that match: exact, or past CountCap
// (capped) when the search was checked on enough of them to know that
// and no more.
func (sr *search) total(ctx context.Context, qs *db.Queries) (int64, bool, error) {
	for {
		matched, _, unchecked := sr.tally()
		switch {
		case unchecked == 0:
			return int64(matched), false, nil
		case matched > CountCap:
			return CountCap, true, nil
		case unchecked <= sr.lim.all:
			// Few left: check them all for an exact total.
			if err := sr.probe(ctx, qs, sr.unchecked(unchecked)); err != nil {
				return 0, false, err
			}
		case sr.readWholeCheaper(CountCap + 1 - matched):
			if err := sr.readWhole(ctx, qs); err != nil {
				return 0, false, err
			}
		default:
			if err := sr.probe(ctx, qs, sr.unchecked(min(unchecked, sr.lim.most))); err != nil {
				return 0, false, err
			}
		}
	}
}

// unchecked is up to n candidates not yet checked, in block order.
func (sr *search) unchecked(n int) []loc {
	var out []loc
	for bi, sel := range sr.cand {
		sb := sr.bits[bi]
		for w, word := range sel {
			if sb != nil {
				word &^= sb.checked[w]
			}
			for ; word != 0 && len(out) < n; word &= word - 1 {
				out = append(out, loc{bi, w*64 + bits.TrailingZeros64(word)})
			}
		}
	}
	return out
}

// keep leaves what this read learnt beside the blocks for the next read
// of the same search.
func (sr *search) keep() {
	for bi, b := range sr.v.blocks {
		if !sr.own[bi] {
			continue
		}
		b.extra.Lock()
		if b.found == nil || len(b.found) >= maxSearches && b.found[sr.key] == nil {
			b.found = map[string]*searchBits{}
		}
		b.found[sr.key] = sr.bits[bi]
		b.extra.Unlock()
	}
}
