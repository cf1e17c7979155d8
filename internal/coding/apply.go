package coding

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/db"
)

// Excerpt is a highlighted part of a unit's text: character (rune)
// offsets into the stored text, End exclusive.
type Excerpt struct {
	Start, End int
}

// Applied is one code on a unit.
type Applied struct {
	CodeID   int32
	Position string   // supports, opposes, neutral or "" (not stated)
	Excerpt  *Excerpt // nil: the whole unit
}

// State is a unit's current coding.
type State struct {
	Codes        []Applied // by code id
	NoCode       bool      // an analyst said no code applies
	QuoteWorthy  bool
	EvidenceRich bool
	Note         string
	Version      int64 // 0: never coded
	UpdatedBy    string
	UpdatedAt    time.Time
}

// Coded reports whether the unit counts as coded: it has codes, or an
// analyst said none applies.
func (st State) Coded() bool { return len(st.Codes) > 0 || st.NoCode }

// Has returns the code as applied, if it is.
func (st State) Has(codeID int32) (Applied, bool) {
	for _, a := range st.Codes {
		if a.CodeID == codeID {
			return a, true
		}
	}
	return Applied{}, false
}

// Answer is an answer (or letter segment) as the coding screen shows it.
type Answer struct {
	Unit         Unit
	Text         string
	Channel      string
	GroupID      int32
	Organisation string
	// Consent is the respondent's answer to the publication question:
	// "yes", "no", or "" (not asked or not given).
	Consent string
	// CampaignID is, for a member's added text, the campaign whose text
	// it was compared with (0 once that campaign was merged away).
	CampaignID int64
}

// QuoteRefusal says why an answer may not be flagged quote-worthy, or "".
func (a Answer) QuoteRefusal() string {
	switch {
	case a.Consent == "yes":
		return ""
	case a.Consent == "no":
		return "The respondent did not agree to their response being published or quoted."
	case a.Channel == "webform":
		return "The respondent did not answer the question about publication, so their words may not be quoted."
	}
	return "There is no record of consent to publication for this " + channelNoun(a.Channel) + ", so it may not be quoted."
}

func channelNoun(ch string) string {
	switch ch {
	case "event":
		return "event response"
	case "email", "letter":
		return ch
	}
	return "response"
}

// Answer reads one answer to a question for coding.
func (s *Service) Answer(ctx context.Context, consultationID int64, questionID int32, responseID int64) (Answer, error) {
	return answer(ctx, db.New(s.Pool), consultationID, Unit{ResponseID: responseID, QuestionID: questionID})
}

func answer(ctx context.Context, q *db.Queries, consultationID int64, u Unit) (Answer, error) {
	if u.AddedID != 0 {
		return added(ctx, q, consultationID, u.AddedID)
	}
	if u.SegmentID != 0 {
		r, err := q.SegmentForCoding(ctx, db.SegmentForCodingParams{ID: u.SegmentID, ConsultationID: consultationID})
		if errors.Is(err, pgx.ErrNoRows) {
			return Answer{}, ErrNotFound
		}
		if err != nil {
			return Answer{}, fmt.Errorf("coding: segment %d: %w", u.SegmentID, err)
		}
		text := ""
		if start, end := int(r.StartOffset), int(r.EndOffset); start >= 0 && start <= end && end <= len(r.FullText) {
			text = strings.ToValidUTF8(r.FullText[start:end], "")
		}
		a := Answer{Unit: Unit{ResponseID: r.ResponseID, SegmentID: r.ID}, Text: text, Channel: string(r.Channel)}
		if r.RespondentGroupID != nil {
			a.GroupID = *r.RespondentGroupID
		}
		if r.OnBehalfOfOrg {
			a.Organisation = r.Organisation
		}
		return a, nil
	}
	r, err := q.AnswerForCoding(ctx, db.AnswerForCodingParams{QuestionID: u.QuestionID, ResponseID: u.ResponseID})
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && r.ConsultationID != consultationID) {
		return Answer{}, ErrNotFound
	}
	if err != nil {
		return Answer{}, fmt.Errorf("coding: answer %d/%d: %w", u.ResponseID, u.QuestionID, err)
	}
	a := Answer{Unit: u, Text: r.Text, Channel: string(r.Channel), Consent: r.PublicationConsent}
	if r.RespondentGroupID != nil {
		a.GroupID = *r.RespondentGroupID
	}
	if r.OnBehalfOfOrg {
		a.Organisation = r.Organisation
	}
	return a, nil
}

// State returns a unit's current coding.
func (s *Service) State(ctx context.Context, u Unit) (State, error) {
	return state(ctx, db.New(s.Pool), u, false)
}

func state(ctx context.Context, q *db.Queries, u Unit, lock bool) (State, error) {
	qid, sid, aid := u.params()
	var st db.UnitState
	var err error
	if lock {
		st, err = q.LockUnitState(ctx, db.LockUnitStateParams{ResponseID: u.ResponseID, QuestionID: qid, SegmentID: sid, AddedID: aid})
	} else {
		st, err = q.GetUnitState(ctx, db.GetUnitStateParams{ResponseID: u.ResponseID, QuestionID: qid, SegmentID: sid, AddedID: aid})
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("coding: state of response %d: %w", u.ResponseID, err)
	}
	out := State{NoCode: st.NoCode, QuoteWorthy: st.QuoteWorthy, EvidenceRich: st.EvidenceRich, Note: st.Note, Version: st.Version, UpdatedAt: st.UpdatedAt}
	if st.UpdatedBy != nil {
		out.UpdatedBy = strconv.FormatInt(*st.UpdatedBy, 10)
	}
	rows, err := q.ListUnitCodes(ctx, db.ListUnitCodesParams{ResponseID: u.ResponseID, QuestionID: qid, SegmentID: sid, AddedID: aid})
	if err != nil {
		return State{}, fmt.Errorf("coding: codes of response %d: %w", u.ResponseID, err)
	}
	for _, r := range rows {
		a := Applied{CodeID: r.CodeID, Position: r.Position}
		if r.ExcerptStart != nil && r.ExcerptEnd != nil {
			a.Excerpt = &Excerpt{Start: int(*r.ExcerptStart), End: int(*r.ExcerptEnd)}
		}
		out.Codes = append(out.Codes, a)
	}
	return out, nil
}

// Change is an analyst's save of one unit: the whole state they want,
// and the version they started from.
type Change struct {
	Unit         Unit
	Version      int64
	Codes        []Applied
	NoCode       bool
	QuoteWorthy  bool
	EvidenceRich bool
	Note         string
}

// checkCodes refuses codes outside the unit's frame, retired codes newly
// applied, unknown positions and excerpts outside the text.
func checkCodes(cf *Codeframe, text string, before State, codes []Applied) error {
	n := utf8.RuneCountInString(text)
	seen := map[int32]bool{}
	for _, a := range codes {
		c := cf.Get(a.CodeID)
		if c == nil {
			return &ValidationError{Field: "codes", Message: "A code chosen is not in this codeframe"}
		}
		if seen[a.CodeID] {
			return &ValidationError{Field: "codes", Message: fmt.Sprintf("“%s” was chosen twice", c.Name)}
		}
		seen[a.CodeID] = true
		if _, had := before.Has(a.CodeID); c.Retired && !had {
			return &ValidationError{Field: "codes", Message: fmt.Sprintf("“%s” is retired and can no longer be applied", c.Name)}
		}
		if a.Position != "" && !slices.Contains(Positions, a.Position) {
			return &ValidationError{Field: "position", Message: "Choose supports, opposes or neutral or mixed"}
		}
		if e := a.Excerpt; e != nil && (e.Start < 0 || e.End <= e.Start || e.End > n) {
			return &ValidationError{Field: "excerpt", Message: fmt.Sprintf("The excerpt for “%s” must lie within the text's %d characters, and end after it starts", c.Name, n)}
		}
	}
	return nil
}

func sameExcerpt(a, b *Excerpt) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Save stores an analyst's coding of one unit, as events, and returns
// the new state. It refuses (ConflictError) when the unit changed since
// the version the analyst started from; it refuses a quote-worthy flag
// the respondent's consent does not allow (ValidationError, field
// quote_worthy, giving the reason).
func (s *Service) Save(ctx context.Context, by accounts.Actor, consultationID int64, ch Change) (State, error) {
	if len(ch.Note) > 4000 {
		return State{}, &ValidationError{Field: "note", Message: "The note must be 4,000 characters or fewer"}
	}
	ch.Note = strings.TrimSpace(ch.Note)
	var out State
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		a, err := answer(ctx, q, consultationID, ch.Unit)
		if err != nil {
			return err
		}
		if ch.QuoteWorthy {
			if why := a.QuoteRefusal(); why != "" {
				return &ValidationError{Field: "quote_worthy", Message: "This answer cannot be flagged quote-worthy. " + why}
			}
		}
		before, err := lockState(ctx, q, consultationID, a.Unit)
		if err != nil {
			return err
		}
		if before.Version != ch.Version {
			// The same save sent twice (a double click or Enter) finds
			// what it asked for already there: that is not a conflict.
			if sameState(before, ch) {
				out = before
				return nil
			}
			return conflict(ctx, q, before)
		}
		f, err := frameOf(ctx, q, consultationID, a.Unit)
		if err != nil {
			return err
		}
		cf, err := codeframe(ctx, q, consultationID, f)
		if err != nil {
			return err
		}
		if err := checkCodes(cf, a.Text, before, ch.Codes); err != nil {
			return err
		}
		if len(ch.Codes) > 0 {
			ch.NoCode = false
		}
		w := writer{ctx: ctx, q: q, by: by, consultationID: consultationID, unit: a.Unit}
		detail, err := w.apply(before, ch, cf)
		if err != nil {
			return err
		}
		if len(detail) == 0 {
			out = before
			return nil
		}
		if err := w.saveState(len(ch.Codes), ch); err != nil {
			return err
		}
		e := by.Entry(AuditCodingSaved)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "response", strconv.FormatInt(a.Unit.ResponseID, 10)
		detail["question_id"], detail["segment_id"], detail["version"] = a.Unit.QuestionID, a.Unit.SegmentID, before.Version+1
		if a.Unit.AddedID != 0 {
			// Coding of a campaign member's added text (#15), told apart
			// from coding of the member's answers.
			detail["added_text_id"], detail["question_id"] = a.Unit.AddedID, f.QuestionID
		}
		e.Detail = detail
		if err := audit.Record(ctx, q, e); err != nil {
			return err
		}
		out, err = state(ctx, q, a.Unit, false)
		return err
	})
	return out, err
}

// sameState reports whether a change asks for exactly the state there is.
func sameState(st State, ch Change) bool {
	if len(st.Codes) != len(ch.Codes) || st.QuoteWorthy != ch.QuoteWorthy || st.EvidenceRich != ch.EvidenceRich ||
		st.Note != ch.Note || st.NoCode != (ch.NoCode && len(ch.Codes) == 0) {
		return false
	}
	for _, a := range ch.Codes {
		b, ok := st.Has(a.CodeID)
		if !ok || b.Position != a.Position || !sameExcerpt(a.Excerpt, b.Excerpt) {
			return false
		}
	}
	return true
}

// frameOf is the codeframe a unit is coded with: its question's, or for
// a letter segment, its question's if it has one and its theme's if not.
func frameOf(ctx context.Context, q *db.Queries, consultationID int64, u Unit) (Frame, error) {
	if u.AddedID != 0 {
		r, err := q.AddedForCoding(ctx, db.AddedForCodingParams{ID: u.AddedID, ConsultationID: consultationID})
		if err != nil {
			return Frame{}, fmt.Errorf("coding: added text %d: %w", u.AddedID, err)
		}
		return Frame{QuestionID: r.QuestionID}, nil
	}
	if u.SegmentID == 0 {
		return Frame{QuestionID: u.QuestionID}, nil
	}
	r, err := q.SegmentForCoding(ctx, db.SegmentForCodingParams{ID: u.SegmentID, ConsultationID: consultationID})
	if err != nil {
		return Frame{}, fmt.Errorf("coding: segment %d: %w", u.SegmentID, err)
	}
	switch {
	case r.QuestionID != nil:
		return Frame{QuestionID: *r.QuestionID}, nil
	case r.ThemeID != nil:
		return Frame{ThemeID: *r.ThemeID}, nil
	}
	return Frame{}, &ValidationError{Field: "segment", Message: "This part of the letter is not attributed to a question or theme yet: attribute it first"}
}

// lockState makes sure the unit has a state row and locks it.
func lockState(ctx context.Context, q *db.Queries, consultationID int64, u Unit) (State, error) {
	qid, sid, aid := u.params()
	var err error
	switch {
	case u.AddedID != 0:
		err = q.EnsureAddedState(ctx, db.EnsureAddedStateParams{ConsultationID: consultationID, ResponseID: u.ResponseID, AddedID: aid})
	case u.SegmentID != 0:
		err = q.EnsureSegmentState(ctx, db.EnsureSegmentStateParams{ConsultationID: consultationID, ResponseID: u.ResponseID, SegmentID: sid})
	default:
		err = q.EnsureAnswerState(ctx, db.EnsureAnswerStateParams{ConsultationID: consultationID, ResponseID: u.ResponseID, QuestionID: qid})
	}
	if err != nil {
		return State{}, fmt.Errorf("coding: state of response %d: %w", u.ResponseID, err)
	}
	return state(ctx, q, u, true)
}

func conflict(ctx context.Context, q *db.Queries, now State) error {
	by := "another analyst"
	if id, err := strconv.ParseInt(now.UpdatedBy, 10, 64); err == nil {
		if u, err := q.GetUser(ctx, id); err == nil {
			by = u.Email
		}
	}
	now.UpdatedBy = by
	return &ConflictError{Current: now, By: by}
}

// writer writes one unit's events and current state.
type writer struct {
	ctx            context.Context
	q              *db.Queries
	by             accounts.Actor
	consultationID int64
	unit           Unit
	sampleID       int64
	reason         string
	// origin, version and confidence of an accepted suggestion (empty
	// origin: the analyst's own act).
	origin, version string
	confidence      *float32
}

func (w writer) event(p db.InsertCodingEventParams) (int64, error) {
	p.ConsultationID, p.ResponseID = w.consultationID, w.unit.ResponseID
	p.QuestionID, p.SegmentID, p.AddedID = w.unit.params()
	if w.by.User != nil {
		p.UserID = &w.by.User.ID
	}
	p.Origin, p.Reason = "analyst", w.reason
	if w.origin != "" {
		p.Origin, p.OriginVersion, p.Confidence = w.origin, w.version, w.confidence
	}
	if w.sampleID != 0 {
		p.SampleID = &w.sampleID
	}
	id, err := w.q.InsertCodingEvent(w.ctx, p)
	if err != nil {
		return 0, fmt.Errorf("coding: event %s on response %d: %w", p.Action, w.unit.ResponseID, err)
	}
	return id, nil
}

func excerptParams(e *Excerpt) (*int32, *int32) {
	if e == nil {
		return nil, nil
	}
	return ptr(int32(e.Start)), ptr(int32(e.End))
}

// applyCode writes an apply event and the current row.
func (w writer) applyCode(a Applied) error {
	start, end := excerptParams(a.Excerpt)
	id, err := w.event(db.InsertCodingEventParams{Action: "apply", CodeID: &a.CodeID, Position: a.Position, ExcerptStart: start, ExcerptEnd: end})
	if err != nil {
		return err
	}
	switch {
	case w.unit.AddedID != 0:
		err = w.q.UpsertAddedCode(w.ctx, db.UpsertAddedCodeParams{ConsultationID: w.consultationID, ResponseID: w.unit.ResponseID,
			AddedID: &w.unit.AddedID, CodeID: a.CodeID, Position: a.Position, ExcerptStart: start, ExcerptEnd: end, EventID: id})
	case w.unit.SegmentID != 0:
		err = w.q.UpsertSegmentCode(w.ctx, db.UpsertSegmentCodeParams{ConsultationID: w.consultationID, ResponseID: w.unit.ResponseID,
			SegmentID: &w.unit.SegmentID, CodeID: a.CodeID, Position: a.Position, ExcerptStart: start, ExcerptEnd: end, EventID: id})
	default:
		err = w.q.UpsertUnitCode(w.ctx, db.UpsertUnitCodeParams{ConsultationID: w.consultationID, ResponseID: w.unit.ResponseID,
			QuestionID: &w.unit.QuestionID, CodeID: a.CodeID, Position: a.Position, ExcerptStart: start, ExcerptEnd: end, EventID: id})
	}
	if err != nil {
		return fmt.Errorf("coding: apply code %d to response %d: %w", a.CodeID, w.unit.ResponseID, err)
	}
	return nil
}

func (w writer) removeCode(a Applied) error {
	if _, err := w.event(db.InsertCodingEventParams{Action: "remove", CodeID: &a.CodeID, Position: a.Position}); err != nil {
		return err
	}
	qid, sid, aid := w.unit.params()
	if err := w.q.DeleteUnitCode(w.ctx, db.DeleteUnitCodeParams{ResponseID: w.unit.ResponseID, CodeID: a.CodeID, QuestionID: qid, SegmentID: sid, AddedID: aid}); err != nil {
		return fmt.Errorf("coding: remove code %d from response %d: %w", a.CodeID, w.unit.ResponseID, err)
	}
	return nil
}

// apply writes the events that take a unit from before to ch, and
// returns what changed for the audit log (empty: nothing did).
func (w writer) apply(before State, ch Change, cf *Codeframe) (map[string]any, error) {
	var added, removed, changed []string
	for _, a := range ch.Codes {
		old, had := before.Has(a.CodeID)
		if had && old.Position == a.Position && sameExcerpt(old.Excerpt, a.Excerpt) {
			continue
		}
		if err := w.applyCode(a); err != nil {
			return nil, err
		}
		if had {
			changed = append(changed, cf.Get(a.CodeID).Key)
		} else {
			added = append(added, cf.Get(a.CodeID).Key)
		}
	}
	for _, old := range before.Codes {
		if _, keep := (State{Codes: ch.Codes}).Has(old.CodeID); keep {
			continue
		}
		if err := w.removeCode(old); err != nil {
			return nil, err
		}
		key := strconv.Itoa(int(old.CodeID))
		if c := cf.Get(old.CodeID); c != nil {
			key = c.Key
		}
		removed = append(removed, key)
	}
	detail := map[string]any{}
	if len(added) > 0 {
		detail["added"] = added
	}
	if len(removed) > 0 {
		detail["removed"] = removed
	}
	if len(changed) > 0 {
		detail["changed"] = changed
	}
	if ch.NoCode != before.NoCode {
		action := "no_code"
		if !ch.NoCode {
			action = "undo_no_code"
		}
		if _, err := w.event(db.InsertCodingEventParams{Action: action}); err != nil {
			return nil, err
		}
		detail["no_code"] = ch.NoCode
	}
	for _, fl := range []struct {
		name      string
		was, want bool
	}{{"quote_worthy", before.QuoteWorthy, ch.QuoteWorthy}, {"evidence_rich", before.EvidenceRich, ch.EvidenceRich}} {
		if fl.was == fl.want {
			continue
		}
		action := "flag"
		if !fl.want {
			action = "unflag"
		}
		if _, err := w.event(db.InsertCodingEventParams{Action: action, Flag: fl.name}); err != nil {
			return nil, err
		}
		detail[fl.name] = fl.want
	}
	if ch.Note != before.Note {
		if _, err := w.event(db.InsertCodingEventParams{Action: "note", Note: ch.Note}); err != nil {
			return nil, err
		}
		detail["note"] = ch.Note
	}
	return detail, nil
}

func (w writer) saveState(codes int, ch Change) error {
	qid, sid, aid := w.unit.params()
	var by *int64
	if w.by.User != nil {
		by = &w.by.User.ID
	}
	err := w.q.SaveUnitState(w.ctx, db.SaveUnitStateParams{
		CodeCount: int32(codes), NoCode: ch.NoCode, QuoteWorthy: ch.QuoteWorthy, EvidenceRich: ch.EvidenceRich,
		Note: ch.Note, UpdatedBy: by, ResponseID: w.unit.ResponseID, QuestionID: qid, SegmentID: sid, AddedID: aid,
	})
	if err != nil {
		return fmt.Errorf("coding: save state of response %d: %w", w.unit.ResponseID, err)
	}
	return nil
}

// ApplyToMany applies one code (with a position) to many answers of a
// question at once. Answers that already have the code keep it as it is;
// the others' versions move on, so anyone editing them is told.
// It returns how many answers gained the code.
func (s *Service) ApplyToMany(ctx context.Context, by accounts.Actor, consultationID int64, questionID, codeID int32, position string, responseIDs []int64) (int, error) {
	if len(responseIDs) == 0 {
		return 0, &ValidationError{Field: "responses", Message: "Select at least one answer"}
	}
	if len(responseIDs) > 500 {
		return 0, &ValidationError{Field: "responses", Message: "Select 500 answers at most at a time"}
	}
	if position != "" && !slices.Contains(Positions, position) {
		return 0, &ValidationError{Field: "position", Message: "Choose supports, opposes or neutral or mixed"}
	}
	n := 0
	err := db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		cf, err := codeframe(ctx, q, consultationID, Frame{QuestionID: questionID})
		if err != nil {
			return err
		}
		c := cf.Get(codeID)
		if c == nil || c.Retired {
			return &ValidationError{Field: "code", Message: "Choose a code in use from this question's codeframe"}
		}
		ids := slices.Clone(responseIDs)
		slices.Sort(ids) // lock in one order: no deadlock with another bulk apply
		ids = slices.Compact(ids)
		for _, rid := range ids {
			u := Unit{ResponseID: rid, QuestionID: questionID}
			if _, err := answer(ctx, q, consultationID, u); err != nil {
				return err
			}
			before, err := lockState(ctx, q, consultationID, u)
			if err != nil {
				return err
			}
			if _, had := before.Has(codeID); had {
				continue
			}
			w := writer{ctx: ctx, q: q, by: by, consultationID: consultationID, unit: u, reason: "bulk"}
			if err := w.applyCode(Applied{CodeID: codeID, Position: position}); err != nil {
				return err
			}
			ch := Change{NoCode: false, QuoteWorthy: before.QuoteWorthy, EvidenceRich: before.EvidenceRich, Note: before.Note}
			if before.NoCode {
				if _, err := w.event(db.InsertCodingEventParams{Action: "undo_no_code"}); err != nil {
					return err
				}
			}
			if err := w.saveState(len(before.Codes)+1, ch); err != nil {
				return err
			}
			n++
		}
		e := by.Entry(AuditCodingBulk)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", strconv.Itoa(int(codeID))
		e.Detail = map[string]any{"question_id": questionID, "code": c.Key, "position": position, "responses": ids, "applied": n}
		return audit.Record(ctx, q, e)
	})
	return n, err
}

// NextUncoded returns an answer to the question that nobody has coded,
// other than skip; 0 when every answer is coded. It looks after response
// after, or with after 0, after the furthest answer coded so far, so it
// never rescans a long coded stretch; then it comes back round from the
// start for answers skipped on the way.
func (s *Service) NextUncoded(ctx context.Context, questionID int32, after, skip int64) (int64, error) {
	q := db.New(s.Pool)
	if after == 0 {
		var err error
		if after, err = q.CodingFrontier(ctx, &questionID); err != nil {
			return 0, fmt.Errorf("coding: next uncoded answer: %w", err)
		}
	}
	for _, from := range []int64{after, 0} {
		id, err := q.NextUncodedAnswer(ctx, db.NextUncodedAnswerParams{QuestionID: questionID, After: from, Skip: skip})
		if errors.Is(err, pgx.ErrNoRows) {
			if from == 0 {
				break
			}
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("coding: next uncoded answer: %w", err)
		}
		return id, nil
	}
	return 0, nil
}

// NextUncodedSegment returns a part of a letter or email attributed to
// the theme (and to no question) that nobody has coded, after segment
// after and then from the start, other than skip; 0 when none is left.
func (s *Service) NextUncodedSegment(ctx context.Context, consultationID int64, themeID int32, after, skip int64) (int64, error) {
	q := db.New(s.Pool)
	for _, from := range []int64{after, 0} {
		id, err := q.NextUncodedSegment(ctx, db.NextUncodedSegmentParams{ConsultationID: consultationID, ThemeID: &themeID, After: from, Skip: skip})
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("coding: next uncoded segment: %w", err)
		}
		return id, nil
	}
	return 0, nil
}

// Segment reads a part of a letter or email for coding.
func (s *Service) Segment(ctx context.Context, consultationID, segmentID int64) (Answer, error) {
	return answer(ctx, db.New(s.Pool), consultationID, Unit{SegmentID: segmentID})
}

// Added reads a campaign member's added text for coding (#15).
func (s *Service) Added(ctx context.Context, consultationID, addedID int64) (Answer, error) {
	return answer(ctx, db.New(s.Pool), consultationID, Unit{AddedID: addedID})
}

func added(ctx context.Context, q *db.Queries, consultationID, addedID int64) (Answer, error) {
	r, err := q.AddedForCoding(ctx, db.AddedForCodingParams{ID: addedID, ConsultationID: consultationID})
	if errors.Is(err, pgx.ErrNoRows) {
		return Answer{}, ErrNotFound
	}
	if err != nil {
		return Answer{}, fmt.Errorf("coding: added text %d: %w", addedID, err)
	}
	a := Answer{Unit: Unit{ResponseID: r.ResponseID, AddedID: r.ID}, Text: r.Text, Channel: string(r.Channel), Consent: r.PublicationConsent}
	if r.CampaignID != nil {
		a.CampaignID = *r.CampaignID
	}
	if r.RespondentGroupID != nil {
		a.GroupID = *r.RespondentGroupID
	}
	if r.OnBehalfOfOrg {
		a.Organisation = r.Organisation
	}
	return a, nil
}

// FrameOf is the codeframe a unit is coded with.
func (s *Service) FrameOf(ctx context.Context, consultationID int64, u Unit) (Frame, error) {
	return frameOf(ctx, db.New(s.Pool), consultationID, u)
}

// Event is one entry of a unit's history.
type Event struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	CodeKey    string
	CodeName   string
	Position   string
	Excerpt    *Excerpt
	Flag       string
	Note       string
	Origin     string
	Version    string
	Confidence *float32
	SampleID   int64
	Reason     string
}

// History returns every event on a unit, oldest first; events of a
// double-coding sample only when showSamples (they are hidden from
// coders until the sample is finished).
func (s *Service) History(ctx context.Context, u Unit, showSamples bool) ([]Event, error) {
	qid, sid, aid := u.params()
	rows, err := db.New(s.Pool).UnitHistory(ctx, db.UnitHistoryParams{ResponseID: u.ResponseID, QuestionID: qid, SegmentID: sid, AddedID: aid})
	if err != nil {
		return nil, fmt.Errorf("coding: history of response %d: %w", u.ResponseID, err)
	}
	out := make([]Event, 0, len(rows))
	for _, r := range rows {
		if r.SampleID != nil && !showSamples {
			continue
		}
		e := Event{ID: r.ID, At: r.At, Actor: r.Actor, Action: r.Action, CodeKey: r.CodeKey, CodeName: r.CodeName,
			Position: r.Position, Flag: r.Flag, Note: r.Note, Origin: r.Origin, Version: r.OriginVersion, Confidence: r.Confidence, Reason: r.Reason}
		if r.SampleID != nil {
			e.SampleID = *r.SampleID
		}
		if r.ExcerptStart != nil && r.ExcerptEnd != nil {
			e.Excerpt = &Excerpt{Start: int(*r.ExcerptStart), End: int(*r.ExcerptEnd)}
		}
		if e.Actor == "" {
			e.Actor = r.Origin
		}
		out = append(out, e)
	}
	return out, nil
}
