package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// questionForCoding reads the consultation and the open question in the URL.
func (s *Server) questionForCoding(r *http.Request) (*consultation.Consultation, *consultation.Question, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, err
	}
	q := c.Question(chi.URLParam(r, "code"))
	if q == nil || q.Closed() {
		return nil, nil, errQuestionNotFound
	}
	return c, q, nil
}

func codingBase(c *consultation.Consultation, q *consultation.Question) string {
	return "/consultations/" + c.Slug + "/questions/" + url.PathEscape(q.Code) + "/coding"
}

func responseParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "response"), 10, 64)
	if err != nil || id <= 0 {
		return 0, coding.ErrNotFound
	}
	return id, nil
}

// nextUncoded sends the analyst to the next answer nobody has coded.
func (s *Server) nextUncoded(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	skip, _ := strconv.ParseInt(r.URL.Query().Get("skip"), 10, 64)
	if skip > 0 {
		after = skip
	}
	next, err := s.Coding.NextUncoded(r.Context(), q.ID, after, skip)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if next == 0 {
		http.Redirect(w, r, codingBase(c, q)+"?done=all", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, codingBase(c, q)+"/"+strconv.FormatInt(next, 10), http.StatusSeeOther)
}

func (s *Server) codingPage(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := responseParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Coding.Answer(r.Context(), c.ID, q.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.Coding.State(r.Context(), a.Unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notice := ""
	if r.URL.Query().Get("saved") != "" {
		notice = "Coding saved"
	}
	if r.URL.Query().Get("added") != "" {
		notice = "Code added to the codeframe"
	}
	v, err := s.codingView(r, c, q, a, st)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Notice = notice
	v.AddError, v.AddName = r.URL.Query().Get("add_error"), r.URL.Query().Get("add_name")
	if v.AddError != "" {
		v.Page.Title = "Error: " + v.Page.Title
	}
	s.render(w, r, http.StatusOK, web.CodingScreen(v))
}

func positionChoices() []web.Choice {
	out := []web.Choice{{Value: "", Label: "Not stated"}}
	for _, p := range coding.Positions {
		out = append(out, web.Choice{Value: p, Label: coding.PositionLabel(p)})
	}
	return out
}

// excerptText is the part of text an excerpt covers.
func excerptText(text string, e *coding.Excerpt) string {
	if e == nil {
		return ""
	}
	runes := []rune(text)
	if e.Start < 0 || e.End > len(runes) || e.Start >= e.End {
		return ""
	}
	return string(runes[e.Start:e.End])
}

// groupLabel names an answer's respondent group.
func groupLabel(c *consultation.Consultation, id int32) string {
	for _, g := range c.Groups {
		if g.ID == id {
			return g.Label
		}
	}
	return "Group not known"
}

func aboutAnswer(c *consultation.Consultation, a coding.Answer) string {
	s := "(" + groupLabel(c, a.GroupID) + "; " + results.ChannelLabel(a.Channel)
	if a.Organisation != "" {
		s += "; on behalf of " + a.Organisation
	}
	return s + ") Response " + strconv.FormatInt(a.Unit.ResponseID, 10)
}

// codingView builds the coding screen for an answer in its current state.
func (s *Server) codingView(r *http.Request, c *consultation.Consultation, q *consultation.Question, a coding.Answer, st coding.State) (web.CodingView, error) {
	ctx := r.Context()
	cf, err := s.Coding.Codeframe(ctx, c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil {
		return web.CodingView{}, err
	}
	hist, err := s.Coding.History(ctx, a.Unit, false)
	if err != nil {
		return web.CodingView{}, err
	}
	base := codingBase(c, q)
	self := base + "/" + strconv.FormatInt(a.Unit.ResponseID, 10)
	v := web.CodingView{
		Page: s.page(r, "Code response "+strconv.FormatInt(a.Unit.ResponseID, 10)+" to "+q.Code,
			web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug},
			web.Crumb{Label: "Coding " + q.Code, Href: base}),
		Caption: q.Code + ": " + q.Prompt, Heading: "Code response " + strconv.FormatInt(a.Unit.ResponseID, 10),
		Text: a.Text, About: aboutAnswer(c, a), ResponseHref: responseHref(c, a.Unit.ResponseID), Consent: consentNote(results.OpenAnswer{Consent: a.Consent, Channel: a.Channel}),
		QuoteRefusal: a.QuoteRefusal(), Action: self, Positions: positionChoices(),
		SkipHref: base + "/next?skip=" + strconv.FormatInt(a.Unit.ResponseID, 10), BackHref: base,
		FrameHref: frameHref(c, coding.Frame{QuestionID: q.ID}), AddAction: frameHref(c, coding.Frame{QuestionID: q.ID}), AddReturn: self,
	}
	fillState(&v, cf, a.Text, st)
	if v.Suggested, err = s.answerSuggestions(r, c, q, cf, a.Unit.ResponseID); err != nil {
		return web.CodingView{}, err
	}
	v.History = historyRows(hist, a.Text)
	return v, nil
}

// fillState puts a state into the form: the codes in use (and retired
// ones still on the answer), ticked as they are.
func fillState(v *web.CodingView, cf *coding.Codeframe, text string, st coding.State) {
	v.Version, v.NoCode, v.QuoteWorthy, v.EvidenceRich, v.Note = st.Version, st.NoCode, st.QuoteWorthy, st.EvidenceRich, st.Note
	v.Codes = nil
	n := 0
	for _, c := range cf.Codes {
		ap, has := st.Has(c.ID)
		if c.Retired && !has {
			continue
		}
		ch := web.CodeChoice{ID: strconv.Itoa(int(c.ID)), Label: cf.Label(c), Description: c.Description, Checked: has, Position: ap.Position,
			Excerpt: excerptText(text, ap.Excerpt), Retired: c.Retired}
		if n < 9 {
			ch.Shortcut = strconv.Itoa(n + 1)
		}
		n++
		v.Codes = append(v.Codes, ch)
	}
}

// historyRows is a unit's coding history as the coding screens show it.
func historyRows(hist []coding.Event, text string) []web.HistoryRow {
	var rows []web.HistoryRow
	for _, e := range hist {
		rows = append(rows, web.HistoryRow{When: e.At.UTC().Format("2 Jan 2006 15:04"), Who: e.Actor, What: describeEvent(e, text)})
	}
	return rows
}

// showCoding renders a letter part's or added text's coding screen for the
// unit's current state (the answer screen adds its own neighbours first).
func (s *Server) showCoding(w http.ResponseWriter, r *http.Request, unit coding.Unit, view func(coding.State) (web.CodingView, error)) {
	st, err := s.Coding.State(r.Context(), unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := view(st)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") != "" {
		v.Notice = "Coding saved"
	}
	s.render(w, r, http.StatusOK, web.CodingScreen(v))
}

func describeEvent(e coding.Event, text string) string {
	var s string
	switch e.Action {
	case "apply":
		s = "Applied “" + e.CodeName + "”"
		if e.Position != "" {
			s += " (" + strings.ToLower(coding.PositionLabel(e.Position)) + ")"
		}
		if x := excerptText(text, e.Excerpt); x != "" {
			s += " to “" + x + "”"
		}
	case "remove":
		s = "Removed “" + e.CodeName + "”"
	case "no_code":
		s = "Marked: no code applies"
	case "undo_no_code":
		s = "Unmarked: no code applies"
	case "flag":
		s = "Flagged " + strings.ReplaceAll(e.Flag, "_", "-")
	case "unflag":
		s = "Unflagged " + strings.ReplaceAll(e.Flag, "_", "-")
	case "note":
		s = "Note: " + e.Note
		if e.Note == "" {
			s = "Note removed"
		}
	default:
		s = e.Action
	}
	switch e.Reason {
	case "merge":
		s += " (codes merged)"
	case "resolution":
		s += " (double-coding disagreement resolved)"
	case "agreed":
		s += " (both double coders applied it)"
	case "bulk":
		s += " (applied to many answers)"
	}
	if e.SampleID != 0 {
		s += fmt.Sprintf(" (double-coding sample %d)", e.SampleID)
	}
	if e.Origin != "analyst" {
		s += " by " + e.Origin
		if e.Version != "" {
			s += " " + e.Version
		}
		if e.Confidence != nil {
			s += fmt.Sprintf(", confidence %.2f", *e.Confidence)
		}
	}
	return s
}

// postedCodes reads the codes, positions and excerpts of a coding form.
// An excerpt is typed (or pasted) as words of the answer; its character
// offsets are found here. Errors are keyed by field id.
func postedCodes(r *http.Request, text string) ([]coding.Applied, []web.FieldError) {
	var out []coding.Applied
	var errs []web.FieldError
	r.ParseForm() //nolint:errcheck // a bad body reads as no codes
	for _, v := range r.PostForm["code"] {
		id, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, web.FieldError{Field: "codes", Message: "A code chosen was not recognised"})
			continue
		}
		a := coding.Applied{CodeID: int32(id), Position: r.PostFormValue("position-" + v)}
		if x := strings.TrimSpace(r.PostFormValue("excerpt-" + v)); x != "" {
			i := strings.Index(text, x)
			if i < 0 {
				errs = append(errs, web.FieldError{Field: "excerpt-" + v, Message: "The words for this code are not in the answer: copy them exactly, or leave the box empty"})
				continue
			}
			start := utf8.RuneCountInString(text[:i])
			a.Excerpt = &coding.Excerpt{Start: start, End: start + utf8.RuneCountInString(x)}
		}
		out = append(out, a)
	}
	return out, errs
}

// applyPostedCoding saves the coding posted for one unit (an answer, a
// letter part or a campaign member's added text), whose screen view
// renders. On a conflict with another analyst's save, or a problem with
// what was posted, it shows the screen again with what was chosen and
// reports false; what (such as "this answer") names the unit.
func (s *Server) applyPostedCoding(w http.ResponseWriter, r *http.Request, consultationID int64, unit coding.Unit, text, what string, view func(coding.State) (web.CodingView, error)) bool {
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	codes, errs := postedCodes(r, text)
	ch := coding.Change{
		Unit: unit, Version: version, Codes: codes, NoCode: r.PostFormValue("no_code") == "yes",
		QuoteWorthy: r.PostFormValue("quote_worthy") == "yes", EvidenceRich: r.PostFormValue("evidence_rich") == "yes",
		Note: r.PostFormValue("note"),
	}
	var err error
	if len(errs) == 0 {
		_, err = s.Coding.Save(r.Context(), s.actor(r), consultationID, ch)
	}
	var ce *coding.ConflictError
	if errors.As(err, &ce) {
		v, verr := view(ce.Current)
		if verr != nil {
			s.fail(w, r, verr)
			return false
		}
		v.Page.Title = "Error: " + v.Page.Title
		v.Conflict = ce.By + " changed " + what + " after you opened it, so your changes were not saved and nothing of theirs was overwritten."
		s.render(w, r, http.StatusConflict, web.CodingScreen(v))
		return false
	}
	if fe, ok := fieldErrors(err); ok {
		errs = fe
	} else if err != nil {
		s.fail(w, r, err)
		return false
	}
	if len(errs) == 0 {
		return true
	}
	// Show what the analyst chose, with the problems.
	st := coding.State{Codes: codes, NoCode: ch.NoCode, QuoteWorthy: ch.QuoteWorthy, EvidenceRich: ch.EvidenceRich, Note: ch.Note, Version: version}
	v, verr := view(st)
	if verr != nil {
		s.fail(w, r, verr)
		return false
	}
	v.Errors = errs
	v.Page.Title = "Error: " + v.Page.Title
	for _, e := range errs {
		// Excerpt boxes that failed keep what was typed.
		if strings.HasPrefix(e.Field, "excerpt-") {
			for i := range v.Codes {
				if "excerpt-"+v.Codes[i].ID == e.Field {
					v.Codes[i].Checked = true
					v.Codes[i].Excerpt = r.PostFormValue(e.Field)
				}
			}
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, web.CodingScreen(v))
	return false
}

func (s *Server) saveCoding(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := responseParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Coding.Answer(r.Context(), c.ID, q.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := func(st coding.State) (web.CodingView, error) { return s.codingView(r, c, q, a, st) }
	if !s.applyPostedCoding(w, r, c.ID, a.Unit, a.Text, "this answer", view) {
		return
	}
	if r.PostFormValue("next") == "yes" {
		http.Redirect(w, r, codingBase(c, q)+"/next?after="+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, codingBase(c, q)+"/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}
