package results

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/ingest"
)

// Counting the filters no summary keeps (two or more answers, an answer
// with events, the compare page under an answer filter…) in memory.
//
// In SQL each matching response costs a scattered response_facts row and
// an unnest of its answers: 0.5–11 s a page at 1M responses. Here the
// process holds response_facts in memory, by block of 4,096 response ids,
// and counts the matching responses of each block in Go, finding them
// through a bitmap per answer. The copy stays exact through
// fact_versions (migrations/000035): every statement that changes
// response_facts stamps the blocks it touched in the same transaction,
// and before counting, in one REPEATABLE READ snapshot, the stamps are
// read and every block whose stamps differ from its copy's is read again.
// So the figures are those of one committed state, exactly as the SQL
// would have counted them (results.OneByOne checks it in the tests).
// Merged repeats and withdrawn responses have no response_facts row, so
// they count nowhere here either.
//
// Memory: about 70 bytes per counted response and its answers (70 MB for
// a consultation of a million), read once per process on the first
// filtered page (seconds at 1M), then only blocks that changed.

// factBlockShift is the block of a response id (fact_versions.block).
const factBlockShift = 12

// factStores holds one store per pool, shared by every Service on it.
var factStores sync.Map // *pgxpool.Pool → *factStore

type factStore struct {
	mu    sync.Mutex
	byCon map[int64]*conFacts
	swept time.Time // when forgetGone last looked
}

func storeFor(p *pgxpool.Pool) *factStore {
	s, _ := factStores.LoadOrStore(p, &factStore{byCon: map[int64]*conFacts{}})
	return s.(*factStore)
}

// conFacts is one consultation's copy. Its dictionaries only grow, so a
// code read once means the same answer (or group) for good.
type conFacts struct {
	reading  sync.Mutex // held while reading blocks from the database
	mu       sync.Mutex
	blocks   map[int64]*factBlock
	pairCode map[int64]uint16 // question_id<<32 + option_id → code
	pairs    []int64          // code → question_id<<32 + option_id
	grpCode  map[int32]uint16
	groups   []int32 // code → group id (0: not known)
	// warm: the whole copy has been read once (memwarm.go); warming: a
	// background read of it is under way.
	warm, warming bool
}

// factBlock is one block as of one signature; never changed once built.
type factBlock struct {
	sig     string
	ids     []int64
	group   []uint16 // conFacts.groups code
	channel []uint8  // index in ingest.Channels
	org     []bool
	event   []int64 // 0: none
	day     []int32 // days since 1970-01-01
	minDay  int32   // the earliest and latest of day
	maxDay  int32
	off     []int32 // answers of response i: codes[off[i]:off[i+1]]
	codes   []uint16
	// post[code] is a bitmap of the responses that gave that answer
	// (bit i: response i of the block): closed answers for filters, open
	// ones ("answered Q1b") for the answer lists (memlists.go).
	post map[uint16][]uint64
	// orgs and byChannel are bitmaps of the responses on behalf of an
	// organisation and of those by each channel (ingest.Channels' order).
	orgs      []uint64
	byChannel [][]uint64
	byGroup   map[uint16][]uint64 // by conFacts.groups code

	// What the answer lists derive from the block as of its signature
	// (memlists.go), filled on first use and dropped with the block: the
	// same signature means the same rows, so these stay exact too.
	extra sync.Mutex
	keys  map[int32]*orderKeys   // 0: received order; a question: longest first
	found map[string]*searchBits // a question's answers under one search
}

// factView is what one count reads: the blocks as of its snapshot and
// the dictionaries as long as they were then.
type factView struct {
	blocks  []*factBlock
	nums    []int64 // block numbers (response_id >> 12) of blocks, ascending
	pairs   []int64
	groups  []int32
	dropped map[int64]bool
	// How many blocks, and responses in them, read produced from the
	// database rather than found in memory (warming logs them).
	readBlocks, readResponses int
}

func (s *factStore) consultation(id int64) *conFacts {
	s.mu.Lock()
	defer s.mu.Unlock()
	cf := s.byCon[id]
	if cf == nil {
		cf = &conFacts{blocks: map[int64]*factBlock{}, pairCode: map[int64]uint16{}, grpCode: map[int32]uint16{}}
		s.byCon[id] = cf
	}
	return cf
}

// epoch numbers the copy's days (factBlock.day): days since 1970-01-01.
var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// forgetEvery is how often a store looks for copies to free.
const forgetEvery = 10 * time.Minute

// forgetGone frees the copies of consultations that no longer exist
// (Heard has no page or command that deletes one; an operator may, in
// SQL), so a process does not hold their responses (70 MB a million)
// until it ends. It looks at most every forgetEvery, with one query. The
// ids are taken before the query reads, so a consultation made meanwhile
// is never taken for gone.
func (s *factStore) forgetGone(ctx context.Context, qs *db.Queries) error {
	s.mu.Lock()
	if time.Since(s.swept) < forgetEvery || len(s.byCon) == 0 {
		s.mu.Unlock()
		return nil
	}
	s.swept = time.Now()
	held := make([]int64, 0, len(s.byCon))
	for id := range s.byCon {
		held = append(held, id)
	}
	s.mu.Unlock()
	exist, err := qs.ConsultationsExisting(ctx, held)
	if err != nil {
		return fmt.Errorf("consultations still there: %w", err)
	}
	s.mu.Lock()
	for _, id := range held {
		if !slices.Contains(exist, id) {
			delete(s.byCon, id)
		}
	}
	s.mu.Unlock()
	return nil
}

// view reads the stamps of c's blocks and the blocks that changed in one
// snapshot (and, for a campaigns filter, the members it leaves out).
func (s *Service) view(ctx context.Context, c *consultation.Consultation, campaigns string) (factView, error) {
	if err := storeFor(s.Pool).forgetGone(ctx, db.New(s.Pool)); err != nil {
		return factView{}, fmt.Errorf("results: facts of %s: %w", c.Slug, err)
	}
	if v, ok := sharedView(ctx, c.ID, campaigns); ok {
		return v, nil
	}
	cf, held, unlock := s.factsOf(c)
	defer unlock()
	var v factView
	err := readOnlyTx(ctx, s.Pool, func(_ pgx.Tx, qs *db.Queries) error {
		var err error
		v, err = cf.read(ctx, qs, c.ID, campaigns, nil, held)
		return err
	})
	if err != nil {
		return factView{}, fmt.Errorf("results: facts of %s: %w", c.Slug, err)
	}
	return v, nil
}

// ShareFacts returns ctx in which counts from the copy in memory reuse
// the view of the copy a list of the same consultation read before them
// in ctx (its snapshot of the stamps and blocks), rather than reading
// fact_versions again: a question page lists answers and then counts
// them, and both are then of one committed state. Only the counts reuse:
// a list reads answers and coding beside the copy and keeps order keys
// and search results beside its blocks, all of which must come from the
// snapshot its stamps came from, so a list always reads its own.
func ShareFacts(ctx context.Context) context.Context {
	return context.WithValue(ctx, sharedFactsKey{}, &sharedFacts{views: map[int64]factView{}})
}

type sharedFactsKey struct{}

// sharedFacts is the views of one request's lists, by consultation.
type sharedFacts struct {
	mu    sync.Mutex
	views map[int64]factView
}

// shareView keeps v, a list's view of consultation id, for the counts
// taken after it in ctx (ShareFacts).
func shareView(ctx context.Context, id int64, v factView) {
	if sh, _ := ctx.Value(sharedFactsKey{}).(*sharedFacts); sh != nil {
		sh.mu.Lock()
		sh.views[id] = v
		sh.mu.Unlock()
	}
}

// sharedView is the view a list of consultation id kept in ctx, for
// counts without campaigns left out (a list's view has none left out).
func sharedView(ctx context.Context, id int64, campaigns string) (factView, bool) {
	sh, _ := ctx.Value(sharedFactsKey{}).(*sharedFacts)
	if sh == nil || campaigns != "" {
		return factView{}, false
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	v, ok := sh.views[id]
	return v, ok
}

// factsOf is c's copy. The first read of a consultation's copy reads
// every block (seconds at a million responses): pages that arrive
// meanwhile wait for it here, before taking a database connection, so a
// cold start never holds the pool while they queue behind the reader.
// held says the reader's lock is taken (until unlock).
func (s *Service) factsOf(c *consultation.Consultation) (cf *conFacts, held bool, unlock func()) {
	cf = storeFor(s.Pool).consultation(c.ID)
	cf.mu.Lock()
	cold := len(cf.blocks) == 0
	cf.mu.Unlock()
	if !cold {
		return cf, false, func() {}
	}
	cf.reading.Lock()
	return cf, true, cf.reading.Unlock
}

// read reads the stamps of the consultation's blocks and the blocks that
// changed, in qs's snapshot, which must be REPEATABLE READ: everything
// else read in it then agrees with the copy. only, when set, limits the
// view to those blocks (warming reads the copy a chunk at a time). held:
// the caller holds cf.reading.
func (cf *conFacts) read(ctx context.Context, qs *db.Queries, consultationID int64, campaigns string, only map[int64]bool, held bool) (factView, error) {
	var v factView
	vers, err := qs.FactVersions(ctx, consultationID)
	if err != nil {
		return v, fmt.Errorf("fact versions: %w", err)
	}
	if only != nil {
		vers = slices.DeleteFunc(vers, func(r db.FactVersionsRow) bool { return !only[r.Block] })
	}
	v.blocks = make([]*factBlock, len(vers))
	v.nums = make([]int64, len(vers))
	var stale []int64
	staleAt := map[int64]int{}
	findStale := func() {
		stale = stale[:0]
		cf.mu.Lock()
		for i, r := range vers {
			v.nums[i] = r.Block
			if b := cf.blocks[r.Block]; b != nil && b.sig == r.Sig {
				v.blocks[i] = b
				continue
			}
			stale = append(stale, r.Block)
			staleAt[r.Block] = i
		}
		cf.mu.Unlock()
	}
	findStale()
	if len(stale) > 0 && !held {
		// One reader of blocks at a time per consultation: the pages
		// waiting behind it then find most of them read.
		cf.reading.Lock()
		defer cf.reading.Unlock()
		findStale()
	}
	if len(stale) > 0 {
		rows, err := qs.FactBlocks(ctx, db.FactBlocksParams{Blocks: stale, ConsultationID: consultationID})
		if err != nil {
			return v, fmt.Errorf("fact blocks: %w", err)
		}
		built, err := cf.build(rows, stale)
		if err != nil {
			return v, err
		}
		cf.mu.Lock()
		for blk, b := range built {
			b.sig = vers[staleAt[blk]].Sig
			v.blocks[staleAt[blk]] = b
			cf.blocks[blk] = b
		}
		cf.mu.Unlock()
		v.readBlocks, v.readResponses = len(stale), len(rows)
	}
	if campaigns != "" {
		ids, err := qs.CampaignDropped(ctx, db.CampaignDroppedParams{ConsultationID: consultationID, Campaigns: campaigns})
		if err != nil {
			return v, fmt.Errorf("campaign members left out: %w", err)
		}
		v.dropped = make(map[int64]bool, len(ids))
		for _, id := range ids {
			v.dropped[id] = true
		}
	}
	cf.mu.Lock()
	v.pairs, v.groups = cf.pairs, cf.groups
	cf.mu.Unlock()
	return v, nil
}

// build encodes the rows of the blocks listed (some may have none).
func (cf *conFacts) build(rows []db.FactBlocksRow, blocks []int64) (map[int64]*factBlock, error) {
	cf.mu.Lock()
	defer cf.mu.Unlock()
	out := make(map[int64]*factBlock, len(blocks))
	for _, blk := range blocks {
		out[blk] = &factBlock{post: map[uint16][]uint64{}, off: []int32{0}}
	}
	for _, r := range rows {
		b := out[r.ResponseID>>factBlockShift]
		if b == nil {
			return nil, fmt.Errorf("response %d outside the blocks read", r.ResponseID)
		}
		g, ok := cf.grpCode[r.RespondentGroupID]
		if !ok {
			g = uint16(len(cf.groups))
			cf.grpCode[r.RespondentGroupID] = g
			cf.groups = append(cf.groups, r.RespondentGroupID)
		}
		ch := slices.Index(ingest.Channels, string(r.Channel))
		if ch < 0 {
			return nil, fmt.Errorf("response %d: unknown channel %q", r.ResponseID, r.Channel)
		}
		var ev int64
		if r.EventID != nil {
			ev = *r.EventID
		}
		b.ids = append(b.ids, r.ResponseID)
		b.group = append(b.group, g)
		b.channel = append(b.channel, uint8(ch))
		b.org = append(b.org, r.Org)
		b.event = append(b.event, ev)
		d := int32(daysSince(epoch, r.Day)) // a date column: midnight UTC
		if len(b.day) == 0 || d < b.minDay {
			b.minDay = d
		}
		if len(b.day) == 0 || d > b.maxDay {
			b.maxDay = d
		}
		b.day = append(b.day, d)
		for _, x := range r.Answers {
			code, ok := cf.pairCode[x]
			if !ok {
				if len(cf.pairs) >= 1<<16 {
					return nil, fmt.Errorf("more than %d different answers", 1<<16)
				}
				code = uint16(len(cf.pairs))
				cf.pairCode[x] = code
				cf.pairs = append(cf.pairs, x)
			}
			b.codes = append(b.codes, code)
		}
		b.off = append(b.off, int32(len(b.codes)))
	}
	for _, b := range out {
		words := (len(b.ids) + 63) / 64
		b.orgs = make([]uint64, words)
		b.byChannel = make([][]uint64, len(ingest.Channels))
		for ch := range b.byChannel {
			b.byChannel[ch] = make([]uint64, words)
		}
		b.byGroup = map[uint16][]uint64{}
		for i := range b.ids {
			if b.org[i] {
				b.orgs[i/64] |= 1 << (i % 64)
			}
			g := b.byGroup[b.group[i]]
			if g == nil {
				g = make([]uint64, words)
				b.byGroup[b.group[i]] = g
			}
			g[i/64] |= 1 << (i % 64)
			b.byChannel[b.channel[i]][i/64] |= 1 << (i % 64)
			for _, code := range b.codes[b.off[i]:b.off[i+1]] {
				m := b.post[code]
				if m == nil {
					m = make([]uint64, words)
					b.post[code] = m
				}
				m[i/64] |= 1 << (i % 64)
			}
		}
	}
	return out, nil
}

// factMatch is a Filter as tests on a block's responses.
type factMatch struct {
	groups   map[int32]bool
	channels [4]bool
	anyCh    bool
	events   map[int64]bool
	resp     string
	from, to int32
	answers  [][]int64 // per answer filter, its pairs
	dropped  map[int64]bool
}

func (f Filter) match(v factView) factMatch {
	m := factMatch{resp: f.Respondent, anyCh: len(f.Channels) == 0, dropped: v.dropped}
	if len(f.GroupIDs) > 0 {
		m.groups = map[int32]bool{}
		for _, g := range f.GroupIDs {
			m.groups[g] = true
		}
	}
	for _, ch := range f.Channels {
		if i := slices.Index(ingest.Channels, ch); i >= 0 {
			m.channels[i] = true
		}
	}
	if len(f.EventIDs) > 0 {
		m.events = map[int64]bool{}
		for _, e := range f.EventIDs {
			m.events[e] = true
		}
	}
	from, to := f.dayRange()
	m.from, m.to = int32(daysSince(epoch, from)), int32(daysSince(epoch, to))
	for _, a := range f.Answers {
		m.answers = append(m.answers, a.pairs())
	}
	return m
}

// blocks calls fn for each block of v with the responses m selects in
// it (bit i: response i of the block).
func (m factMatch) blocks(v factView, fn func(b *factBlock, sel []uint64)) {
	codes := map[int64]uint16{}
	for code, x := range v.pairs {
		codes[x] = uint16(code)
	}
	// Groups, channels and organisation are bitmaps too; the rest is
	// checked response by response.
	scalar := m.events != nil || len(m.dropped) > 0
	var sel, or []uint64
	for _, b := range v.blocks {
		words := (len(b.ids) + 63) / 64
		if cap(sel) < words {
			sel, or = make([]uint64, words), make([]uint64, words)
		}
		sel, or = sel[:words], or[:words]
		for w := range sel {
			sel[w] = ^uint64(0)
		}
		if r := len(b.ids) % 64; r != 0 {
			sel[words-1] = 1<<r - 1
		}
		// Each answer filter: any of its options (ORed), filters ANDed.
		for _, pairs := range m.answers {
			clear(or)
			for _, x := range pairs {
				if code, ok := codes[x]; ok && b.post[code] != nil {
					for w, p := range b.post[code] {
						or[w] |= p
					}
				}
			}
			for w := range sel {
				sel[w] &= or[w]
			}
		}
		if m.groups != nil {
			clear(or)
			for code, g := range b.byGroup {
				if m.groups[v.groups[code]] {
					for w, p := range g {
						or[w] |= p
					}
				}
			}
			for w := range sel {
				sel[w] &= or[w]
			}
		}
		if !m.anyCh {
			clear(or)
			for ch, on := range m.channels {
				if on {
					for w, p := range b.byChannel[ch] {
						or[w] |= p
					}
				}
			}
			for w := range sel {
				sel[w] &= or[w]
			}
		}
		switch m.resp {
		case OrgOnly:
			for w := range sel {
				sel[w] &= b.orgs[w]
			}
		case IndividualsOnly:
			for w := range sel {
				sel[w] &^= b.orgs[w]
			}
		}
		// The rest, response by response: the received day always (the
		// block's range first), the others when set.
		if scalar || b.minDay < m.from || b.maxDay > m.to {
			for w, word := range sel {
				for x := word; x != 0; x &= x - 1 {
					i := w*64 + bits.TrailingZeros64(x)
					if (m.groups != nil && !m.groups[v.groups[b.group[i]]]) ||
						(!m.anyCh && !m.channels[b.channel[i]]) ||
						(m.events != nil && !m.events[b.event[i]]) ||
						(m.resp != "" && b.org[i] != (m.resp == OrgOnly)) ||
						b.day[i] < m.from || b.day[i] > m.to || m.dropped[b.ids[i]] {
						word &^= 1 << (i % 64)
					}
				}
				sel[w] = word
			}
		}
		fn(b, sel)
	}
}

// memCounts is factCounts from the copy in memory.
func (s *Service) memCounts(ctx context.Context, c *consultation.Consultation, f Filter) (*Table, error) {
	v, err := s.view(ctx, c, f.Campaigns)
	if err != nil {
		return nil, err
	}
	nch := len(ingest.Channels)
	stride := len(v.groups) * nch
	ans := make([]int64, len(v.pairs)*stride)
	resp := make([]int64, stride)
	f.match(v).blocks(v, func(b *factBlock, sel []uint64) {
		for w, word := range sel {
			for ; word != 0; word &= word - 1 {
				i := w*64 + bits.TrailingZeros64(word)
				cell := int(b.group[i])*nch + int(b.channel[i])
				resp[cell]++
				for _, code := range b.codes[b.off[i]:b.off[i+1]] {
					ans[int(code)*stride+cell]++
				}
			}
		}
	})
	t := &Table{Consultation: c, Filter: f}
	for cell, n := range resp {
		if n != 0 {
			t.Responses = append(t.Responses, Count{GroupID: v.groups[cell/nch], Channel: ingest.Channels[cell%nch], N: n})
		}
	}
	for k, n := range ans {
		if n != 0 {
			code, cell := k/stride, k%stride
			x := v.pairs[code]
			t.Answers = append(t.Answers, Count{QuestionID: int32(x >> 32), OptionID: int32(x % (1 << 32)),
				GroupID: v.groups[cell/nch], Channel: ingest.Channels[cell%nch], N: n})
		}
	}
	sortCounts(t.Responses)
	sortCounts(t.Answers)
	return t, nil
}

// sortCounts orders cells as the SQL does: question, option, group,
// channel (in the enum's order, ingest.Channels).
func sortCounts(cs []Count) {
	slices.SortFunc(cs, func(a, b Count) int {
		switch {
		case a.QuestionID != b.QuestionID:
			return cmpInt(a.QuestionID, b.QuestionID)
		case a.OptionID != b.OptionID:
			return cmpInt(a.OptionID, b.OptionID)
		case a.GroupID != b.GroupID:
			return cmpInt(a.GroupID, b.GroupID)
		}
		return slices.Index(ingest.Channels, a.Channel) - slices.Index(ingest.Channels, b.Channel)
	})
}

func cmpInt(a, b int32) int {
	if a < b {
		return -1
	}
	return 1
}

// memCross is factCross from the copy in memory.
func (s *Service) memCross(ctx context.Context, c *consultation.Consultation, f Filter, q *consultation.Question, by []*consultation.Question) (crossCounts, error) {
	v, err := s.view(ctx, c, f.Campaigns)
	if err != nil {
		return crossCounts{}, err
	}
	isBy := map[int32]bool{q.ID: true}
	for _, b := range by {
		isBy[b.ID] = true
	}
	// For each code: its place among q's answers (-1: not q's), and
	// whether it answers a "by" question (q included).
	qIdx := make([]int, len(v.pairs))
	var qCodes []int
	ofBy := make([]bool, len(v.pairs))
	for code, x := range v.pairs {
		qIdx[code] = -1
		if int32(x>>32) == q.ID {
			qIdx[code] = len(qCodes)
			qCodes = append(qCodes, code)
		}
		ofBy[code] = isBy[int32(x>>32)]
	}
	// n[(by code * len(qCodes) + q's answer) * 2 + org]
	nq := len(qCodes)
	n := make([]int64, len(v.pairs)*nq*2)
	f.match(v).blocks(v, func(b *factBlock, sel []uint64) {
		for w, word := range sel {
			for ; word != 0; word &= word - 1 {
				i := w*64 + bits.TrailingZeros64(word)
				codes := b.codes[b.off[i]:b.off[i+1]]
				qi := -1
				for _, code := range codes {
					if qIdx[code] >= 0 {
						qi = qIdx[code]
						break
					}
				}
				if qi < 0 {
					continue
				}
				org := 0
				if b.org[i] {
					org = 1
				}
				for _, code := range codes {
					if ofBy[code] {
						n[(int(code)*nq+qi)*2+org]++
					}
				}
			}
		}
	})
	var rows []db.PairCrossRow
	for k, cnt := range n {
		if cnt == 0 {
			continue
		}
		bx, qx := v.pairs[k/2/nq], v.pairs[qCodes[k/2%nq]]
		rows = append(rows, db.PairCrossRow{ByQuestionID: int32(bx >> 32), ByOptionID: int32(bx % (1 << 32)),
			OptionID: int32(qx % (1 << 32)), Org: k%2 == 1, N: cnt})
	}
	return toCross(q, rows), nil
}

// memDays is factDays from the copy in memory.
func (s *Service) memDays(ctx context.Context, c *consultation.Consultation, f Filter) ([]db.ResponsesPerDayRow, error) {
	v, err := s.view(ctx, c, f.Campaigns)
	if err != nil {
		return nil, err
	}
	lo, hi := int32(math.MaxInt32), int32(math.MinInt32)
	for _, b := range v.blocks {
		if len(b.ids) > 0 {
			lo, hi = min(lo, b.minDay), max(hi, b.maxDay)
		}
	}
	if lo > hi {
		return nil, nil
	}
	nch := len(ingest.Channels)
	n := make([]int64, int(hi-lo+1)*nch)
	f.match(v).blocks(v, func(b *factBlock, sel []uint64) {
		for w, word := range sel {
			for ; word != 0; word &= word - 1 {
				i := w*64 + bits.TrailingZeros64(word)
				n[int(b.day[i]-lo)*nch+int(b.channel[i])]++
			}
		}
	})
	var out []db.ResponsesPerDayRow
	for k, cnt := range n {
		if cnt != 0 {
			out = append(out, db.ResponsesPerDayRow{Day: epoch.AddDate(0, 0, int(lo)+k/nch), Channel: db.Channel(ingest.Channels[k%nch]), N: cnt})
		}
	}
	return out, nil
}
