package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"

	"heard/internal/accounts"
	"heard/internal/batchimport"
	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/events"
	"heard/internal/fielderr"
	"heard/internal/personal"
	"heard/internal/report"
	"heard/internal/results"
	"heard/web"
)

// render writes c only once it has rendered completely, so a failure
// half-way becomes a clean error page rather than a broken one.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client has gone
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	var buf bytes.Buffer
	if err := web.ErrorPage(s.page(r, title), message).Render(context.WithoutCancel(r.Context()), &buf); err != nil {
		http.Error(w, title, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck
}

// fail turns an error from a service into the response it deserves: the
// one place where errors become status codes.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var fe *results.FilterError
	switch {
	case errors.Is(err, consultation.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no consultation at this address.")
	case errors.Is(err, report.ErrNoSnapshot):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such frozen report for this consultation.")
	case errors.Is(err, errBreakdownNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "This question has no such breakdown.")
	case errors.Is(err, errThemeNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "This consultation has no theme at this address.")
	case errors.Is(err, accounts.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such user.")
	case errors.Is(err, errQuestionNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "This consultation has no question with that code.")
	case errors.As(err, &fe):
		s.renderError(w, r, http.StatusBadRequest, "Filter not recognised", "The "+fe.Param+" “"+fe.Value+"” is not part of this consultation. Clear the filters and choose again.")
	case errors.Is(err, results.ErrCombinedFilter):
		s.renderError(w, r, http.StatusBadRequest, "Choose one kind of filter", "Filter by respondent group or by channel, not both at once, and not by events, dates or answers: combining them could let a small number of people be picked out. Analysts can combine every filter.")
	case errors.Is(err, personal.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "This response has no such text or redaction.")
	case errors.Is(err, results.ErrResponseNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such response in this consultation.")
	case errors.Is(err, batchimport.ErrResponseNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such imported response in this consultation.")
	case errors.Is(err, batchimport.ErrScanNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "This letter has no scan, or no such page.")
	case errors.Is(err, batchimport.ErrUploadNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such import for this consultation.")
	case errors.Is(err, consultation.ErrThreshold):
		s.renderError(w, r, http.StatusBadRequest, "Threshold not valid", fmt.Sprintf("Each threshold must be a whole number from %d to %d.", consultation.MinThreshold, consultation.MaxThreshold))
	case errors.Is(err, batchimport.ErrUnknownTarget):
		s.renderError(w, r, http.StatusBadRequest, "Choice not recognised", "Choose a question, a theme or general comments from the list.")
	case errors.Is(err, batchimport.ErrFormat):
		s.renderError(w, r, http.StatusBadRequest, "File type not recognised", err.Error())
	case errors.Is(err, events.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such event, or no such group note, in this consultation.")
	case errors.Is(err, events.ErrHasResponses):
		s.renderError(w, r, http.StatusConflict, "This event cannot be deleted", "Responses were taken at this event, and they stay linked to it.")
	case errors.Is(err, accounts.ErrBusy):
		// Password hashing is capped (accounts.DefaultHashSlots).
		w.Header().Set("Retry-After", "5")
		s.renderError(w, r, http.StatusServiceUnavailable, "Too many people are signing in at once", "Wait a few seconds, then try again.")
	case errors.Is(err, results.ErrTooSlow):
		s.Logger.Warn("list too slow", "path", r.URL.Path, "query", r.URL.RawQuery, "request_id", middleware.GetReqID(r.Context()))
		s.renderError(w, r, http.StatusServiceUnavailable, "This list took too long", "Narrow it with a search or a filter, or go back to an earlier page, and try again.")
	case errors.Is(err, errPageTooDeep):
		s.renderError(w, r, http.StatusBadRequest, "Page too far into the list", fmt.Sprintf("Lists show their first %d pages. Narrow the list with a search or a filter to read further.", results.MaxPage))
	case errors.Is(err, coding.ErrNotFound), errors.Is(err, errFrameNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such code, answer, codeframe or sample in this consultation.")
	case errors.Is(err, coding.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "You do not have access to this page", "Only the two analysts coding this sample can code its answers.")
	case errors.Is(err, campaign.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such campaign or repeat in this consultation.")
	case errors.Is(err, errBadPage):
		s.renderError(w, r, http.StatusBadRequest, "Page not recognised", "The page of answers asked for is not valid. Go back to the first page.")
	default:
		s.serverError(w, r, err)
	}
}

// fieldErrors maps an error that names form fields (fielderr.Error, from
// any service) to a form's error summary and inline messages: the one
// place where a service's validation becomes what a re-rendered form
// shows, by the error's type, never its text.
func fieldErrors(err error) ([]web.FieldError, bool) {
	ps, ok := fielderr.Of(err)
	if !ok {
		return nil, false
	}
	out := make([]web.FieldError, len(ps))
	for i, p := range ps {
		out[i] = web.FieldError{Field: p.Field, Message: p.Message}
	}
	return out, true
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	id := middleware.GetReqID(r.Context())
	if tookTooLong(r, err) {
		s.Logger.Warn("request took too long", "method", r.Method, "path", r.URL.Path, "request_id", id, "err", err)
		s.renderError(w, r, http.StatusServiceUnavailable, "This took too long",
			"The page needed more time than the service allows. Narrow your filters (one question, respondent group or channel) and try again. If this keeps happening, quote reference "+id+".")
		return
	}
	s.logError(r, "request failed", "err", err)
	s.renderError(w, r, http.StatusInternalServerError, "Sorry, there is a problem with the service", "Try again later.")
}

// logError logs msg at Error with the request's method, path and id, so
// that a failure can be found from what a user quotes or the access log.
func (s *Server) logError(r *http.Request, msg string, args ...any) {
	args = append([]any{"method", r.Method, "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context())}, args...)
	s.Logger.Error(msg, args...)
}

// tookTooLong reports whether the database cancelled a statement of r at
// the web pool's statement_timeout. The same error code also means the
// client went away (pgx cancels its query then), so a request whose
// context has ended is not counted.
func tookTooLong(r *http.Request, err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == pgerrcode.QueryCanceled && r.Context().Err() == nil
}

// page is the frame of a page: its title, breadcrumbs and who is signed in.
func (s *Server) page(r *http.Request, title string, crumbs ...web.Crumb) web.Page {
	p := web.Page{Title: title, Breadcrumbs: crumbs}
	if u := userFrom(r.Context()); u != nil {
		p.User = &web.SignedIn{Email: u.Email, Role: string(u.Role)}
	}
	return p
}

// reqID is the request's id, for log lines that are not errors.
func reqID(r *http.Request) string { return middleware.GetReqID(r.Context()) }
