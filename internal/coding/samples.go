package coding

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

// Sample is a double-coding sample: a share of a question's answers
// coded independently by two analysts.
type Sample struct {
	ID           int64
	QuestionID   int32
	QuestionCode string
	SharePercent int32
	Size         int
	Created      time.Time
	Coders       []Coder // slot 1 and 2
}

// Coder is one of a sample's two coders and how far they have got.
type Coder struct {
	UserID int64
	Email  string
	Done   int
}

// Finished reports whether both coders have finished every answer: only
// then may anyone see their codes side by side.
func (s Sample) Finished() bool {
	if len(s.Coders) != 2 {
		return false
	}
	for _, c := range s.Coders {
		if c.Done < s.Size {
			return false
		}
	}
	return true
}

// IsCoder reports whether user codes this sample.
func (s Sample) IsCoder(userID int64) bool {
	return slices.ContainsFunc(s.Coders, func(c Coder) bool { return c.UserID == userID })
}

// CreateSample draws share percent (rounded up) of a question's answers
// for two analysts to code independently.
func (s *Service) CreateSample(ctx context.Context, by accounts.Actor, consultationID int64, questionID int32, share int, coderA, coderB accounts.User) (int64, error) {
	switch {
	case share < 1 || share > 100:
		return 0, &ValidationError{Field: "share", Message: "Enter a share between 1 and 100 percent"}
	case coderA.ID == 0 || coderB.ID == 0:
		return 0, &ValidationError{Field: "coder_a", Message: "Choose two analysts"}
	case coderA.ID == coderB.ID:
		return 0, &ValidationError{Field: "coder_a", Message: "Choose two different analysts: agreement is between two people"}
	case !coderA.Role.AtLeast(accounts.Analyst) || !coderB.Role.AtLeast(accounts.Analyst) || coderA.Disabled || coderB.Disabled:
		return 0, &ValidationError{Field: "coder_a", Message: "Both coders must be active analysts or admins"}
	}
	var id int64
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		answered, err := q.CountOpenAnswers(ctx, questionID)
		if err != nil {
			return fmt.Errorf("coding: count answers: %w", err)
		}
		var creator *int64
		if by.User != nil {
			creator = &by.User.ID
		}
		id, err = q.CreateSample(ctx, db.CreateSampleParams{ConsultationID: consultationID, QuestionID: questionID, SharePercent: int32(share), CreatedBy: creator})
		if err != nil {
			return fmt.Errorf("coding: create sample: %w", err)
		}
		for slot, u := range []accounts.User{coderA, coderB} {
			if err := q.AddSampleCoder(ctx, db.AddSampleCoderParams{SampleID: id, Slot: int16(slot + 1), UserID: u.ID}); err != nil {
				return fmt.Errorf("coding: sample coder: %w", err)
			}
		}
		size := (int64(share)*answered + 99) / 100
		n, err := q.DrawSample(ctx, db.DrawSampleParams{SampleID: id, QuestionID: questionID, Size: int32(size)})
		if err != nil {
			return fmt.Errorf("coding: draw sample: %w", err)
		}
		if n == 0 {
			return &ValidationError{Field: "question", Message: "This question has no answers to sample yet"}
		}
		if err := q.SetSampleSize(ctx, db.SetSampleSizeParams{ID: id, Size: int32(n)}); err != nil {
			return fmt.Errorf("coding: sample size: %w", err)
		}
		e := by.Entry(AuditSampleCreated)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "coding_sample", strconv.FormatInt(id, 10)
		e.Detail = map[string]any{"question_id": questionID, "share_percent": share, "size": n, "coders": []string{coderA.Email, coderB.Email}}
		return audit.Record(ctx, q, e)
	})
	return id, err
}

func sampleFrom(r db.GetSampleRow, coders []db.SampleCodersRow) Sample {
	s := Sample{ID: r.ID, QuestionID: r.QuestionID, QuestionCode: r.QuestionCode, SharePercent: r.SharePercent, Size: int(r.Size), Created: r.CreatedAt}
	for _, c := range coders {
		s.Coders = append(s.Coders, Coder{UserID: c.UserID, Email: c.Email, Done: int(c.Done)})
	}
	return s
}

// Samples lists a consultation's samples, newest first.
func (s *Service) Samples(ctx context.Context, consultationID int64) ([]Sample, error) {
	q := db.New(s.Pool)
	rows, err := q.ListSamples(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("coding: samples: %w", err)
	}
	out := make([]Sample, 0, len(rows))
	for _, r := range rows {
		coders, err := q.SampleCoders(ctx, r.ID)
		if err != nil {
			return nil, fmt.Errorf("coding: sample coders: %w", err)
		}
		out = append(out, sampleFrom(db.GetSampleRow(r), coders))
	}
	return out, nil
}

// Sample returns one sample.
func (s *Service) Sample(ctx context.Context, consultationID, id int64) (Sample, error) {
	return sample(ctx, db.New(s.Pool), consultationID, id)
}

func sample(ctx context.Context, q *db.Queries, consultationID, id int64) (Sample, error) {
	r, err := q.GetSample(ctx, db.GetSampleParams{ConsultationID: consultationID, ID: id})
	if errors.Is(err, pgx.ErrNoRows) {
		return Sample{}, ErrNotFound
	}
	if err != nil {
		return Sample{}, fmt.Errorf("coding: sample %d: %w", id, err)
	}
	coders, err := q.SampleCoders(ctx, id)
	if err != nil {
		return Sample{}, fmt.Errorf("coding: sample coders: %w", err)
	}
	return sampleFrom(r, coders), nil
}

// CoderState is one coder's codes on one answer of a sample.
func (s *Service) CoderState(ctx context.Context, sampleID, responseID, userID int64) ([]Applied, error) {
	rows, err := db.New(s.Pool).CoderSampleCodes(ctx, db.CoderSampleCodesParams{SampleID: sampleID, ResponseID: responseID, UserID: userID})
	if err != nil {
		return nil, fmt.Errorf("coding: sample codes: %w", err)
	}
	out := make([]Applied, len(rows))
	for i, r := range rows {
		out[i] = Applied{CodeID: r.CodeID, Position: r.Position}
		if r.ExcerptStart != nil && r.ExcerptEnd != nil {
			out[i].Excerpt = &Excerpt{Start: int(*r.ExcerptStart), End: int(*r.ExcerptEnd)}
		}
	}
	return out, nil
}

// NextInSample returns the coder's next unfinished answer of the sample
// (wrapping round), other than skip; 0 when they have finished.
func (s *Service) NextInSample(ctx context.Context, sampleID, userID, after, skip int64) (int64, error) {
	q := db.New(s.Pool)
	for _, from := range []int64{after, 0} {
		id, err := q.NextSampleAnswer(ctx, db.NextSampleAnswerParams{SampleID: sampleID, After: from, Skip: skip, UserID: userID})
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("coding: next sample answer: %w", err)
		}
		return id, nil
	}
	return 0, nil
}

// SaveSample stores one coder's independent coding of one answer of the
// sample and marks it finished for them. Their codes go to the sample
// only, never to the answer's own coding.
func (s *Service) SaveSample(ctx context.Context, by accounts.Actor, consultationID, sampleID, responseID int64, codes []Applied) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		sm, err := sample(ctx, q, consultationID, sampleID)
		if err != nil {
			return err
		}
		if by.User == nil || !sm.IsCoder(by.User.ID) {
			return ErrForbidden
		}
		in, err := q.InSample(ctx, db.InSampleParams{SampleID: sampleID, ResponseID: responseID})
		if err != nil {
			return fmt.Errorf("coding: sample: %w", err)
		}
		if !in {
			return ErrNotFound
		}
		u := Unit{ResponseID: responseID, QuestionID: sm.QuestionID}
		a, err := answer(ctx, q, consultationID, u)
		if err != nil {
			return err
		}
		cf, err := codeframe(ctx, q, consultationID, Frame{QuestionID: sm.QuestionID})
		if err != nil {
			return err
		}
		rows, err := q.CoderSampleCodes(ctx, db.CoderSampleCodesParams{SampleID: sampleID, ResponseID: responseID, UserID: by.User.ID})
		if err != nil {
			return fmt.Errorf("coding: sample codes: %w", err)
		}
		var before State
		for _, r := range rows {
			before.Codes = append(before.Codes, Applied{CodeID: r.CodeID, Position: r.Position})
		}
		if sm.Finished() {
			// The same save sent twice (a double click, or Enter pressed
			// as the page changes) is not an error: only a change is.
			if sameSampleCodes(before, codes) {
				return nil
			}
			return &ValidationError{Field: "sample", Message: "Both coders have finished this sample, so its codes can no longer change"}
		}
		if err := checkCodes(cf, a.Text, before, codes); err != nil {
			return err
		}
		w := writer{ctx: ctx, q: q, by: by, consultationID: consultationID, unit: u, sampleID: sampleID}
		var added, removed []string
		for _, ap := range codes {
			old, had := before.Has(ap.CodeID)
			if had && old.Position == ap.Position && sameExcerpt(old.Excerpt, ap.Excerpt) {
				continue
			}
			start, end := excerptParams(ap.Excerpt)
			id, err := w.event(db.InsertCodingEventParams{Action: "apply", CodeID: &ap.CodeID, Position: ap.Position, ExcerptStart: start, ExcerptEnd: end})
			if err != nil {
				return err
			}
			if err := q.UpsertSampleCode(ctx, db.UpsertSampleCodeParams{SampleID: sampleID, ResponseID: responseID, UserID: by.User.ID,
				CodeID: ap.CodeID, Position: ap.Position, ExcerptStart: start, ExcerptEnd: end, EventID: id}); err != nil {
				return fmt.Errorf("coding: sample code: %w", err)
			}
			added = append(added, cf.Get(ap.CodeID).Key)
		}
		for _, old := range before.Codes {
			if _, keep := (State{Codes: codes}).Has(old.CodeID); keep {
				continue
			}
			if _, err := w.event(db.InsertCodingEventParams{Action: "remove", CodeID: &old.CodeID, Position: old.Position}); err != nil {
				return err
			}
			if err := q.DeleteSampleCode(ctx, db.DeleteSampleCodeParams{SampleID: sampleID, ResponseID: responseID, UserID: by.User.ID, CodeID: old.CodeID}); err != nil {
				return fmt.Errorf("coding: sample code: %w", err)
			}
			removed = append(removed, strconv.Itoa(int(old.CodeID)))
		}
		if err := q.MarkSampleDone(ctx, db.MarkSampleDoneParams{SampleID: sampleID, ResponseID: responseID, UserID: by.User.ID}); err != nil {
			return fmt.Errorf("coding: sample done: %w", err)
		}
		e := by.Entry(AuditSampleSaved)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "response", strconv.FormatInt(responseID, 10)
		e.Detail = map[string]any{"sample_id": sampleID, "added": added, "removed": removed}
		return audit.Record(ctx, q, e)
	})
}

// SampleAnswers lists the response ids of a sample's answers.
func (s *Service) SampleAnswers(ctx context.Context, sampleID int64) ([]int64, error) {
	ids, err := db.New(s.Pool).SampleAnswerIDs(ctx, sampleID)
	if err != nil {
		return nil, fmt.Errorf("coding: sample answers: %w", err)
	}
	return ids, nil
}

// sameSampleCodes reports whether codes are exactly the codes and
// positions a coder already gave (excerpts are not kept in a sample's
// comparison: agreement is on codes).
func sameSampleCodes(before State, codes []Applied) bool {
	if len(before.Codes) != len(codes) {
		return false
	}
	for _, ap := range codes {
		old, had := before.Has(ap.CodeID)
		if !had || old.Position != ap.Position {
			return false
		}
	}
	return true
}
