package server

import (
	"io/fs"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"heard/web"
)

// maxBody caps request bodies unless a route says otherwise (handleLimit).
const maxBody = 1 << 20

// Routes returns every route of the service, on one screen. Each route
// states who may use it; see access.go.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	if s.Options.TrustedProxies > 0 {
		r.Use(middleware.ClientIPFromXFFTrustedProxies(s.Options.TrustedProxies))
	} else {
		r.Use(middleware.ClientIPFromRemoteAddr)
	}
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(s.securityHeaders)
	r.Use(s.crossOriginProtection)
	r.Use(s.Sessions.LoadAndSave)
	r.Use(s.loadUser)
	r.Use(s.refuseMalformedURLs)

	static, _ := fs.Sub(web.Static, "static")
	assets, _ := fs.Sub(web.Static, "static/assets")
	s.handle(r, "GET", "/static/*", Public, http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))).ServeHTTP)
	s.handle(r, "GET", "/assets/*", Public, http.StripPrefix("/assets/", cacheStatic(http.FileServerFS(assets))).ServeHTTP)
	s.handle(r, "GET", "/healthz", Public, s.health)

	s.handle(r, "GET", "/sign-in", Public, s.signInPage)
	// Failed sign-ins are also limited per account, in accounts.Authenticate.
	r.With(httprate.Limit(20, time.Minute, httprate.WithKeyFuncs(clientIPKey),
		httprate.WithLimitHandler(s.tooManyRequests))).Group(func(r chi.Router) {
		s.handle(r, "POST", "/sign-in", Public, s.signIn)
	})
	s.handle(r, "POST", "/sign-out", Public, s.signOut)

	s.handle(r, "GET", "/", Public, s.home)
	s.handle(r, "GET", "/consultations/{slug}", PublishedOrViewer, s.overview)
	s.handle(r, "GET", "/consultations/{slug}/about", Public, s.about)
	s.handle(r, "GET", "/consultations/{slug}/questions/{code}", PublishedOrViewer, s.question)
	s.handle(r, "GET", "/consultations/{slug}/results.csv", PublishedOrViewer, s.resultsCSV)
	s.dashboardRoutes(r)
	s.webformRoutes(r)
	s.readingRoutes(r)
	s.campaignRoutes(r) // campaigns and repeats (#15)

	s.handle(r, "GET", "/admin", AdminOnly, s.adminHome)
	s.handle(r, "GET", "/admin/users", AdminOnly, s.users)
	s.handle(r, "POST", "/admin/users", AdminOnly, s.addUser)
	s.handle(r, "POST", "/admin/users/{id}/role", AdminOnly, s.changeRole)
	s.handle(r, "POST", "/admin/users/{id}/disable", AdminOnly, s.disableUser)
	s.handle(r, "POST", "/admin/users/{id}/enable", AdminOnly, s.enableUser)
	s.passwordLinkRoutes(r)
	s.handle(r, "GET", "/admin/consultations", AdminOnly, s.consultationsAdmin)
	s.handle(r, "GET", "/admin/consultations/{slug}/publish", AdminOnly, s.publishReview)
	s.handle(r, "POST", "/admin/consultations/{slug}/publish", AdminOnly, s.publishResults)
	s.consultationAdminRoutes(r)
	s.handle(r, "POST", "/admin/consultations/{slug}/thresholds", AdminOnly, s.setThresholds)
	s.handle(r, "GET", "/admin/audit", AdminOnly, s.auditLog)
	s.handle(r, "GET", "/admin/sign-in-throttles", AdminOnly, s.throttles)
	s.handle(r, "POST", "/admin/sign-in-throttles/clear", AdminOnly, s.clearThrottle)
	s.importRoutes(r)
	s.eventRoutes(r)
	s.codingRoutes(r)
	s.autocodeRoutes(r) // suggested codes (#13), in autocode.go
	s.personalRoutes(r)

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "If you typed the web address, check it is correct.")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusMethodNotAllowed, "Method not allowed", "This page cannot be used that way.")
	})
	return r
}
