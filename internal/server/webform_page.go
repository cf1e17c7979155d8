package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/webform"
)

func (h *webformHandlers) page(w http.ResponseWriter, r *http.Request) {
	f, ok := h.form(w, r)
	if !ok || !h.open(w, r, f, http.StatusOK) {
		return
	}
	p := f.Page(chi.URLParam(r, "page"))
	if p == nil {
		h.notFound(w, r)
		return
	}
	d, ok := h.draft(w, r, f)
	if !ok {
		return
	}
	if d != nil && d.SubmittedAt != nil {
		http.Redirect(w, r, respondBase(f.C.Slug)+"/confirmation", http.StatusSeeOther)
		return
	}
	h.renderPage(w, r, http.StatusOK, pageState{f: f, p: p, values: f.Values(p, d), ret: r.URL.Query().Get("return")})
}

// savePage saves the page's answers in the draft, creating it on the
// first save, and moves on. Problems are shown on the same page, with the
// answers as typed (they are saved all the same). If the database cannot
// be reached, the page comes back with everything typed still in it.
func (h *webformHandlers) savePage(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	if err := r.ParseForm(); err != nil {
		h.s.renderError(w, r, http.StatusRequestEntityTooLarge, "Your answers could not be read",
			"The page sent more than this form accepts. Go back and shorten your answers.")
		return
	}
	st := pageState{values: r.PostForm, ret: r.PostForm.Get("return")}
	var err error
	st.f, err = h.svc.Form(r.Context(), slug)
	if err != nil {
		if st.f = h.svc.Cached(slug); st.f == nil || errors.Is(err, consultation.ErrNotFound) {
			h.s.fail(w, r, err)
			return
		}
	}
	if h.hidden(r, st.f) {
		h.s.fail(w, r, consultation.ErrNotFound)
		return
	}
	if st.p = st.f.Page(chi.URLParam(r, "page")); st.p == nil {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.unsaved(w, r, st, err)
		return
	}
	if !h.open(w, r, st.f, http.StatusForbidden) {
		return
	}
	honeypot := r.PostForm.Get(webform.FieldHoneypot) != ""
	saved, err := h.svc.SaveFrom(r.Context(), clientIP(r), st.f, h.token(r), r.PostForm, honeypot, st.p)
	switch {
	case errors.Is(err, webform.ErrSubmitted):
		http.Redirect(w, r, respondBase(slug)+"/confirmation", http.StatusSeeOther)
		return
	case errors.Is(err, webform.ErrTooManyDrafts):
		h.s.renderError(w, r, http.StatusTooManyRequests, "Too many responses started from your connection today",
			"To protect the service, each connection can start a limited number of responses a day. Try again tomorrow, or from another connection.")
		return
	case errors.Is(err, webform.ErrDraftSpaceFull):
		h.s.Logger.Warn("webform: new draft refused: unsent drafts are at their space limit", "path", r.URL.Path, "request_id", reqID(r))
		w.Header().Set("Retry-After", "3600")
		h.s.renderError(w, r, http.StatusServiceUnavailable, "The form cannot take new responses at the moment",
			"Too many unfinished responses are waiting. Try again in an hour.")
		return
	case err != nil:
		h.unsaved(w, r, st, err)
		return
	}
	if r.PostForm.Get("action") == "later" {
		if err := h.svc.Keep(r.Context(), st.f, saved.Token); err != nil {
			h.unsaved(w, r, st, err)
			return
		}
	}
	h.setToken(w, r, saved.Token, webform.DraftDays*24*60*60)
	base := respondBase(slug)
	switch {
	case r.PostForm.Get("action") == "later":
		http.Redirect(w, r, base+"/saved", http.StatusSeeOther)
	case len(saved.Errors) > 0:
		st.errs = saved.Errors
		h.renderPage(w, r, http.StatusUnprocessableEntity, st)
	case st.ret == "check":
		http.Redirect(w, r, base+"/check", http.StatusSeeOther)
	default:
		http.Redirect(w, r, base+"/"+st.f.Next(st.p), http.StatusSeeOther)
	}
}

// unsaved shows the page again with what was typed, saying it is not
// saved yet: the database could not be reached.
func (h *webformHandlers) unsaved(w http.ResponseWriter, r *http.Request, st pageState, err error) {
	h.s.logError(r, "webform: page not saved", "err", err)
	st.unsaved = true
	h.renderPage(w, r, http.StatusServiceUnavailable, st)
}

// pageState is what a page of the form is rendered from.
type pageState struct {
	f       *webform.Form
	p       *webform.Page
	values  url.Values
	errs    []webform.FieldError
	ret     string // "check" when the page was opened from check your answers
	unsaved bool
}

func (h *webformHandlers) renderPage(w http.ResponseWriter, r *http.Request, status int, st pageState) {
	h.s.render(w, r, status, pageView(h.s.page(r, pageTitle(st)), st))
}

func pageTitle(st pageState) string {
	t := st.p.Title + " – " + st.f.C.Title
	if len(st.errs) > 0 {
		return "Error: " + t
	}
	return t
}
