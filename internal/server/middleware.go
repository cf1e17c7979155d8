package server

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"
)

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		s.Logger.Debug("request",
			"method", r.Method, "path", r.URL.Path, "status", ww.Status(),
			"duration_ms", time.Since(start).Milliseconds(), "request_id", middleware.GetReqID(r.Context()))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders forbids inline script and framing on every response,
// and storing it: pages and downloads show individual responses, names
// and letters, and after signing out on a shared computer Back must not
// show them again. Static assets replace this with their own caching
// (cacheStatic).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		if r.TLS != nil || s.forwardedHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// forwardedHTTPS reports whether a trusted proxy says the client used
// HTTPS. The proxy nearest Heard writes the last value of
// X-Forwarded-Proto; with no trusted proxy the header is the client's
// own word and is ignored.
func (s *Server) forwardedHTTPS(r *http.Request) bool {
	if s.Options.TrustedProxies == 0 {
		return false
	}
	vs := r.Header.Values("X-Forwarded-Proto")
	if len(vs) == 0 {
		return false
	}
	protos := strings.Split(vs[len(vs)-1], ",")
	return strings.EqualFold(strings.TrimSpace(protos[len(protos)-1]), "https")
}

// readForm reads a form body before the handler, so that a client whose
// body stops arriving (the server's ReadTimeout) gets 408 rather than a
// handler failing on a cancelled request. Multipart uploads are read by
// their handlers, which call bodyTimedOut themselves.
func (s *Server) readForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			// Other errors (too large, badly encoded) are the handler's
			// to answer, as before.
			if err := r.ParseForm(); bodyTimedOut(err) {
				s.requestTimeout(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// bodyTimedOut reports whether err is the request body failing to arrive
// in time.
func bodyTimedOut(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (s *Server) requestTimeout(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	s.renderError(w, r, http.StatusRequestTimeout, "The page took too long to arrive",
		"Nothing was changed. Check your connection, go back and try again.")
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses request bodies over n bytes.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// crossOriginProtection refuses state-changing requests from other sites
// (CSRF), using the browser's Sec-Fetch-Site and Origin headers.
func (s *Server) crossOriginProtection(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This request came from another website",
			"For your safety, changes can only be made from Heard's own pages. Go back, reload the page and try again.")
	}))
	return cop.Handler(next)
}

func (s *Server) tooManyRequests(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusTooManyRequests, "Too many attempts", "Wait a minute, then try again.")
}

func clientIPKey(r *http.Request) (string, error) {
	return clientIP(r), nil
}

// refuseMalformedURLs answers 404 for a path, and 400 for a query, that
// holds a NUL byte or invalid UTF-8. No name in Heard can contain
// either, and PostgreSQL refuses both in text, so without this check a
// hand-typed or scanned address became a 500 and an error in the log.
func (s *Server) refuseMalformedURLs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !wellFormed(r.URL.Path) {
			s.renderError(w, r, http.StatusNotFound, "Page not found", "If you typed the web address, check it is correct.")
			return
		}
		// ParseQuery's error (a bad %-escape) is not ours to judge:
		// handlers have always ignored such a parameter.
		q, _ := url.ParseQuery(r.URL.RawQuery)
		for k, vs := range q {
			if !wellFormed(k) || !all(vs, wellFormed) {
				s.renderError(w, r, http.StatusBadRequest, "Web address not recognised", "The web address has characters that cannot be part of it. If you typed it, check it is correct.")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// wellFormed reports whether s is valid UTF-8 without a NUL byte: text
// PostgreSQL will store.
func wellFormed(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func all(vs []string, ok func(string) bool) bool {
	for _, v := range vs {
		if !ok(v) {
			return false
		}
	}
	return true
}
