package coding

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

// ErrNotFinished: the sample's codes stay hidden until both coders finish.
var ErrNotFinished = errors.New("coding: the sample is not finished")

// CodeAgreement is the agreement on one code.
type CodeAgreement struct {
	Code  *Code
	Table Binary
}

// Disagreement is an answer and code one coder applied and the other did not.
type Disagreement struct {
	ResponseID int64
	Text       string
	GroupID    int32
	Code       *Code
	A, B       *Applied // what each coder did (nil: did not apply it)
	Resolution *Resolution
}

// Resolution is a third person's decision on a disagreement.
type Resolution struct {
	Present  bool
	Position string
	By       string
}

// Report is a finished sample's agreement.
type Report struct {
	Sample        Sample
	Codes         []CodeAgreement // codes either coder used, in codeframe order
	Overall       Binary          // every answer-and-code decision of those codes, pooled
	Disagreements []Disagreement
	// Agreed is, per answer, the codes both coders applied: the position
	// where they gave the same one, none where they differed.
	Agreed map[int64][]Applied
}

// Agreement compares the two coders of a finished sample. Codes that
// neither coder used on any answer are left out of the per-code list and
// the pooled figure (they would only add agreement on absence).
func (s *Service) Agreement(ctx context.Context, consultationID, sampleID int64) (*Report, error) {
	q := db.New(s.Pool)
	sm, err := sample(ctx, q, consultationID, sampleID)
	if err != nil {
		return nil, err
	}
	if !sm.Finished() {
		return nil, ErrNotFinished
	}
	cf, err := codeframe(ctx, q, consultationID, Frame{QuestionID: sm.QuestionID})
	if err != nil {
		return nil, err
	}
	rows, err := q.AllSampleCodes(ctx, sampleID)
	if err != nil {
		return nil, fmt.Errorf("coding: sample codes: %w", err)
	}
	answers, err := q.SampleAnswerTexts(ctx, db.SampleAnswerTextsParams{SampleID: sampleID, QuestionID: sm.QuestionID})
	if err != nil {
		return nil, fmt.Errorf("coding: sample answers: %w", err)
	}
	res, err := q.SampleResolutions(ctx, sampleID)
	if err != nil {
		return nil, fmt.Errorf("coding: resolutions: %w", err)
	}
	type key struct {
		resp int64
		code int32
	}
	a, b := sm.Coders[0].UserID, sm.Coders[1].UserID
	byA, byB := map[key]*Applied{}, map[key]*Applied{}
	used := map[int32]bool{}
	for _, r := range rows {
		ap := &Applied{CodeID: r.CodeID, Position: r.Position}
		if r.ExcerptStart != nil && r.ExcerptEnd != nil {
			ap.Excerpt = &Excerpt{Start: int(*r.ExcerptStart), End: int(*r.ExcerptEnd)}
		}
		switch r.UserID {
		case a:
			byA[key{r.ResponseID, r.CodeID}] = ap
		case b:
			byB[key{r.ResponseID, r.CodeID}] = ap
		}
		used[r.CodeID] = true
	}
	resolved := map[key]*Resolution{}
	for _, r := range res {
		resolved[key{r.ResponseID, r.CodeID}] = &Resolution{Present: r.Present, Position: r.Position, By: r.Email}
	}
	rep := &Report{Sample: sm, Agreed: map[int64][]Applied{}}
	for _, c := range cf.Codes {
		if !used[c.ID] {
			continue
		}
		ca := CodeAgreement{Code: c}
		for _, an := range answers {
			k := key{an.ResponseID, c.ID}
			pa, pb := byA[k], byB[k]
			switch {
			case pa != nil && pb != nil:
				ca.Table.Both++
				agreed := Applied{CodeID: c.ID}
				if pa.Position == pb.Position {
					agreed.Position = pa.Position
				}
				rep.Agreed[an.ResponseID] = append(rep.Agreed[an.ResponseID], agreed)
			case pa != nil:
				ca.Table.OnlyA++
			case pb != nil:
				ca.Table.OnlyB++
			default:
				ca.Table.Neither++
			}
			if (pa == nil) != (pb == nil) {
				d := Disagreement{ResponseID: an.ResponseID, Text: an.Text, Code: c, A: pa, B: pb, Resolution: resolved[k]}
				if an.RespondentGroupID != nil {
					d.GroupID = *an.RespondentGroupID
				}
				rep.Disagreements = append(rep.Disagreements, d)
			}
		}
		rep.Codes = append(rep.Codes, ca)
		rep.Overall = rep.Overall.Add(ca.Table)
	}
	slices.SortStableFunc(rep.Disagreements, func(x, y Disagreement) int {
		if x.ResponseID != y.ResponseID {
			if x.ResponseID < y.ResponseID {
				return -1
			}
			return 1
		}
		return 0
	})
	return rep, nil
}

// Resolve records a third person's decision on a disagreement, and makes
// it the answer's coding: the code is applied (with the position chosen)
// or removed, as events with reason "resolution". The codes both coders
// applied to the answer are applied with it (reason "agreed"), so the
// resolver decides only what the coders disagreed on; a code the
// answer's coding already has is left as it is, whoever applied it. The
// coders' own events stay in history. The coders themselves may not
// resolve.
func (s *Service) Resolve(ctx context.Context, by accounts.Actor, consultationID, sampleID, responseID int64, codeID int32, present bool, position string) error {
	if position != "" && !slices.Contains(Positions, position) {
		return &ValidationError{Field: "position", Message: "Choose supports, opposes or neutral or mixed"}
	}
	rep, err := s.Agreement(ctx, consultationID, sampleID)
	if err != nil {
		return err
	}
	if by.User == nil || rep.Sample.IsCoder(by.User.ID) {
		return &ValidationError{Field: "resolution", Message: "A disagreement is resolved by a third person, not by one of the two coders"}
	}
	i := slices.IndexFunc(rep.Disagreements, func(d Disagreement) bool { return d.ResponseID == responseID && d.Code.ID == codeID })
	if i < 0 {
		return ErrNotFound
	}
	if rep.Disagreements[i].Resolution != nil {
		return &ValidationError{Field: "resolution", Message: "This disagreement has already been resolved by " + rep.Disagreements[i].Resolution.By}
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if err := q.InsertResolution(ctx, db.InsertResolutionParams{SampleID: sampleID, ResponseID: responseID, CodeID: codeID,
			Present: present, Position: position, ResolvedBy: by.User.ID}); err != nil {
			if isUnique(err) {
				return &ValidationError{Field: "resolution", Message: "Someone else has just resolved this disagreement"}
			}
			return fmt.Errorf("coding: resolve: %w", err)
		}
		u := Unit{ResponseID: responseID, QuestionID: rep.Sample.QuestionID}
		before, err := lockState(ctx, q, consultationID, u)
		if err != nil {
			return err
		}
		w := writer{ctx: ctx, q: q, by: by, consultationID: consultationID, unit: u, reason: "resolution"}
		old, had := before.Has(codeID)
		count := len(before.Codes)
		switch {
		case present && (!had || old.Position != position):
			if err := w.applyCode(Applied{CodeID: codeID, Position: position}); err != nil {
				return err
			}
			if !had {
				count++
			}
		case !present && had:
			if err := w.removeCode(old); err != nil {
				return err
			}
			count--
		}
		agreed := writer{ctx: ctx, q: q, by: by, consultationID: consultationID, unit: u, reason: "agreed"}
		for _, a := range rep.Agreed[responseID] {
			if _, had := before.Has(a.CodeID); had {
				continue
			}
			if err := agreed.applyCode(a); err != nil {
				return err
			}
			count++
		}
		noCode := before.NoCode && count == 0
		if err := w.saveState(count, Change{NoCode: noCode, QuoteWorthy: before.QuoteWorthy, EvidenceRich: before.EvidenceRich, Note: before.Note}); err != nil {
			return err
		}
		e := by.Entry(AuditResolved)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "response", strconv.FormatInt(responseID, 10)
		e.Detail = map[string]any{"sample_id": sampleID, "code_id": codeID, "present": present, "position": position}
		return audit.Record(ctx, q, e)
	})
}
