package coding

import (
	"context"
	"fmt"

	"heard/internal/db"
)

// Count is one cell of the code counts: answers (or letter segments,
// Segment true) with a code, by position, group and channel.
type Count struct {
	CodeID   int32
	Segment  bool
	Position string
	GroupID  int32 // 0: group not known
	Channel  string
	N        int64
}

// Counts reads the code counts of a consultation under a filter (empty
// slices: all groups, all channels). This is the one aggregation path
// for code counts: pages and codes.csv read it.
func (s *Service) Counts(ctx context.Context, consultationID int64, groupIDs []int32, channels []string) ([]Count, error) {
	if groupIDs == nil {
		groupIDs = []int32{}
	}
	if channels == nil {
		channels = []string{}
	}
	rows, err := db.New(s.Pool).CodeCounts(ctx, db.CodeCountsParams{ConsultationID: consultationID, GroupIds: groupIDs, Channels: channels})
	if err != nil {
		return nil, fmt.Errorf("coding: code counts: %w", err)
	}
	out := make([]Count, len(rows))
	for i, r := range rows {
		out[i] = Count{CodeID: r.CodeID, Segment: r.Segment, Position: r.Position, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N}
	}
	return out, nil
}

// Recount counts straight from the current codes, for checking the
// summary the counts are read from.
func (s *Service) Recount(ctx context.Context, consultationID int64) ([]Count, error) {
	rows, err := db.New(s.Pool).RecountCodes(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("coding: recount codes: %w", err)
	}
	out := make([]Count, len(rows))
	for i, r := range rows {
		out[i] = Count{CodeID: r.CodeID, Segment: r.Segment, Position: r.Position, GroupID: r.RespondentGroupID, Channel: string(r.Channel), N: r.N}
	}
	return out, nil
}

// CodeTotal is one code's count with its breakdowns.
type CodeTotal struct {
	Code       *Code
	N          int64 // answers (or segments) with the code
	ByPosition map[string]int64
	ByGroup    map[int32]int64
	ByChannel  map[string]int64
}

// Totals sums counts into one total per code of the frame, in the
// frame's reading order (retired codes with no count left out).
func Totals(cf *Codeframe, counts []Count) []CodeTotal {
	idx := map[int32]*CodeTotal{}
	var out []CodeTotal
	for _, c := range cf.Codes {
		out = append(out, CodeTotal{Code: c, ByPosition: map[string]int64{}, ByGroup: map[int32]int64{}, ByChannel: map[string]int64{}})
	}
	for i := range out {
		idx[out[i].Code.ID] = &out[i]
	}
	for _, n := range counts {
		t := idx[n.CodeID]
		if t == nil {
			continue
		}
		t.N += n.N
		t.ByPosition[n.Position] += n.N
		t.ByGroup[n.GroupID] += n.N
		t.ByChannel[n.Channel] += n.N
	}
	kept := out[:0]
	for _, t := range out {
		if t.Code.Retired && t.N == 0 {
			continue
		}
		kept = append(kept, t)
	}
	return kept
}
