package results

import (
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// OneByOne is a Service that counts every filtered figure response by
// response, for comparing with the summaries.
func OneByOne(s *Service) *Service {
	return &Service{Pool: s.Pool, oneByOne: true}
}

// FactKeyCap is factKeyCap: lists whose response-level filters match
// more are walked in order.
const FactKeyCap = factKeyCap

// SQLFacts is a Service that counts the filters no summary keeps from
// response_facts in SQL, not from the copy in memory.
func SQLFacts(s *Service) *Service {
	return &Service{Pool: s.Pool, sqlFacts: true}
}

// HoldCopy makes p's process hold an (empty) copy of consultation id's
// facts, as if it had counted it, and look for copies to free on the
// next count.
func HoldCopy(p *pgxpool.Pool, id int64) {
	s := storeFor(p)
	s.consultation(id)
	s.mu.Lock()
	s.swept = time.Time{}
	s.mu.Unlock()
}

// HeldCopies is the consultations whose facts p's process holds, in order.
func HeldCopies(p *pgxpool.Pool) []int64 {
	s := storeFor(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for id := range s.byCon {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// SmallProbes is a Service whose lists check searches with tiny probe
// budgets: a small consultation then goes through every way of checking
// one (window by window, all at once, read whole through the index).
func SmallProbes(s *Service) *Service {
	return &Service{Pool: s.Pool, smallProbes: true}
}

// HoldCopyRead makes c's copy in memory look as if a background read of
// it were under way (and holds the lock that read holds) until release.
func HoldCopyRead(s *Service, id int64) (release func()) {
	cf := storeFor(s.Pool).consultation(id)
	cf.mu.Lock()
	cf.warming = true
	cf.mu.Unlock()
	cf.reading.Lock()
	return func() {
		cf.mu.Lock()
		cf.warming = false
		cf.mu.Unlock()
		cf.reading.Unlock()
	}
}

// CopyBlocks is how many blocks of consultation id's copy are in memory,
// and whether it has been read whole (Warm).
func CopyBlocks(s *Service, id int64) (int, bool) {
	cf := storeFor(s.Pool).consultation(id)
	cf.mu.Lock()
	defer cf.mu.Unlock()
	return len(cf.blocks), cf.warm
}
