package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"heard/internal/accounts"
	"heard/web"
)

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, web.SignIn(web.SignInView{Page: s.page(r, "Sign in"), Next: safeNext(r.URL.Query().Get("next"))}))
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	again := func(status int, errs ...web.FieldError) {
		p := s.page(r, "Error: Sign in")
		s.render(w, r, status, web.SignIn(web.SignInView{Page: p, Email: email, Next: next, Errors: errs}))
	}
	var errs []web.FieldError
	if email == "" {
		errs = append(errs, web.FieldError{Field: "email", Message: "Enter your email address"})
	}
	if password == "" {
		errs = append(errs, web.FieldError{Field: "password", Message: "Enter your password"})
	}
	if len(errs) > 0 {
		again(http.StatusUnprocessableEntity, errs...)
		return
	}
	u, err := s.Accounts.Authenticate(r.Context(), email, password, clientIP(r))
	var throttled *accounts.ThrottledError
	switch {
	case errors.Is(err, accounts.ErrBadCredentials):
		again(http.StatusUnauthorized, web.FieldError{Field: "email", Message: "The email address or password is not right"})
		return
	case errors.As(err, &throttled):
		wait := max(time.Until(throttled.Until), time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		again(http.StatusTooManyRequests, web.FieldError{Field: "email", Message: "There have been too many failed attempts to sign in with this email address. Wait " + waitWords(wait) + ", then try again"})
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	// A new token at every sign-in, so a token planted before it is useless.
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.Sessions.Put(r.Context(), "user_id", u.ID)
	s.Sessions.Put(r.Context(), "epoch", u.Epoch)
	s.Sessions.Put(r.Context(), "seen", time.Now().Unix())
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// waitWords says a wait in whole seconds or minutes, rounded up.
func waitWords(d time.Duration) string {
	if d <= time.Minute {
		n := int((d + time.Second - 1) / time.Second)
		return strconv.Itoa(n) + plural(n, " second", " seconds")
	}
	n := int((d + time.Minute - 1) / time.Minute)
	return strconv.Itoa(n) + plural(n, " minute", " minutes")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if u := userFrom(r.Context()); u != nil {
		if err := s.Accounts.RecordSignOut(r.Context(), *u, clientIP(r)); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err := s.Sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
