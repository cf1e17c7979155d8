package server

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"heard/internal/accounts"
)

// Access is the least a request needs to reach a route.
type Access int

// Every route declares one of these in Routes.
const (
	Public Access = iota + 1
	// PublishedOrViewer: open to anyone when the consultation's results
	// are published, otherwise viewers and up.
	PublishedOrViewer
	ViewerOnly
	AnalystOnly
	AdminOnly
)

func (a Access) role() accounts.Role {
	switch a {
	case ViewerOnly, PublishedOrViewer:
		return accounts.Viewer
	case AnalystOnly:
		return accounts.Analyst
	case AdminOnly:
		return accounts.Admin
	}
	return ""
}

// handle registers a route with the access it needs and the default
// body limit. Routes are only ever added through here (or handleLimit),
// so every route has both.
func (s *Server) handle(r chi.Router, method, pattern string, a Access, h http.HandlerFunc) {
	s.handleLimit(r, method, pattern, a, maxBody, h)
}

// handleLimit is handle for a route whose requests may be larger, such
// as a file upload.
func (s *Server) handleLimit(r chi.Router, method, pattern string, a Access, limit int64, h http.HandlerFunc) {
	if s.access == nil {
		s.access = map[string]Access{}
	}
	s.access[method+" "+pattern] = a
	// Access is checked before the body is read, so an anonymous upload
	// is refused without reading it.
	if limit > maxBody {
		// A file upload may take longer than ReadTimeout over a slow
		// link; it has as long as it keeps arriving.
		r.With(s.require(a), limitBody(limit), keepReading, s.readForm).Method(method, pattern, h)
		return
	}
	r.With(s.require(a), limitBody(limit), s.readForm).Method(method, pattern, h)
}

// DeclaredRoutes lists every route registered through handle, as
// "METHOD pattern", for tests that must reach them all.
func (s *Server) DeclaredRoutes() []string {
	routes := make([]string, 0, len(s.access))
	for k := range s.access {
		routes = append(routes, k)
	}
	sort.Strings(routes)
	return routes
}

// AccessOf returns the access declared for a route, for tests.
func (s *Server) AccessOf(method, pattern string) (Access, bool) {
	a, ok := s.access[method+" "+pattern]
	return a, ok
}

func (s *Server) require(a Access) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if a == Public {
				next.ServeHTTP(w, r)
				return
			}
			if a == PublishedOrViewer && s.published(r) {
				next.ServeHTTP(w, r)
				return
			}
			u := userFrom(r.Context())
			if u == nil {
				s.refuseAnonymous(w, r)
				return
			}
			if !u.Role.AtLeast(a.role()) {
				s.renderError(w, r, http.StatusForbidden, "You do not have access to this page",
					"Your account is a "+string(u.Role)+" account. Ask an admin if you need more access.")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// published reports whether the consultation in the URL publishes its results.
func (s *Server) published(r *http.Request) bool {
	slug := chi.URLParam(r, "slug")
	if slug == "" {
		return false
	}
	ok, err := s.Consultations.ResultsPublished(r.Context(), slug)
	return err == nil && ok
}

// refuseAnonymous sends a browser to sign in and a script a 401.
func (s *Server) refuseAnonymous(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, ".csv") || strings.HasPrefix(r.URL.Path, "/api/") || r.Method != http.MethodGet {
		w.Header().Set("WWW-Authenticate", `Cookie realm="Heard"`)
		http.Error(w, "sign in first", http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
}

// safeNext keeps a post-sign-in destination on this site. It must hold
// as the browser reads it, not as Go does: browsers drop tabs and
// newlines anywhere in a URL and read a backslash as a slash, so
// "/\t/evil.example" and "/\\evil.example" both mean //evil.example.
// Anything with a control character, a backslash or invalid UTF-8 is
// refused outright; what is left must parse as a path with no scheme
// or host, and not begin "//".
func safeNext(next string) string {
	if !utf8.ValidString(next) || strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}

type ctxKey int

const userKey ctxKey = 1

func userFrom(ctx context.Context) *accounts.User {
	u, _ := ctx.Value(userKey).(*accounts.User)
	return u
}

// loadUser puts the signed-in user, if any, in the request context. A
// session whose user is disabled, or whose epoch has moved on (disabled
// or password changed since), is destroyed: that is how an admin signs
// a user out everywhere. So is one idle for longer than sessionIdle.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := s.Sessions.GetInt64(ctx, "user_id")
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.Accounts.Get(ctx, id)
		// Unix seconds: scs's gob codec stores an int64 as it is.
		seen := time.Unix(s.Sessions.GetInt64(ctx, "seen"), 0)
		idle := seen.Unix() != 0 && time.Since(seen) > sessionIdle
		if err != nil || u.Disabled || u.Epoch != s.Sessions.GetInt32(ctx, "epoch") || idle {
			if err := s.Sessions.Destroy(ctx); err != nil {
				s.serverError(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if time.Since(seen) >= sessionTouch {
			s.Sessions.Put(ctx, "seen", time.Now().Unix())
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, &u)))
	})
}

func clientIP(r *http.Request) string {
	return middleware.GetClientIP(r.Context())
}
