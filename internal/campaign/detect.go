package campaign

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/audit"
	"heard/internal/db"
)

// RepeatSimilarity is the least similarity at which two responses from the
// same sender are flagged as a probable repeat.
const RepeatSimilarity = 0.9

// Service stores and reads campaigns.
type Service struct {
	Pool *pgxpool.Pool
}

// Thresholds returns the consultation's thresholds, or the defaults.
func Settings(ctx context.Context, q *db.Queries, consultationID int64) (Thresholds, error) {
	s, err := q.CampaignSettings(ctx, consultationID)
	if errors.Is(err, pgx.ErrNoRows) {
		return DefaultThresholds, nil
	}
	if err != nil {
		return Thresholds{}, fmt.Errorf("campaign: settings: %w", err)
	}
	return Thresholds{Jaccard: float64(s.Jaccard), Containment: float64(s.Containment),
		MinWords: int(s.MinWords), MinMembers: int(s.MinMembers)}, nil
}

// DetectStats says what one detection run did.
type DetectStats struct {
	Signed, Joined, NewCampaigns, Repeats int
	// Bulk is whether the whole-consultation pass ran, and how long its
	// phases took: signing and storing, reading signatures back,
	// clustering in memory, and writing the placements.
	Bulk                                  bool
	Signing, Reading, Clustering, Placing time.Duration
	// Signing's parts: reading the pending responses' texts, and storing
	// their signatures (COPY, index upkeep, commit); the rest is MinHash.
	TextReading, Storing time.Duration
}

// DetectPending signs every response of the consultation not yet signed,
// oldest first, and places each in a campaign (or flags it as a repeat) by
// matching it against earlier responses. Imports and the webform call it
// after storing responses; it is safe to run twice and picks up where an
// interrupted run stopped. Each page commits on its own so a long run
// never holds one huge transaction.
func (s *Service) DetectPending(ctx context.Context, consultationID int64) (DetectStats, error) {
	pending, err := db.New(s.Pool).CountUnsignedAfter(ctx, db.CountUnsignedAfterParams{ConsultationID: consultationID, After: 0, Cap: BulkMin})
	if err != nil {
		return DetectStats{}, fmt.Errorf("campaign: count unsigned responses: %w", err)
	}
	return s.detectFrom(ctx, consultationID, 0, pending)
}

// DetectNew is DetectPending for responses newer than the newest signed
// one: a few index probes, whatever the consultation's size, for the
// periodic job. (Response ids are reserved in order, so only a transaction
// committing out of order is left for the next DetectPending.)
func (s *Service) DetectNew(ctx context.Context, consultationID int64) (DetectStats, error) {
	q := db.New(s.Pool)
	after, err := q.MaxSignedResponse(ctx, consultationID)
	if err != nil {
		return DetectStats{}, fmt.Errorf("campaign: newest signed response: %w", err)
	}
	// Two statements, not one: with the newest signed id unknown when
	// planned, the count's anti-join hashed every signature (seconds at 1M).
	pending, err := q.CountUnsignedAfter(ctx, db.CountUnsignedAfterParams{ConsultationID: consultationID, After: after, Cap: BulkMin})
	if err != nil {
		return DetectStats{}, fmt.Errorf("campaign: count unsigned responses: %w", err)
	}
	if pending == 0 {
		return DetectStats{}, nil
	}
	return s.detectFrom(ctx, consultationID, after, pending)
}

// detectFrom detects the responses after `after`, of which pending (up
// to BulkMin) wait: in bulk or one at a time.
func (s *Service) detectFrom(ctx context.Context, consultationID, after, pending int64) (DetectStats, error) {
	var st DetectStats
	th, err := Settings(ctx, db.New(s.Pool), consultationID)
	if err != nil {
		return st, err
	}
	// Thousands waiting (an import, a first run): the pass in memory.
	if pending >= BulkMin {
		// The pass reads every signature back: worth it when the new
		// responses are a fair share of them (a first run, a big import),
		// not for a few thousand more in a consultation of a million.
		signed, err := db.New(s.Pool).CountSignatures(ctx, consultationID)
		if err != nil {
			return st, fmt.Errorf("campaign: count signatures: %w", err)
		}
		if signed <= bulkShare*BulkMin || signed <= bulkShare*s.pendingUpTo(ctx, consultationID, after, signed/bulkShare) {
			return s.detectBulk(ctx, consultationID, after, th)
		}
	}
	if pending == 0 {
		return st, nil
	}
	for {
		var n int
		err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
			if err := q.LockCampaignDetection(ctx, lockKey(consultationID)); err != nil {
				return fmt.Errorf("campaign: lock detection: %w", err)
			}
			rows, err := q.UnsignedResponses(ctx, db.UnsignedResponsesParams{ConsultationID: consultationID, After: after, PageSize: pageSize})
			if err != nil {
				return fmt.Errorf("campaign: list unsigned responses: %w", err)
			}
			n = len(rows)
			for _, r := range rows {
				if err := detectOne(ctx, q, consultationID, th, r, &st); err != nil {
					return fmt.Errorf("campaign: response %s: %w", r.SourceRef, err)
				}
				after = r.ID
			}
			return nil
		})
		if err != nil {
			return st, err
		}
		// A short page was the last: responses stored meanwhile are the
		// next run's (asking again cost the job four more round trips).
		if n < pageSize {
			return st, nil
		}
	}
}

// pageSize is how many responses one-at-a-time detection reads and
// matches in one transaction.
const pageSize = 500

// bulkShare: the whole pass runs when at least one response in
// bulkShare of those already signed is waiting.
const bulkShare = 20

// pendingUpTo counts the unsigned responses after `after`, up to limit
// (0 on error: then detection goes one response at a time).
func (s *Service) pendingUpTo(ctx context.Context, consultationID, after, limit int64) int64 {
	n, err := db.New(s.Pool).CountUnsignedAfter(ctx, db.CountUnsignedAfterParams{ConsultationID: consultationID, After: after, Cap: int32(min(limit, 1<<30))})
	if err != nil {
		return 0
	}
	return n
}

// lockKey is the consultation's advisory lock for detection: detectors
// take it before reading what is unsigned, so no response is signed twice
// and no campaign created twice.
func lockKey(consultationID int64) int64 { return 15<<48 | consultationID }

// DetectSubmitted matches one webform response as it is sent (the
// request's after-commit step), so it is in its campaign at once rather
// than at the job's next run. When another detector holds the
// consultation (an import, the job), it leaves the response to that one.
func (s *Service) DetectSubmitted(ctx context.Context, consultationID int64, ref string) error {
	th, err := Settings(ctx, db.New(s.Pool), consultationID)
	if err != nil {
		return err
	}
	var st DetectStats
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		ok, err := q.TryLockCampaignDetection(ctx, lockKey(consultationID))
		if err != nil || !ok {
			return err
		}
		id, err := q.ResponseIDByRef(ctx, db.ResponseIDByRefParams{ConsultationID: consultationID, SourceRef: ref})
		if err != nil {
			return fmt.Errorf("campaign: response %s: %w", ref, err)
		}
		rows, err := q.UnsignedResponses(ctx, db.UnsignedResponsesParams{ConsultationID: consultationID, After: id - 1, PageSize: 1})
		if err != nil {
			return fmt.Errorf("campaign: response %s: %w", ref, err)
		}
		if len(rows) == 0 || rows[0].ID != id {
			return nil // already signed
		}
		if err := detectOne(ctx, q, consultationID, th, rows[0], &st); err != nil {
			return fmt.Errorf("campaign: response %s: %w", ref, err)
		}
		return nil
	})
}

// detectOne signs one response and matches it: a few index probes and at
// most a couple of hundred signature comparisons, whatever the size of
// the consultation.
func detectOne(ctx context.Context, q *db.Queries, cid int64, th Thresholds, r db.UnsignedResponsesRow, st *DetectStats) error {
	fp := FingerprintOf(r.Text)
	// Too short to be anyone's template: signed, never banded.
	var keys []int64
	if fp.Words >= th.MinWords {
		keys = StoredBandKeys(cid, &fp.Sig)
	}
	err := q.InsertSignature(ctx, db.InsertSignatureParams{
		ConsultationID: cid, ResponseID: r.ID, ExactHash: int64(fp.Exact), Words: int32(fp.Words),
		Shingles: int32(fp.Size), Signature: fp.Sig.Bytes(), Sender: strings.TrimSpace(r.Sender), Bands: keys,
	})
	if err != nil {
		return fmt.Errorf("store signature: %w", err)
	}
	st.Signed++
	if keys == nil {
		return nil
	}
	// The response's own row matches its keys; the query leaves it out.
	cands, err := q.CandidateSignatures(ctx, db.CandidateSignaturesParams{
		ConsultationID: cid, Keys: keys, ResponseID: r.ID, ExactHash: int64(fp.Exact),
	})
	if err != nil {
		return fmt.Errorf("find candidates: %w", err)
	}
	// Best match, preferring one already in a campaign so that copies join
	// the campaign rather than pairing off among themselves.
	var best *db.CandidateSignaturesRow
	var bestSim float64
	bridged := map[int64]bool{} // suggested campaigns this response matches
	var repeatOf *db.CandidateSignaturesRow
	var repeatSim float64
	for i := range cands {
		c := &cands[i]
		sig, ok := SignatureFromBytes(c.Signature)
		if !ok {
			continue
		}
		other := Fingerprint{Exact: uint64(c.ExactHash), Words: int(c.Words), Size: int(c.Shingles), Sig: sig}
		ok, sim := th.Match(&fp, &other)
		if !ok {
			continue
		}
		if c.CampaignID != 0 && c.CampaignStatus == "suggested" {
			bridged[c.CampaignID] = true
		}
		if sender := strings.TrimSpace(r.Sender); sender != "" && c.Sender == sender && sim >= RepeatSimilarity && sim > repeatSim {
			repeatOf, repeatSim = c, sim
		}
		better := best == nil ||
			(c.CampaignID != 0 && best.CampaignID == 0) ||
			((c.CampaignID != 0) == (best.CampaignID != 0) && sim > bestSim)
		if better {
			best, bestSim = c, sim
		}
	}
	if repeatOf != nil {
		if err := q.InsertRepeat(ctx, db.InsertRepeatParams{ConsultationID: cid, ResponseID: r.ID, RepeatOf: repeatOf.ResponseID, Similarity: float32(repeatSim)}); err != nil {
			return fmt.Errorf("flag repeat: %w", err)
		}
		st.Repeats++
	}
	if best == nil {
		return nil
	}
	campaignID := best.CampaignID
	if campaignID == 0 {
		campaignID, err = q.CreateCampaign(ctx, db.CreateCampaignParams{ConsultationID: cid, Name: nameFor(r.Text)})
		if err != nil {
			return fmt.Errorf("create campaign: %w", err)
		}
		st.NewCampaigns++
		if err := q.AddCampaignMember(ctx, db.AddCampaignMemberParams{ConsultationID: cid, CampaignID: campaignID, ResponseID: best.ResponseID, Similarity: float32(bestSim), AddedBy: "detection"}); err != nil {
			return fmt.Errorf("add first member: %w", err)
		}
	}
	if err := q.AddCampaignMember(ctx, db.AddCampaignMemberParams{ConsultationID: cid, CampaignID: campaignID, ResponseID: r.ID, Similarity: float32(bestSim), AddedBy: "detection"}); err != nil {
		return fmt.Errorf("join campaign: %w", err)
	}
	st.Joined++
	// A response matching copies in two suggested campaigns shows they are
	// one: banding missed the link between them when they were formed.
	// Analysts' decisions (confirmed, dismissed) are never merged away.
	if best.CampaignStatus == "suggested" {
		for other := range bridged {
			if other == campaignID {
				continue
			}
			if _, err := q.MoveCampaignMembers(ctx, db.MoveCampaignMembersParams{IntoID: campaignID, FromID: other}); err != nil {
				return fmt.Errorf("merge campaign %d into %d: %w", other, campaignID, err)
			}
			if err := q.DeleteEmptyCampaign(ctx, other); err != nil {
				return fmt.Errorf("drop merged campaign %d: %w", other, err)
			}
		}
	}
	return nil
}

// nameFor suggests a campaign name from the text's first words; analysts
// rename it.
func nameFor(text string) string {
	words := strings.Fields(stripQuotedAndSignature(text))
	if len(words) > 8 {
		words = append(words[:8], "…")
	}
	name := strings.Join(words, " ")
	if name == "" {
		name = "Campaign"
	}
	return "“" + name + "”"
}

// ActionThresholds is the audit action for changed thresholds.
const ActionThresholds = "campaign_thresholds_set"

// SetThresholds stores the consultation's thresholds. They apply to
// responses detected from now on; earlier matches stand.
func (s *Service) SetThresholds(ctx context.Context, by audit.Entry, consultationID int64, t Thresholds) error {
	switch {
	case t.Jaccard <= 0 || t.Jaccard > 1:
		return &FieldError{Field: "jaccard", Message: "Enter a similarity between 0.01 and 1"}
	case t.Containment <= 0 || t.Containment > 1:
		return &FieldError{Field: "containment", Message: "Enter a containment between 0.01 and 1"}
	case t.MinWords < 1:
		return &FieldError{Field: "min-words", Message: "Enter a whole number of words, 1 or more"}
	case t.MinMembers < 2:
		return &FieldError{Field: "min-members", Message: "Enter a campaign size of 2 or more"}
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		err := q.UpsertCampaignSettings(ctx, db.UpsertCampaignSettingsParams{ConsultationID: consultationID,
			Jaccard: float32(t.Jaccard), Containment: float32(t.Containment), MinWords: int32(t.MinWords), MinMembers: int32(t.MinMembers)})
		if err != nil {
			return fmt.Errorf("campaign: set thresholds: %w", err)
		}
		e := by
		e.Action, e.ConsultationID, e.RecordType, e.RecordID = ActionThresholds, &consultationID, "consultation", fmt.Sprint(consultationID)
		e.Detail = map[string]any{"jaccard": t.Jaccard, "containment": t.Containment, "min_words": t.MinWords, "min_members": t.MinMembers}
		return audit.Record(ctx, q, e)
	})
}
