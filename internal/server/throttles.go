package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"heard/internal/accounts"
	"heard/web"
)

// throttles shows the sign-in throttles, so that an admin can see who is
// being held up and clear it.
func (s *Server) throttles(w http.ResponseWriter, r *http.Request) {
	list, err := s.Accounts.Throttles(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	v := web.ThrottlesView{Page: s.page(r, "Sign-in throttles"), Notice: s.notice(r)}
	for _, t := range list {
		row := web.ThrottleRow{Email: t.Email, Client: t.Client, Failures: t.Failures, LastFailure: t.LastFailure.UTC().Format("2 Jan 2006 15:04 UTC")}
		if t.Blocked(now) {
			row.BlockedFor = waitWords(t.BlockedUntil.Sub(now))
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.Throttles(v))
}

func (s *Server) clearThrottle(w http.ResponseWriter, r *http.Request) {
	email, client := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("client")
	err := s.Accounts.ClearThrottle(r.Context(), s.actor(r), email, client)
	switch {
	case errors.Is(err, accounts.ErrNotFound):
		s.notify(r, "There was no throttle to clear for "+email)
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		from := "any connection"
		if client != "" {
			from = client
		}
		s.notify(r, "Cleared the sign-in throttle of "+email+" from "+from)
	}
	http.Redirect(w, r, "/admin/sign-in-throttles", http.StatusSeeOther)
}
