package results

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
)

// ErrResponseNotFound: no response of the consultation has that id.
var ErrResponseNotFound = errors.New("results: response not found")

// Response is one response whole, as an analyst reads it.
type Response struct {
	ID           int64
	Ref          string
	Channel      string
	GroupID      int32  // 0: group not known
	Organisation string // "" for an individual
	OnBehalf     bool
	Received     time.Time
	EventID      int64
	EventName    string
	Consent      string // webform publication answer: yes, no or ""
	BatchID      int64
	BatchFile    string
	// Answers in question order.
	Answers []ResponseAnswer
	// Emails and letters: the whole text, and its segments in text order.
	Letter   bool
	Sender   string
	Subject  string
	Segments []Segment
	// Added is a campaign member's added text, once an analyst opened it
	// for coding (#15), with its own coding; nil otherwise.
	Added *AddedText
}

// AddedText is the words a campaign member added to the campaign text,
// coded as a unit of its own with QuestionCode's codeframe.
type AddedText struct {
	ID           int64
	Text         string
	QuestionCode string
	Coding       Coding
}

// ResponseAnswer is one answer with its coding.
type ResponseAnswer struct {
	Question *consultation.Question
	Option   *consultation.Option // closed and equality questions
	Text     string               // open questions
	Coding   Coding
}

// Segment is a run of a letter's text and what it is attributed to.
// Text == "" never happens for attributed runs; Plain runs are the
// text between segments.
type Segment struct {
	Text     string
	Plain    bool
	Question *consultation.Question
	Theme    *consultation.Theme
	How      string
	Coding   Coding
}

// Coding is what analysts recorded about an answer or segment.
type Coding struct {
	Codes                   []CodeApplied
	Quote, Evidence, NoCode bool
	Note                    string
}

// CodeApplied is a code on an answer, with its stance.
type CodeApplied struct {
	Code, Name, Position string
}

// Response returns response id of c.
func (s *Service) Response(ctx context.Context, c *consultation.Consultation, id int64) (*Response, error) {
	q := db.New(s.Pool)
	row, err := q.ResponseDetail(ctx, db.ResponseDetailParams{ID: id, ConsultationID: c.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrResponseNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("results: response %d: %w", id, err)
	}
	r := &Response{
		ID: row.ID, Ref: row.SourceRef, Channel: string(row.Channel), Received: row.ReceivedAt,
		OnBehalf: row.OnBehalfOfOrg, Organisation: row.Organisation, EventName: row.EventName,
		Consent: row.PublicationConsent, BatchFile: row.BatchFile,
		Letter: row.HasSource, Sender: row.SenderName, Subject: row.Subject,
	}
	if row.RespondentGroupID != nil {
		r.GroupID = *row.RespondentGroupID
	}
	if row.EventID != nil {
		r.EventID = *row.EventID
	}
	if row.BatchID != nil {
		r.BatchID = *row.BatchID
	}
	codes, err := q.ResponseCodeList(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("results: codes of response %d: %w", id, err)
	}
	states, err := q.ResponseStateList(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("results: coding of response %d: %w", id, err)
	}
	// Coding by unit: question id for answers, -segment id for segments,
	// addedKey for the added text.
	const addedKey = math.MinInt64
	coding := map[int64]*Coding{}
	unit := func(qid *int32, sid, aid *int64) *Coding {
		k := int64(0)
		switch {
		case qid != nil:
			k = int64(*qid)
		case sid != nil:
			k = -*sid
		case aid != nil:
			k = addedKey
		}
		if coding[k] == nil {
			coding[k] = &Coding{}
		}
		return coding[k]
	}
	for _, cd := range codes {
		u := unit(cd.QuestionID, cd.SegmentID, cd.AddedID)
		u.Codes = append(u.Codes, CodeApplied{Code: cd.Code, Name: cd.Name, Position: cd.Position})
	}
	for _, st := range states {
		u := unit(st.QuestionID, st.SegmentID, st.AddedID)
		u.Quote, u.Evidence, u.NoCode, u.Note = st.QuoteWorthy, st.EvidenceRich, st.NoCode, st.Note
	}
	get := func(k int64) Coding {
		if c := coding[k]; c != nil {
			return *c
		}
		return Coding{}
	}
	answers, err := q.ResponseAnswerList(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("results: answers of response %d: %w", id, err)
	}
	byQuestion := map[int32]db.ResponseAnswerListRow{}
	for _, a := range answers {
		byQuestion[a.QuestionID] = a
	}
	for _, qu := range c.Questions {
		a, ok := byQuestion[qu.ID]
		if !ok {
			continue
		}
		ra := ResponseAnswer{Question: qu, Coding: get(int64(qu.ID))}
		if a.Text != nil {
			ra.Text = *a.Text
		}
		if a.OptionID != nil && qu.Scale != nil {
			for _, o := range qu.Scale.Options {
				if o.ID == *a.OptionID {
					ra.Option = o
				}
			}
		}
		r.Answers = append(r.Answers, ra)
	}
	if a, err := q.ResponseAddedText(ctx, id); err == nil {
		r.Added = &AddedText{ID: a.ID, Text: a.Text, QuestionCode: a.QuestionCode, Coding: get(addedKey)}
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("results: added text of response %d: %w", id, err)
	}
	if r.Letter {
		segs, err := q.ResponseSegmentList(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("results: segments of response %d: %w", id, err)
		}
		r.Segments = splitLetter(c, row.FullText, segs, get)
	}
	return r, nil
}

// splitLetter cuts a letter's text into its segments and the plain runs
// between them. Offsets count characters, as PostgreSQL's substring does.
func splitLetter(c *consultation.Consultation, text string, segs []db.ResponseSegmentListRow, coding func(int64) Coding) []Segment {
	runes := []rune(text)
	var out []Segment
	at := 0
	clamp := func(n int32) int { return min(max(int(n), 0), len(runes)) }
	for _, sg := range segs {
		start, end := clamp(sg.StartOffset), clamp(sg.EndOffset)
		if start < at {
			start = at // overlapping segments: show each character once
		}
		if start > at {
			out = append(out, Segment{Text: string(runes[at:start]), Plain: true})
		}
		if end <= start {
			continue
		}
		s := Segment{Text: string(runes[start:end]), How: sg.How, Coding: coding(-sg.ID)}
		for _, qu := range c.Questions {
			if sg.QuestionID != nil && qu.ID == *sg.QuestionID {
				s.Question = qu
			}
		}
		for _, t := range c.Themes {
			if sg.ThemeID != nil && t.ID == *sg.ThemeID {
				s.Theme = t
			}
		}
		out = append(out, s)
		at = end
	}
	if at < len(runes) {
		out = append(out, Segment{Text: string(runes[at:]), Plain: true})
	}
	return out
}

// Neighbours returns the responses before and after position at (from 1)
// in q's answer list under f and sort: 0 where there is none.
func (s *Service) Neighbours(ctx context.Context, c *consultation.Consultation, q *consultation.Question, f Filter, sort string, at int) (prev, next int64, err error) {
	if at < 1 || at > MaxPage*PageSize {
		return 0, 0, nil
	}
	from, unlock := s.listFacts(c, f, int64(max(at-2, 0)))
	defer unlock()
	err = s.listTx(ctx, func(qs *db.Queries) error {
		offset, limit := int64(max(at-2, 0)), 3
		if at == 1 {
			limit = 2
		}
		l, err := s.readList(ctx, qs, from, c, q, f, sort, offset, limit, "")
		if err != nil {
			return err
		}
		ids := make([]int64, len(l.rows))
		for i, r := range l.rows {
			ids[i] = r.ResponseID
		}
		prev, next, _ = neighbours(ids, at)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("results: neighbours in %s: %w", q.Code, err)
	}
	return prev, next, nil
}
