package server

import "net/http"

// Success banners ("Event recorded", "Added … as analyst") travel from
// the action to the page after it in the user's session and are shown
// once. They never travel in the address: a ?done= link would let anyone
// put words of their choosing in Heard's green banner.

// notify keeps msg for the next page this user sees.
func (s *Server) notify(r *http.Request, msg string) {
	s.Sessions.Put(r.Context(), "notice", msg)
}

// notice takes the message kept by notify, if any.
func (s *Server) notice(r *http.Request) string {
	return s.Sessions.PopString(r.Context(), "notice")
}
