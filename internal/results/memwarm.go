package results

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Reading the copies in memory (memfacts.go) before pages need them.
//
// The first filtered page of a process read its consultation's whole
// copy (40-47 s at a million responses, most of it a plan that read all
// of response_facts per block; 9 s since FactBlocks reads one key range
// per block) and every page behind it waited as long. `heard serve` now reads the copies in the
// background when it starts (Warm), and a Service with SQLUntilWarm
// counts in SQL (as before the copy existed: slower, but seconds, not
// tens of seconds) while a consultation's copy is not in memory yet,
// starting its read in the background if none is running.

// warmLimit is how many consultations Warm reads: those with the newest
// responses (a copy is about 70 MB per million responses).
const warmLimit = 8

// warmChunk is how many blocks one read takes while warming (64k
// responses): each is its own short snapshot, so warming never holds a
// connection or a long transaction for the whole copy.
const warmChunk = 16

// Warm reads into memory the copies of the consultations with the
// newest responses (at most warmLimit), one after another, logging each.
func (s *Service) Warm(ctx context.Context, logger *slog.Logger) error {
	ids, err := db.New(s.Pool).FactConsultations(ctx, warmLimit)
	if err != nil {
		return fmt.Errorf("results: consultations to read into memory: %w", err)
	}
	for _, id := range ids {
		if err := s.warm(ctx, id, logger); err != nil {
			return err
		}
	}
	return nil
}

// memReady reports whether c's figures may be counted from its copy
// now: always, unless s counts in SQL until the copy is warm; then it
// starts reading the copy in the background when nothing reads it yet.
func (s *Service) memReady(c *consultation.Consultation) bool {
	if !s.SQLUntilWarm {
		return true
	}
	cf := storeFor(s.Pool).consultation(c.ID)
	cf.mu.Lock()
	defer cf.mu.Unlock()
	if cf.warm {
		return true
	}
	if !cf.warming {
		logger := s.Logger
		if logger == nil {
			logger = slog.Default()
		}
		go func() {
			if err := s.warm(context.Background(), c.ID, logger); err != nil {
				logger.Error("results: reading the counts into memory", "consultation", c.Slug, "err", err)
			}
		}()
	}
	return false
}

// warm reads consultation id's copy into memory, warmChunk blocks per
// snapshot; blocks already read and unchanged are kept. Each block is
// stored with the signature of the snapshot it was read in, so a later
// count (view) re-reads it if it changed since, as for any other block.
func (s *Service) warm(ctx context.Context, id int64, logger *slog.Logger) (err error) {
	cf := storeFor(s.Pool).consultation(id)
	cf.mu.Lock()
	if cf.warm || cf.warming {
		cf.mu.Unlock()
		return nil
	}
	cf.warming = true
	cf.mu.Unlock()
	start := time.Now()
	read, responses := 0, 0
	defer func() {
		cf.mu.Lock()
		cf.warming = false
		cf.warm = err == nil
		cf.mu.Unlock()
		if err == nil {
			logger.Info("results: counts read into memory", "consultation", id, "blocks", read, "responses", responses, "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	vers, err := db.New(s.Pool).FactVersions(ctx, id)
	if err != nil {
		return fmt.Errorf("results: fact versions of consultation %d: %w", id, err)
	}
	for lo := 0; lo < len(vers); lo += warmChunk {
		chunk := map[int64]bool{}
		for _, r := range vers[lo:min(lo+warmChunk, len(vers))] {
			chunk[r.Block] = true
		}
		n, m, err := s.warmChunk(ctx, cf, id, chunk)
		if err != nil {
			return err
		}
		read, responses = read+n, responses+m
	}
	return nil
}

// warmChunk reads the blocks of chunk whose copy is missing or stale, in
// one snapshot, as view does; it returns how many blocks and responses
// it read.
func (s *Service) warmChunk(ctx context.Context, cf *conFacts, id int64, chunk map[int64]bool) (blocks, responses int, err error) {
	// One reader of blocks at a time per consultation (as in view).
	cf.reading.Lock()
	defer cf.reading.Unlock()
	err = readOnlyTx(ctx, s.Pool, func(_ pgx.Tx, qs *db.Queries) error {
		v, err := cf.read(ctx, qs, id, "", chunk, true)
		blocks, responses = v.readBlocks, v.readResponses
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("results: reading the counts of consultation %d into memory: %w", id, err)
	}
	return blocks, responses, nil
}
