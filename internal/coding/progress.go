package coding

import (
	"context"
	"fmt"

	"heard/internal/db"
)

// CoderCount is how many answers one analyst coded.
type CoderCount struct {
	Email string
	N     int64
}

// Progress is how far coding has got in a consultation.
type Progress struct {
	// Coded answers per question, and coded letter segments per theme:
	// coded means with at least one code, or marked "no code applies".
	ByQuestion map[int32]int64
	ByTheme    map[int32]int64
	// Letter segments attributed to each theme (the base for themes).
	Segments map[int32]int64
}

// Progress reads a consultation's coding progress: the overview shows it
// on every request, so it reads only summaries (coded units from
// coding_progress, 000029). Who coded what is Coders (coder_counts,
// 000033), for the pages that show it.
func (s *Service) Progress(ctx context.Context, consultationID int64) (Progress, error) {
	q := db.New(s.Pool)
	p := Progress{ByQuestion: map[int32]int64{}, ByTheme: map[int32]int64{}, Segments: map[int32]int64{}}
	rows, err := q.CodedAnswers(ctx, consultationID)
	if err != nil {
		return p, fmt.Errorf("coding: progress: %w", err)
	}
	for _, r := range rows {
		if r.ThemeID != 0 {
			p.ByTheme[r.ThemeID] = r.N
		} else {
			p.ByQuestion[r.QuestionID] = r.N
		}
	}
	segs, err := q.ThemeSegmentCounts(ctx, db.ThemeSegmentCountsParams{ConsultationID: consultationID, GroupIds: []int32{}, Channels: []string{}})
	if err != nil {
		return p, fmt.Errorf("coding: segments: %w", err)
	}
	for _, r := range segs {
		p.Segments[r.ThemeID] = r.N
	}
	return p, nil
}

// SegmentBase counts letter segments per theme under a filter: the base
// of a theme's code counts.
func (s *Service) SegmentBase(ctx context.Context, consultationID int64, groupIDs []int32, channels []string) (map[int32]int64, error) {
	if groupIDs == nil {
		groupIDs = []int32{}
	}
	if channels == nil {
		channels = []string{}
	}
	rows, err := db.New(s.Pool).ThemeSegmentCounts(ctx, db.ThemeSegmentCountsParams{ConsultationID: consultationID, GroupIds: groupIDs, Channels: channels})
	if err != nil {
		return nil, fmt.Errorf("coding: segments: %w", err)
	}
	out := map[int32]int64{}
	for _, r := range rows {
		out[r.ThemeID] = r.N
	}
	return out, nil
}

// CodedAnswers counts a question's coded answers (from coding_progress).
func (s *Service) CodedAnswers(ctx context.Context, consultationID int64, questionID int32) (int64, error) {
	n, err := db.New(s.Pool).CountCodedAnswers(ctx, db.CountCodedAnswersParams{ConsultationID: consultationID, QuestionID: questionID})
	if err != nil {
		return 0, fmt.Errorf("coding: coded answers: %w", err)
	}
	return n, nil
}

// Coders reads who coded how many answers per question (main coding,
// by analysts): an answer counts once for each analyst who applied a code
// to it or marked "no code applies". It reads the coder_counts summary
// kept by triggers on coding_events (000033), not the events.
func (s *Service) Coders(ctx context.Context, consultationID int64) (map[int32][]CoderCount, error) {
	rows, err := db.New(s.Pool).CodersByQuestion(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("coding: coders: %w", err)
	}
	out := map[int32][]CoderCount{}
	for _, r := range rows {
		out[r.QuestionID] = append(out[r.QuestionID], CoderCount{Email: r.Email, N: r.N})
	}
	return out, nil
}

// QuestionCoders reads who coded how many of one question's answers.
func (s *Service) QuestionCoders(ctx context.Context, questionID int32) ([]CoderCount, error) {
	rows, err := db.New(s.Pool).CodersForQuestion(ctx, questionID)
	if err != nil {
		return nil, fmt.Errorf("coding: coders: %w", err)
	}
	var out []CoderCount
	for _, r := range rows {
		out = append(out, CoderCount{Email: r.Email, N: r.N})
	}
	return out, nil
}
