package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"heard/internal/consultation"
	"heard/internal/webform"
	"heard/web"
)

// Per client address. A person saves a page every minute or so and sends
// once; a household or office behind one address still fits easily.
const (
	formSavesPerMinute  = 120
	formSubmitPerMinute = 10
)

// webformHandlers serve the public response form.
type webformHandlers struct {
	s   *Server
	svc *webform.Service
}

// webformRoutes registers the public response form, open to anyone.
func (s *Server) webformRoutes(r chi.Router) {
	h := &webformHandlers{s: s, svc: s.Webform}
	const base = "/consultations/{slug}/respond"
	s.handle(r, "GET", base, Public, h.start)
	s.handle(r, "GET", base+"/check", Public, h.check)
	s.handle(r, "GET", base+"/confirmation", Public, h.confirmation)
	s.handle(r, "GET", base+"/saved", Public, h.saved)
	s.handle(r, "GET", base+"/{page}", Public, h.page)
	limit := func(n int) func(http.Handler) http.Handler {
		return httprate.Limit(n, time.Minute, httprate.WithKeyFuncs(clientIPKey), httprate.WithLimitHandler(h.tooMany))
	}
	r.With(limit(formSavesPerMinute)).Group(func(r chi.Router) {
		s.handle(r, "POST", base+"/new", Public, h.startAgain)
		s.handle(r, "POST", base+"/{page}", Public, h.savePage)
	})
	submitLimit := httprate.Limit(formSubmitPerMinute, time.Minute, httprate.WithKeyFuncs(clientIPKey), httprate.WithLimitHandler(h.tooManySends))
	r.With(submitLimit).Group(func(r chi.Router) {
		s.handle(r, "POST", base+"/submit", Public, h.submit)
	})
}

func respondBase(slug string) string { return "/consultations/" + slug + "/respond" }

// The draft's token lives in a cookie per consultation for 30 days.
func (h *webformHandlers) cookieName(slug string) string {
	if h.s.Options.InsecureCookies {
		return "heard_respond_" + slug
	}
	return "__Host-heard_respond_" + slug
}

func (h *webformHandlers) token(r *http.Request) string {
	c, err := r.Cookie(h.cookieName(chi.URLParam(r, "slug")))
	if err != nil {
		return ""
	}
	return c.Value
}

func (h *webformHandlers) setToken(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: h.cookieName(chi.URLParam(r, "slug")), Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !h.s.Options.InsecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// form loads the consultation's form, or answers the request itself.
func (h *webformHandlers) form(w http.ResponseWriter, r *http.Request) (*webform.Form, bool) {
	f, err := h.svc.Form(r.Context(), chi.URLParam(r, "slug"))
	if err == nil && h.hidden(r, f) {
		err = consultation.ErrNotFound
	}
	switch {
	case errors.Is(err, consultation.ErrNotFound):
		h.s.fail(w, r, err)
		return nil, false
	case err != nil:
		h.unavailable(w, r, err)
		return nil, false
	}
	return f, true
}

// unavailable answers a page of the form when the database cannot be
// reached: a respondent must hear that nothing they typed is lost, and
// when to try again, on every page, not only when saving or sending.
func (h *webformHandlers) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	h.s.logError(r, "webform: page unavailable", "err", err)
	w.Header().Set("Retry-After", "60")
	h.s.renderError(w, r, http.StatusServiceUnavailable, "Sorry, this page is not available at the moment",
		"Nothing you have typed is lost: every page you saved is kept, and nothing has been sent twice. Try again in a few minutes.")
}

// hidden reports whether f is a draft being prepared, which only signed-in
// staff may see: to everyone else it does not exist.
func (h *webformHandlers) hidden(r *http.Request, f *webform.Form) bool {
	return f.Status == "draft" && userFrom(r.Context()) == nil
}

// open answers the request with the dates when the form is not open.
func (h *webformHandlers) open(w http.ResponseWriter, r *http.Request, f *webform.Form, status int) bool {
	a := f.Availability(time.Now())
	if a == webform.Open {
		return true
	}
	title := "This consultation has closed"
	if a == webform.NotYetOpen {
		title = "This consultation is not open yet"
	}
	h.s.render(w, r, status, web.RespondClosed(web.RespondClosedView{
		Page: h.s.page(r, title), Title: f.C.Title, NotYetOpen: a == webform.NotYetOpen, OpensOn: f.OpensOn, ClosesOn: f.ClosesOn,
	}))
	return false
}

// draft returns the browser's draft, nil when it has none.
func (h *webformHandlers) draft(w http.ResponseWriter, r *http.Request, f *webform.Form) (*webform.Draft, bool) {
	d, err := h.svc.Draft(r.Context(), f, h.token(r))
	if errors.Is(err, webform.ErrNoDraft) {
		return nil, true
	}
	if err != nil {
		h.unavailable(w, r, err)
		return nil, false
	}
	return d, true
}

func (h *webformHandlers) start(w http.ResponseWriter, r *http.Request) {
	f, ok := h.form(w, r)
	if !ok || !h.open(w, r, f, http.StatusOK) {
		return
	}
	d, ok := h.draft(w, r, f)
	if !ok {
		return
	}
	base := respondBase(f.C.Slug)
	v := web.RespondStartView{
		Page: h.s.page(r, "Respond: "+f.C.Title), Title: f.C.Title, Description: f.C.Description, ClosesOn: f.ClosesOn,
		Minutes: minutes(f), StartHref: base + "/" + f.Pages[0].Slug, NewAction: base + "/new",
	}
	for _, p := range f.Pages {
		v.Themes = append(v.Themes, p.Title)
	}
	switch {
	case d != nil && d.SubmittedAt != nil:
		v.SentRef, v.SentAt = d.Reference, *d.SubmittedAt
	case d != nil:
		v.InProgress, v.SavedAt, v.ExpiresAt = true, d.UpdatedAt, d.ExpiresAt
		v.ResumeHref = base + "/" + d.ResumePage
		if d.ResumePage != "check" && f.Page(d.ResumePage) == nil {
			v.ResumeHref = v.StartHref // the definition has changed since
		}
	}
	h.s.render(w, r, http.StatusOK, web.RespondStart(v))
}

// minutes estimates how long the form takes, rounded up to 5 minutes.
func minutes(f *webform.Form) int {
	m := 2.0
	for _, q := range f.C.Questions {
		switch {
		case q.Kind == "demographic":
			m += 0.25
		case q.Closed():
			m += 0.5
		default:
			m += 3
		}
	}
	return (int(m) + 4) / 5 * 5
}

func (h *webformHandlers) startAgain(w http.ResponseWriter, r *http.Request) {
	h.setToken(w, r, "", -1)
	http.Redirect(w, r, respondBase(chi.URLParam(r, "slug")), http.StatusSeeOther)
}

func (h *webformHandlers) tooMany(w http.ResponseWriter, r *http.Request) {
	h.s.renderError(w, r, http.StatusTooManyRequests, "Too many attempts from your connection",
		"Your answers saved so far are kept. Wait a minute, then go back and try again.")
}

// tooManySends answers a send over the rate limit. A repeat of a send
// that went through (double clicks, a retrying browser) still lands on
// its confirmation: the response is stored, and "too many attempts"
// would say otherwise.
func (h *webformHandlers) tooManySends(w http.ResponseWriter, r *http.Request) {
	if token := h.token(r); token != "" {
		if f, err := h.svc.Form(r.Context(), chi.URLParam(r, "slug")); err == nil && !h.hidden(r, f) {
			if sent, err := h.svc.Sent(r.Context(), f, token); err == nil && sent {
				http.Redirect(w, r, respondBase(f.C.Slug)+"/confirmation", http.StatusSeeOther)
				return
			}
		}
	}
	h.tooMany(w, r)
}

// notFound is the answer for an unknown page of a known form.
func (h *webformHandlers) notFound(w http.ResponseWriter, r *http.Request) {
	h.s.renderError(w, r, http.StatusNotFound, "Page not found", "This response form has no page at this address.")
}
