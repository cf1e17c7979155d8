package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
	"heard/internal/fielderr"
	"heard/web"
)

// passwordLinkRoutes: admins make one-time links; whoever holds one sets
// a password with it. The token travels in the query string and the form,
// never in the path, so request logs (which record the path) never hold it.
func (s *Server) passwordLinkRoutes(r chi.Router) {
	s.handle(r, "POST", "/admin/users/{id}/password-link", AdminOnly, s.resetLink)
	s.handle(r, "GET", "/set-password", Public, s.setPasswordPage)
	s.handle(r, "POST", "/set-password", Public, s.setPassword)
}

func (s *Server) resetLink(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such user.")
		return
	}
	link, err := s.Accounts.ResetLink(r.Context(), s.actor(r), id)
	var ve *accounts.ValidationError
	switch {
	case errors.Is(err, accounts.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such user.")
	case errors.As(err, &ve):
		s.renderUsers(w, r, http.StatusConflict, "", "", "", []web.FieldError{{Field: "email", Message: fielderr.Sentence(ve.Message)}})
	case err != nil:
		s.fail(w, r, err)
	default:
		s.showLink(w, r, link)
	}
}

// showLink shows a new link, once: it is in this response and nowhere
// else (the database keeps only its hash), so the page is not cached.
func (s *Server) showLink(w http.ResponseWriter, r *http.Request, l accounts.Link) {
	scheme := "http"
	if r.TLS != nil || !s.Options.InsecureCookies {
		scheme = "https"
	}
	v := web.PasswordLinkView{
		Page:  s.page(r, "Set-password link for "+l.User.Email, web.Crumb{Label: "Users", Href: "/admin/users"}),
		Email: l.User.Email, Role: string(l.User.Role), Invite: l.Purpose == accounts.Invite, Expires: l.Expires,
		URL: scheme + "://" + r.Host + "/set-password?token=" + url.QueryEscape(l.Token),
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, web.PasswordLink(v))
}

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	u, purpose, err := s.Accounts.LinkFor(r.Context(), token)
	if errors.Is(err, accounts.ErrLinkInvalid) {
		s.linkGone(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderSetPassword(w, r, http.StatusOK, web.SetPasswordView{Email: u.Email, Token: token, Invite: purpose == accounts.Invite})
}

func (s *Server) renderSetPassword(w http.ResponseWriter, r *http.Request, status int, v web.SetPasswordView) {
	title := "Choose your password"
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Page = s.page(r, title)
	v.MinLen = accounts.MinPasswordLen
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.SetPassword(v))
}

func (s *Server) linkGone(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusGone, "This link has expired or has already been used",
		"A set-password link works once, for 24 hours. Ask an admin for a new one.")
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) {
	token, password := r.PostFormValue("token"), r.PostFormValue("password")
	u, purpose, err := s.Accounts.LinkFor(r.Context(), token)
	if errors.Is(err, accounts.ErrLinkInvalid) {
		s.linkGone(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	again := func(field, msg string) {
		s.renderSetPassword(w, r, http.StatusUnprocessableEntity, web.SetPasswordView{
			Email: u.Email, Token: token, Invite: purpose == accounts.Invite, Errors: []web.FieldError{{Field: field, Message: msg}},
		})
	}
	if password != r.PostFormValue("confirm") {
		again("confirm", "The two passwords are not the same")
		return
	}
	_, err = s.Accounts.UseLink(r.Context(), token, password, clientIP(r))
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		again("password", fielderr.Sentence(ve.Message))
	case errors.Is(err, accounts.ErrLinkInvalid):
		s.linkGone(w, r)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.render(w, r, http.StatusOK, web.PasswordSet(s.page(r, "Your password is set"), u.Email))
	}
}
