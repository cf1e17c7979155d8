package campaign

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/jackc/pgx/v5"

	"heard/internal/db"
)

// BulkMin is how many unsigned responses make detection switch from one
// response at a time (a few index probes each, right for the webform and
// a trickle of emails) to the whole-consultation pass in memory (right
// after an import of thousands): sign every pending response in parallel
// and store the signatures with COPY, then cluster every signature of the
// consultation at once (Cluster) and write the placements in bulk.
const BulkMin = 2000

// bulkPage is how many responses the pass reads, signs and stores at once.
const bulkPage = 5000

// signChunk is how many responses of a page are signed while the chunk
// before them is stored.
const signChunk = 1000

// detectBulk is the whole-consultation pass over the responses after
// `after` that are not yet signed. Memory is the consultation's
// signatures (about 300 bytes a response) plus one page of texts.
func (s *Service) detectBulk(ctx context.Context, cid, after int64, th Thresholds) (DetectStats, error) {
	st := DetectStats{Bulk: true}
	t0 := time.Now()
	signed, err := s.signPending(ctx, cid, after, th.MinWords, &st)
	st.Signing = time.Since(t0)
	if err != nil {
		return st, err
	}
	if len(signed) == 0 {
		return st, nil
	}
	// Every signature long enough to match, read back in id order.
	t0 = time.Now()
	q := db.New(s.Pool)
	n, err := q.CountMatchableSignatures(ctx, db.CountMatchableSignaturesParams{ConsultationID: cid, MinWords: int32(th.MinWords)})
	if err != nil {
		return st, fmt.Errorf("campaign: count signatures: %w", err)
	}
	// A few more may be signed while we read (webform responses): append
	// copes, at the cost of one growth.
	ids := make([]int64, 0, n)
	fps := make([]Fingerprint, 0, n)
	senders := make([]uint64, 0, n) // hashes: 8 bytes a response, not a string
	for last := int64(0); ; {
		rows, err := q.SignaturesPage(ctx, db.SignaturesPageParams{ConsultationID: cid, After: last, MinWords: int32(th.MinWords), PageSize: 20000})
		if err != nil {
			return st, fmt.Errorf("campaign: read signatures: %w", err)
		}
		for _, r := range rows {
			sig, ok := SignatureFromBytes(r.Signature)
			if !ok {
				continue
			}
			ids = append(ids, r.ResponseID)
			fps = append(fps, Fingerprint{Exact: uint64(r.ExactHash), Words: int(r.Words), Size: int(r.Shingles), Sig: sig})
			var snd uint64
			if r.Sender != "" {
				snd = xxhash.Sum64String(r.Sender) | 1 // never 0, which is "unknown"
			}
			senders = append(senders, snd)
			last = r.ResponseID
		}
		if len(rows) == 0 {
			break
		}
	}
	st.Reading = time.Since(t0)
	t0 = time.Now()
	labels := Cluster(fps, th)
	st.Clustering = time.Since(t0)
	t0 = time.Now()
	err = s.place(ctx, cid, th, ids, fps, senders, labels, signed, &st)
	st.Placing = time.Since(t0)
	return st, err
}

// signPending signs the pending responses page by page, fingerprints in
// parallel, and stores signatures and band keys with COPY. It returns the
// ids it signed, ascending.
func (s *Service) signPending(ctx context.Context, cid, after int64, minWords int, st *DetectStats) ([]int64, error) {
	var signed []int64
	workers := runtime.GOMAXPROCS(0)
	for {
		page, err := s.signPage(ctx, cid, after, minWords, workers, st)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return signed, nil
		}
		signed = append(signed, page...)
		after = page[len(page)-1]
		st.Signed += len(page)
	}
}

// signPage signs and stores one page of pending responses after `after`
// and returns their ids, holding the consultation's detection lock so that
// no other detector signs the same responses. Responses shorter than
// minWords are signed but not banded (they never match), as detectOne does.
func (s *Service) signPage(ctx context.Context, cid, after int64, minWords, workers int, st *DetectStats) ([]int64, error) {
	var page []int64
	err := db.WithTx(ctx, s.Pool, func(tx pgx.Tx, q *db.Queries) error {
		if err := q.LockCampaignDetection(ctx, lockKey(cid)); err != nil {
			return fmt.Errorf("campaign: lock detection: %w", err)
		}
		// Walk the responses after `after` and probe response_signatures
		// for each: with merge or hash joins the planner read every
		// signature stored so far for each page (a merge anti-join from
		// the first one), so a whole-consultation pass grew with the
		// square of its size (1,077 responses/s at 1M).
		if err := db.WalkIndexes(ctx, tx); err != nil {
			return fmt.Errorf("campaign: %w", err)
		}
		t0 := time.Now()
		rows, err := q.UnsignedResponses(ctx, db.UnsignedResponsesParams{ConsultationID: cid, After: after, PageSize: bulkPage})
		if err != nil {
			return fmt.Errorf("campaign: list unsigned responses: %w", err)
		}
		st.TextReading += time.Since(t0)
		page = page[:0]
		for _, r := range rows {
			page = append(page, r.ID)
		}
		// Sign the next chunk while PostgreSQL stores this one: MinHash is
		// Go's CPU and COPY with its index upkeep the server's, so each
		// hides most of the other (one statement at a time on the
		// transaction's connection, so chunks rather than one COPY).
		sign := func(lo, hi int) []db.CopySignaturesParams {
			sigs := make([]db.CopySignaturesParams, hi-lo)
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := lo + w; i < hi; i += workers {
						r := &rows[i]
						fp := FingerprintOf(r.Text)
						sg := db.CopySignaturesParams{ConsultationID: cid, ResponseID: r.ID, ExactHash: int64(fp.Exact), Words: int32(fp.Words),
							Shingles: int32(fp.Size), Signature: fp.Sig.Bytes(), Sender: strings.TrimSpace(r.Sender)}
						if fp.Words >= minWords {
							sg.Bands = StoredBandKeys(cid, &fp.Sig)
						}
						sigs[i-lo] = sg
					}
				}(w)
			}
			wg.Wait()
			return sigs
		}
		next := make(chan []db.CopySignaturesParams, 1) // never blocks a signer left behind by an error
		go func() { next <- sign(0, min(signChunk, len(rows))) }()
		for lo := 0; lo < len(rows); lo += signChunk {
			sigs := <-next
			if hi := lo + signChunk; hi < len(rows) {
				go func() { next <- sign(hi, min(hi+signChunk, len(rows))) }()
			}
			t0 = time.Now()
			if _, err := q.CopySignatures(ctx, sigs); err != nil {
				return fmt.Errorf("campaign: store signatures: %w", err)
			}
			st.Storing += time.Since(t0)
		}
		return nil
	})
	return page, err
}

// place turns the clusters into campaign memberships and repeats. A
// cluster joins the campaign most of its placed members are in (a new
// suggested one when none is), taking every member not yet placed;
// responses an analyst removed stay out, and confirmed or dismissed
// campaigns are never merged away. Repeats are the newly signed responses
// whose sender sent a near-identical earlier response in the cluster.
func (s *Service) place(ctx context.Context, cid int64, th Thresholds, ids []int64, fps []Fingerprint, senders []uint64, labels []int, signed []int64, st *DetectStats) error {
	size := make([]int32, len(labels))
	for _, l := range labels {
		size[l]++
	}
	groups := map[int][]int{}
	for i, l := range labels {
		if size[l] >= 2 {
			groups[l] = append(groups[l], i)
		}
	}
	isNew := func(id int64) bool { _, ok := slices.BinarySearch(signed, id); return ok }
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := q.LockCampaignDetection(ctx, lockKey(cid)); err != nil {
			return fmt.Errorf("campaign: lock detection: %w", err)
		}
		ms, err := q.CampaignMemberships(ctx, cid)
		if err != nil {
			return fmt.Errorf("campaign: memberships: %w", err)
		}
		type place struct {
			campaign int64
			removed  bool
		}
		placed := make(map[int64]place, len(ms))
		status := map[int64]string{}
		for _, m := range ms {
			placed[m.ResponseID] = place{m.CampaignID, m.Removed}
			status[m.CampaignID] = string(m.Status)
		}
		var addC, addR []int64
		var addS []float32
		var repR, repOf []int64
		var repS []float32
		// Clusters in order of their first response, so runs are repeatable.
		roots := make([]int, 0, len(groups))
		for l := range groups {
			roots = append(roots, l)
		}
		slices.Sort(roots)
		for _, l := range roots {
			members := groups[l]
			votes := map[int64]int{}
			for _, i := range members {
				if p, ok := placed[ids[i]]; ok && !p.removed {
					votes[p.campaign]++
				}
			}
			var target int64
			for c, n := range votes {
				if target == 0 || n > votes[target] || (n == votes[target] && c < target) {
					target = c
				}
			}
			// The smallest member stands for the cluster (most likely the
			// bare template): similarities are to it.
			rep := members[0]
			for _, i := range members {
				if fps[i].Size < fps[rep].Size {
					rep = i
				}
			}
			var unplaced []int
			for _, i := range members {
				if _, ok := placed[ids[i]]; !ok {
					unplaced = append(unplaced, i)
				}
			}
			if target == 0 {
				if len(unplaced) < 2 {
					continue
				}
				text, err := q.ResponseText(ctx, ids[rep])
				if err != nil {
					return fmt.Errorf("campaign: text of %d: %w", ids[rep], err)
				}
				if target, err = q.CreateCampaign(ctx, db.CreateCampaignParams{ConsultationID: cid, Name: nameFor(text)}); err != nil {
					return fmt.Errorf("campaign: create campaign: %w", err)
				}
				st.NewCampaigns++
			} else if status[target] == "suggested" {
				// Other suggested campaigns in the cluster are one with it;
				// analysts' decisions (confirmed, dismissed) stay apart.
				for c := range votes {
					if c == target || status[c] != "suggested" {
						continue
					}
					if _, err := q.MoveCampaignMembers(ctx, db.MoveCampaignMembersParams{IntoID: target, FromID: c}); err != nil {
						return fmt.Errorf("campaign: merge campaign %d into %d: %w", c, target, err)
					}
					if err := q.DeleteEmptyCampaign(ctx, c); err != nil {
						return fmt.Errorf("campaign: drop merged campaign %d: %w", c, err)
					}
				}
			}
			for _, i := range unplaced {
				_, sim := th.Match(&fps[rep], &fps[i])
				if i == rep {
					sim = 1
				}
				addC, addR, addS = append(addC, target), append(addR, ids[i]), append(addS, float32(sim))
			}
			st.Joined += len(unplaced)
			// Repeats: a newly signed response after an earlier one from
			// the same sender, near-identical.
			first := map[uint64]int{}
			for _, i := range members { // members are in id order
				snd := senders[i]
				if snd == 0 {
					continue
				}
				j, ok := first[snd]
				if !ok {
					first[snd] = i
					continue
				}
				if !isNew(ids[i]) {
					continue
				}
				if ok, sim := th.Match(&fps[j], &fps[i]); ok && sim >= RepeatSimilarity {
					repR, repOf, repS = append(repR, ids[i]), append(repOf, ids[j]), append(repS, float32(sim))
				}
			}
		}
		for start := 0; start < len(addR); start += 50000 {
			end := min(start+50000, len(addR))
			if err := q.AddCampaignMembers(ctx, db.AddCampaignMembersParams{ConsultationID: cid, CampaignIds: addC[start:end], ResponseIds: addR[start:end], Similarities: addS[start:end]}); err != nil {
				return fmt.Errorf("campaign: place members: %w", err)
			}
		}
		if len(repR) > 0 {
			if err := q.InsertRepeats(ctx, db.InsertRepeatsParams{ConsultationID: cid, ResponseIds: repR, RepeatOfs: repOf, Similarities: repS}); err != nil {
				return fmt.Errorf("campaign: flag repeats: %w", err)
			}
			st.Repeats += len(repR)
		}
		return nil
	})
}
