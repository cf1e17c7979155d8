package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/autocode"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/jobs"
	"heard/web"
)

// autocodeRoutes: a question's suggested codes (#13).
func (s *Server) autocodeRoutes(r chi.Router) {
	const sg = "/consultations/{slug}/questions/{code}/suggestions"
	s.handle(r, "GET", sg, AnalystOnly, s.suggestionsPage)
	s.handle(r, "POST", sg+"/decide", AnalystOnly, s.decideSuggestion)
	s.handle(r, "POST", sg+"/bulk", AnalystOnly, s.acceptSuggestions)
	s.handle(r, "POST", sg+"/rule", AnalystOnly, s.saveRule)
	s.handle(r, "POST", sg+"/train", AnalystOnly, s.trainSuggestions)
}

const suggestionsPerPage = 25

func suggestionsBase(c *consultation.Consultation, q *consultation.Question) string {
	return "/consultations/" + c.Slug + "/questions/" + url.PathEscape(q.Code) + "/suggestions"
}

func (s *Server) suggestionsPage(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderSuggestions(w, r, c, q, http.StatusOK, nil)
}

func (s *Server) renderSuggestions(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, q *consultation.Question, status int, errs []web.FieldError) {
	query := r.URL.Query()
	codeID := formCode(query.Get("code"))
	var after autocode.Cursor
	if v := query.Get("after"); v != "" {
		conf, rid, ok := strings.Cut(v, "_")
		f, err1 := strconv.ParseFloat(conf, 32)
		id, err2 := strconv.ParseInt(rid, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			s.fail(w, r, errBadPage)
			return
		}
		after = autocode.Cursor{Confidence: float32(f), ResponseID: id}
	}
	p, err := s.Autocode.Suggestions(r.Context(), c.ID, q.ID, codeID, after, suggestionsPerPage)
	if errors.Is(err, autocode.ErrNotFound) {
		err = coding.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := suggestionsBase(c, q)
	title := "Suggested codes for " + q.Code
	if len(errs) > 0 {
		title = "Error: " + title
	}
	v := web.AutocodeView{
		Page:       s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Coding " + q.Code, Href: codingBase(c, q)}),
		Notice:     s.notice(r),
		Errors:     errs,
		Caption:    q.Code + ": " + q.Prompt,
		CodingHref: codingBase(c, q), TrainAction: base + "/train",
		NotEnough: fmt.Sprintf("Not enough coded answers to say: the model is measured once %d answers are coded (%d so far).", autocode.MinCoded, p.Coded),
	}
	names := map[int32]string{}
	for _, cs := range p.Codes {
		label := cs.Key + " " + cs.Name
		names[cs.ID] = label
		v.Codes = append(v.Codes, web.SuggestCodeRow{Label: label, Href: base + "?code=" + strconv.Itoa(int(cs.ID)) + "#selected",
			Pending: cs.Pending, Rule: cs.Rule, Selected: cs.ID == codeID})
	}
	if p.Model == nil {
		v.Status = fmt.Sprintf("No model yet: one is trained in the background once %d answers are coded (%d so far).", autocode.MinCoded, p.Coded)
	} else {
		m := p.Model
		v.Status = fmt.Sprintf("Model %s learnt from %d coded answers; %d are coded now. It is retrained in the background after every %d newly coded answers.", p.Version, m.Coded, p.Coded, autocode.RetrainAfter)
		v.Enough = m.Enough
		v.Overall = qualityRow("All codes", m.Overall)
		for _, pc := range m.PerCode {
			label := names[pc.Code]
			if label == "" {
				continue // retired since
			}
			row := qualityRow(label, pc)
			row.Measured = row.Measured && pc.Positives >= 3
			v.PerCode = append(v.PerCode, row)
		}
		for _, cp := range m.Curve {
			v.Curve = append(v.Curve, web.CurveRow{Coded: cp.Coded, F1: interval(cp.F1)})
		}
	}
	if sel := p.Selected; sel != nil {
		sc := &web.SelectedCode{Label: names[sel.ID], Code: strconv.Itoa(int(sel.ID)), Rule: sel.Rule,
			RuleAction: base + "/rule", BulkAction: base + "/bulk"}
		for _, t := range autocode.Thresholds {
			n, err := s.Autocode.CountAbove(r.Context(), q.ID, sel.ID, t)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if n == 0 {
				continue
			}
			label := fmt.Sprintf("%.0f%% or more: %d answers", t*100, n)
			if n > autocode.MaxBulk {
				label += fmt.Sprintf(" (the %d most confident are coded at a time)", autocode.MaxBulk)
			}
			if at, ok := autocode.PrecisionAt(sel.Precision, t); ok && at.N > 0 {
				label += fmt.Sprintf(", expected precision %.0f%% (measured on %d held-out suggestions)", at.Precision*100, at.N)
			} else {
				label += ", precision not measured"
			}
			sc.Options = append(sc.Options, web.Choice{Value: strconv.FormatFloat(t, 'f', 2, 64), Label: label})
		}
		for _, it := range p.Items {
			origin := "model " + it.Version
			if it.Origin == "rule" {
				origin = it.Version
			}
			rid := strconv.FormatInt(it.ResponseID, 10)
			sc.Items = append(sc.Items, web.SuggestionRow{ID: "s-" + rid, Ref: "Answer " + rid, Text: it.Text,
				Confidence: fmt.Sprintf("%.0f%%", it.Confidence*100), Origin: origin, Words: it.Words,
				Action: base + "/decide", Response: rid, Code: sc.Code, AnswerHref: codingBase(c, q) + "/" + rid})
		}
		if p.Next != nil {
			sc.NextHref = fmt.Sprintf("%s?code=%d&after=%g_%d#selected", base, sel.ID, p.Next.Confidence, p.Next.ResponseID)
		}
		v.Selected = sc
	}
	s.render(w, r, status, web.Autocode(v))
}

func interval(i autocode.Interval) string {
	return fmt.Sprintf("%.2f (%.2f–%.2f)", i.Value, i.Low, i.High)
}

func qualityRow(label string, q autocode.Quality) web.QualityRow {
	return web.QualityRow{Code: label, Answers: q.Answers, Positives: q.Positives,
		Precision: interval(q.Precision), Recall: interval(q.Recall), F1: interval(q.F1), Measured: q.Answers >= autocode.MinCoded}
}

func formCode(v string) int32 {
	id, err := strconv.ParseInt(v, 10, 32)
	if err != nil || id < 0 {
		return 0
	}
	return int32(id)
}

func (s *Server) decideSuggestion(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	codeID := formCode(r.PostFormValue("code"))
	rid, err := strconv.ParseInt(r.PostFormValue("response"), 10, 64)
	if err != nil || codeID == 0 {
		s.fail(w, r, coding.ErrNotFound)
		return
	}
	// From the answer's own coding screen, back there: it says "Coding
	// saved" itself, and a banner kept in the session would show later.
	toAnswer := r.PostFormValue("return") == "answer"
	switch r.PostFormValue("decision") {
	case "accept":
		err = s.Autocode.Accept(r.Context(), s.actor(r), c.ID, q.ID, rid, codeID)
		if err == nil && !toAnswer {
			s.notify(r, fmt.Sprintf("Code applied to answer %d", rid))
		}
	case "reject":
		err = s.Autocode.Reject(r.Context(), s.actor(r), c.ID, q.ID, rid, codeID)
		if err == nil && !toAnswer {
			s.notify(r, fmt.Sprintf("Suggestion for answer %d rejected", rid))
		}
	default:
		err = coding.ErrNotFound
	}
	if errors.Is(err, autocode.ErrNotFound) {
		err = coding.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if toAnswer {
		http.Redirect(w, r, codingBase(c, q)+"/"+strconv.FormatInt(rid, 10)+"?saved=1", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("%s?code=%d#selected", suggestionsBase(c, q), codeID), http.StatusSeeOther)
}

// answerSuggestions are an answer's open suggestions for its coding screen.
func (s *Server) answerSuggestions(r *http.Request, c *consultation.Consultation, q *consultation.Question, cf *coding.Codeframe, responseID int64) ([]web.SuggestionRow, error) {
	items, err := s.Autocode.ForAnswer(r.Context(), q.ID, responseID)
	if err != nil {
		return nil, err
	}
	var out []web.SuggestionRow
	for _, it := range items {
		code := cf.Get(it.CodeID)
		if code == nil {
			continue
		}
		origin := "model " + it.Version
		if it.Origin == "rule" {
			origin = it.Version
		}
		out = append(out, web.SuggestionRow{CodeLabel: cf.Label(code), Confidence: fmt.Sprintf("%.0f%%", it.Confidence*100),
			Origin: origin, Words: it.Words, Action: suggestionsBase(c, q) + "/decide",
			Response: strconv.FormatInt(responseID, 10), Code: strconv.Itoa(int(it.CodeID)), Return: "answer"})
	}
	return out, nil
}

func (s *Server) acceptSuggestions(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	codeID := formCode(r.PostFormValue("code"))
	t, err := strconv.ParseFloat(r.PostFormValue("threshold"), 64)
	if err != nil || t < autocode.Thresholds[0] || t > 1 {
		r.URL.RawQuery = "code=" + strconv.Itoa(int(codeID))
		s.renderSuggestions(w, r, c, q, http.StatusUnprocessableEntity, []web.FieldError{{Field: "threshold", Message: "Choose the confidence above which to accept suggestions"}})
		return
	}
	n, err := s.Autocode.AcceptAbove(r.Context(), s.actor(r), c.ID, q.ID, codeID, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, fmt.Sprintf("Code applied to %d answers", n))
	http.Redirect(w, r, fmt.Sprintf("%s?code=%d#selected", suggestionsBase(c, q), codeID), http.StatusSeeOther)
}

func (s *Server) saveRule(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	codeID := formCode(r.PostFormValue("code"))
	cf, err := s.Coding.Codeframe(r.Context(), c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if cf.Get(codeID) == nil {
		s.fail(w, r, coding.ErrNotFound)
		return
	}
	if err := s.Autocode.SetRule(r.Context(), s.actor(r), c.ID, codeID, r.PostFormValue("rule")); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Autocode.ApplyRules(r.Context(), q.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Rule saved and applied")
	http.Redirect(w, r, fmt.Sprintf("%s?code=%d#selected", suggestionsBase(c, q), codeID), http.StatusSeeOther)
}

// trainSuggestions retrains the question's model: in the background when
// there is a job queue, otherwise here and now.
func (s *Server) trainSuggestions(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Autocode.RetrainRequested(r.Context(), s.actor(r), c.ID, q.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.Jobs != nil {
		if _, err := s.Jobs.Insert(r.Context(), jobs.TrainArgs{ConsultationID: c.ID, QuestionID: q.ID}, nil); err != nil {
			s.fail(w, r, err)
			return
		}
		s.notify(r, "Retraining has started: reload this page in a minute")
	} else {
		tr, err := s.Autocode.Train(r.Context(), c.ID, q.ID)
		var few *autocode.NotEnoughError
		switch {
		case errors.As(err, &few):
			s.notify(r, fmt.Sprintf("Not enough coded answers yet: code at least %d", autocode.MinCoded))
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			s.notify(r, fmt.Sprintf("Model %s trained: %d suggestions", tr.Version, tr.Suggested))
		}
	}
	http.Redirect(w, r, suggestionsBase(c, q), http.StatusSeeOther)
}

// suggestionsSummary is the line the coding page shows about suggested
// codes: the model's measured F1, or why there is none.
func (s *Server) suggestionsSummary(r *http.Request, q *consultation.Question) string {
	m, err := s.Autocode.LatestQuality(r.Context(), q.ID)
	if err != nil || !m.Enough {
		return fmt.Sprintf("not enough coded answers to say how good they are (at least %d needed)", autocode.MinCoded)
	}
	return fmt.Sprintf("F1 %s against analysts on %d coded answers", interval(m.Overall.F1), m.Overall.Answers)
}
