package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/personal"
	"heard/internal/results"
	"heard/web"
)

// personalRoutes are the personal-data pages: the analysts' redaction
// review of a response, and the admins' subject access, erasure and
// retention pages.
func (s *Server) personalRoutes(r chi.Router) {
	review := "/consultations/{slug}/responses/{id}/personal-data"
	s.handle(r, "GET", review, AnalystOnly, s.personalReview)
	s.handle(r, "POST", review, AnalystOnly, s.addRedaction)
	s.handle(r, "POST", review+"/{span}", AnalystOnly, s.decideRedaction)
	s.handle(r, "GET", "/consultations/{slug}/organisation-responses", Public, s.orgResponses)
	s.handle(r, "GET", "/admin/consultations/{slug}/personal-data", AdminOnly, s.personalAdmin)
	s.handle(r, "POST", "/admin/consultations/{slug}/organisation-responses", AdminOnly, s.publishOrgResponses)
	s.handle(r, "POST", "/admin/consultations/{slug}/lawful-basis", AdminOnly, s.setLawfulBasis)
	s.handle(r, "POST", "/admin/consultations/{slug}/erasures", AdminOnly, s.eraseResponse)
	s.handle(r, "GET", "/admin/subject-access", AdminOnly, s.subjectAccess)
	s.handle(r, "POST", "/admin/subject-access", AdminOnly, s.searchSubject)
	s.handle(r, "POST", "/admin/subject-access/{id}/bundle", AdminOnly, s.subjectBundle)
}

func (s *Server) personalActor(r *http.Request) personal.Actor {
	u := userFrom(r.Context())
	return personal.Actor{UserID: u.ID, Email: u.Email, ClientIP: clientIP(r)}
}

// reviewTarget reads the consultation and response of a review address.
func (s *Server) reviewTarget(r *http.Request) (*consultation.Consultation, *results.Response, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, nil, results.ErrResponseNotFound
	}
	resp, err := s.Results.Response(r.Context(), c, id)
	return c, resp, err
}

func (s *Server) personalReview(w http.ResponseWriter, r *http.Request) {
	s.renderReview(w, r, http.StatusOK, web.PersonalReviewView{Notice: s.notice(r)})
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, v web.PersonalReviewView) {
	c, resp, err := s.reviewTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	texts, err := s.Personal.Texts(r.Context(), resp.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	title := "Personal data in response " + resp.Ref
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base},
		web.Crumb{Label: "Response " + resp.Ref, Href: responseHref(c, resp.ID)})
	v.ResponseRef, v.ResponseHref = resp.Ref, responseHref(c, resp.ID)
	v.Action = fmt.Sprintf("%s/personal-data", responseHref(c, resp.ID))
	kind := r.PostFormValue("kind")
	for _, k := range personal.Kinds {
		v.Kinds = append(v.Kinds, web.Choice{Value: string(k), Label: k.Name(), Checked: string(k) == kind})
	}
	for _, t := range texts {
		v.Texts = append(v.Texts, reviewText(c, t))
	}
	s.render(w, r, status, web.PersonalReview(v))
}

// reviewText cuts a text into plain runs and spans for highlighting.
func reviewText(c *consultation.Consultation, t personal.Text) web.PersonalTextView {
	tv := web.PersonalTextView{QuestionID: t.QuestionID, Heading: "The email or letter", Redacted: t.Redacted()}
	for _, q := range c.Questions {
		if q.ID == t.QuestionID {
			tv.Heading = q.Code + ": " + q.Prompt
		}
	}
	pos := 0
	for _, sp := range t.Spans {
		start, end := max(sp.Start, pos), min(sp.End, len(t.Text))
		if start >= end {
			continue
		}
		if start > pos {
			tv.Pieces = append(tv.Pieces, web.PersonalPiece{Text: t.Text[pos:start]})
		}
		tv.Pieces = append(tv.Pieces, web.PersonalPiece{Text: t.Text[start:end], Kind: sp.Kind.Name(), Status: sp.Status})
		pos = end
	}
	tv.Pieces = append(tv.Pieces, web.PersonalPiece{Text: t.Text[pos:]})
	for _, sp := range t.Spans {
		row := web.PersonalSpanRow{ID: sp.ID, Kind: sp.Kind.Name(), Words: t.Text[min(sp.Start, len(t.Text)):min(sp.End, len(t.Text))],
			Origin: "Found by Heard", Status: sp.Status, Reason: sp.Reason, Redacted: sp.Status != personal.StatusDismissed}
		if sp.Origin == "analyst" {
			row.Origin = "Added by an analyst"
		}
		tv.Spans = append(tv.Spans, row)
	}
	return tv
}

func (s *Server) decideRedaction(w http.ResponseWriter, r *http.Request) {
	c, resp, err := s.reviewTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	span, err := strconv.ParseInt(chi.URLParam(r, "span"), 10, 64)
	if err != nil {
		s.fail(w, r, personal.ErrNotFound)
		return
	}
	decision := r.PostFormValue("decision")
	err = s.Personal.Decide(r.Context(), s.personalActor(r), c.ID, resp.ID, span, decision, r.PostFormValue("reason"))
	var inv *personal.InvalidError
	if errors.As(err, &inv) {
		s.renderReview(w, r, http.StatusBadRequest, web.PersonalReviewView{Errors: []web.FieldError{{Field: "reason-" + strconv.FormatInt(span, 10), Message: inv.Message}}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if decision == personal.StatusDismissed {
		s.notify(r, "Dismissed: those words will be shown")
	} else {
		s.notify(r, "Kept: those words are removed from everything published")
	}
	http.Redirect(w, r, fmt.Sprintf("%s/personal-data", responseHref(c, resp.ID)), http.StatusSeeOther)
}

func (s *Server) addRedaction(w http.ResponseWriter, r *http.Request) {
	c, resp, err := s.reviewTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q, _ := strconv.ParseInt(r.PostFormValue("text"), 10, 32)
	words, reason := r.PostFormValue("words"), r.PostFormValue("reason")
	n, err := s.Personal.Add(r.Context(), s.personalActor(r), c.ID, resp.ID, int32(q), words, personal.Kind(r.PostFormValue("kind")), reason)
	var inv *personal.InvalidError
	if errors.As(err, &inv) {
		s.renderReview(w, r, http.StatusBadRequest, web.PersonalReviewView{Errors: []web.FieldError{{Field: inv.Field, Message: inv.Message}},
			AddText: int32(q), AddWords: words, AddReason: reason})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, fmt.Sprintf("Removed those words from %d %s", n, plural(n, "place", "places")))
	http.Redirect(w, r, fmt.Sprintf("%s/personal-data", responseHref(c, resp.ID)), http.StatusSeeOther)
}
