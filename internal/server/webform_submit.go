package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/webform"
	"heard/web"
)

func (h *webformHandlers) check(w http.ResponseWriter, r *http.Request) {
	f, ok := h.form(w, r)
	if !ok || !h.open(w, r, f, http.StatusOK) {
		return
	}
	d, ok := h.draft(w, r, f)
	if !ok {
		return
	}
	switch {
	case d == nil:
		http.Redirect(w, r, respondBase(f.C.Slug), http.StatusSeeOther)
	case d.SubmittedAt != nil:
		http.Redirect(w, r, respondBase(f.C.Slug)+"/confirmation", http.StatusSeeOther)
	default:
		h.renderCheck(w, r, http.StatusOK, f, d, nil)
	}
}

func (h *webformHandlers) renderCheck(w http.ResponseWriter, r *http.Request, status int, f *webform.Form, d *webform.Draft, errs []webform.FieldError) {
	base := respondBase(f.C.Slug)
	title := "Check your answers – " + f.C.Title
	v := web.RespondCheckView{
		Caption: f.C.Title, BackHref: base + "/" + f.Pages[len(f.Pages)-1].Slug,
		Sections: sections(f, d, base), Action: base + "/submit",
	}
	for _, e := range errs {
		v.Errors = append(v.Errors, web.FieldError{Field: e.Field, Href: base + "/" + e.Page + "?return=check#" + e.Field, Message: e.Message})
	}
	if len(errs) > 0 {
		title = "Error: " + title
	}
	v.Page = h.s.page(r, title)
	h.s.render(w, r, status, web.RespondCheck(v))
}

// submit sends the draft. A repeat (double click, refresh, retry) lands
// on the same confirmation; a late one is refused with the answers shown;
// a fault on our side says nothing is lost and offers to send again.
func (h *webformHandlers) submit(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	honeypot := r.PostFormValue(webform.FieldHoneypot) != ""
	rc, err := h.svc.Submit(r.Context(), slug, h.token(r), honeypot)
	var ve *webform.ValidationError
	switch {
	case errors.Is(err, consultation.ErrNotFound):
		h.s.fail(w, r, err)
	case errors.Is(err, webform.ErrNoDraft):
		h.s.renderError(w, r, http.StatusNotFound, "We could not find your answers",
			"Answers are kept for 30 days in the browser where you started. If you started in another browser, continue there; otherwise start the form again.")
	case errors.Is(err, webform.ErrClosed):
		if f, ok := h.form(w, r); ok {
			h.refuse(w, r, f)
		}
	case errors.As(err, &ve):
		if f, ok := h.form(w, r); ok {
			h.renderCheck(w, r, http.StatusUnprocessableEntity, f, ve.Draft, ve.Errors)
		}
	case err != nil:
		h.problem(w, r, slug, err)
	default:
		// The copy of the answers is kept 30 days from sending: so is the cookie.
		h.setToken(w, r, h.token(r), webform.DraftDays*24*60*60)
		if rc.Discarded && !rc.Again {
			h.s.Logger.Info("webform: honeypot filled in, response not stored", "consultation", slug, "reference", rc.Reference, "client", clientIP(r))
		}
		if !rc.Discarded && !rc.Again {
			// After the commit: place the response in its campaign now
			// (#15). A failure loses nothing: the periodic job retries.
			if err := h.s.campaignService().DetectSubmitted(r.Context(), rc.ConsultationID, rc.Reference); err != nil {
				h.s.logError(r, "webform: campaign detection after submit", "reference", rc.Reference, "err", err)
			}
		}
		http.Redirect(w, r, respondBase(slug)+"/confirmation", http.StatusSeeOther)
	}
}

// problem says the response is not sent, nothing is lost, send again.
func (h *webformHandlers) problem(w http.ResponseWriter, r *http.Request, slug string, err error) {
	h.s.logError(r, "webform: submit failed", "err", err)
	base := respondBase(slug)
	caption := ""
	if f := h.svc.Cached(slug); f != nil {
		caption = f.C.Title
	}
	w.Header().Set("Retry-After", "60")
	h.s.render(w, r, http.StatusServiceUnavailable, web.RespondProblem(web.RespondProblemView{
		Page: h.s.page(r, "Sorry, your response has not been sent yet"), Caption: caption,
		Action: base + "/submit", CheckHref: base + "/check",
	}))
}

// refuse says a response arrived after the close, with their answers.
func (h *webformHandlers) refuse(w http.ResponseWriter, r *http.Request, f *webform.Form) {
	v := web.RespondClosedView{
		Page: h.s.page(r, "Your response was not sent"), Title: f.C.Title, Refused: true,
		OpensOn: f.OpensOn, ClosesOn: f.ClosesOn,
	}
	if d, err := h.svc.Draft(r.Context(), f, h.token(r)); err == nil {
		v.Sections = sections(f, d, "")
	}
	h.s.render(w, r, http.StatusForbidden, web.RespondClosed(v))
}

func (h *webformHandlers) confirmation(w http.ResponseWriter, r *http.Request) {
	f, ok := h.form(w, r)
	if !ok {
		return
	}
	d, ok := h.draft(w, r, f)
	switch {
	case !ok:
	case d == nil:
		http.Redirect(w, r, respondBase(f.C.Slug), http.StatusSeeOther)
	case d.SubmittedAt == nil:
		http.Redirect(w, r, respondBase(f.C.Slug)+"/check", http.StatusSeeOther)
	default:
		h.s.render(w, r, http.StatusOK, web.RespondConfirmation(web.RespondConfirmationView{
			Page: h.s.page(r, "Response sent – "+f.C.Title), Title: f.C.Title, Reference: d.Reference,
			SentAt: *d.SubmittedAt, Sections: sections(f, d, ""), NewAction: respondBase(f.C.Slug) + "/new",
		}))
	}
}

func (h *webformHandlers) saved(w http.ResponseWriter, r *http.Request) {
	f, ok := h.form(w, r)
	if !ok {
		return
	}
	d, ok := h.draft(w, r, f)
	switch {
	case !ok:
	case d == nil:
		http.Redirect(w, r, respondBase(f.C.Slug), http.StatusSeeOther)
	default:
		h.s.render(w, r, http.StatusOK, web.RespondSaved(web.RespondSavedView{
			Page: h.s.page(r, "Your answers have been saved – "+f.C.Title), Caption: f.C.Title,
			ExpiresAt: d.ExpiresAt, ResumeHref: respondBase(f.C.Slug) + "/" + d.ResumePage,
		}))
	}
}
