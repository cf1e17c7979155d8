package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/jobs"
	"heard/internal/mailbox"
	"heard/web"
)

// mailboxRoutes are the admin pages of a consultation's watched mailbox (#17).
func (s *Server) mailboxRoutes(r chi.Router) {
	const base = "/admin/consultations/{slug}/mailbox"
	s.handle(r, "GET", base, AdminOnly, s.mailboxPage)
	s.handle(r, "POST", base, AdminOnly, s.connectMailbox)
	s.handle(r, "POST", base+"/fetch", AdminOnly, s.fetchMailbox)
	s.handle(r, "POST", base+"/disconnect", AdminOnly, s.disconnectMailbox)
}

func (s *Server) mailboxes() *mailbox.Service {
	return s.Mailboxes
}

func (s *Server) mailboxPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderMailbox(w, r, c, http.StatusOK, web.MailboxForm{Port: "993", Security: mailbox.TLS, Folder: "INBOX"}, nil)
}

func (s *Server) renderMailbox(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, status int, form web.MailboxForm, errs []web.FieldError) {
	base := "/admin/consultations/" + c.Slug + "/mailbox"
	title := "Mailbox"
	if len(errs) > 0 {
		title = "Error: Mailbox"
	}
	v := web.MailboxView{
		Page: s.page(r, title, web.Crumb{Label: "Imports", Href: "/admin/consultations/" + c.Slug + "/imports"}),
		Slug: c.Slug, Title: c.Title, Errors: errs, Notice: s.notice(r), Form: form,
		NoKey: len(s.Options.SecretKey) == 0, Action: base, FetchAction: base + "/fetch", DisconnectAction: base + "/disconnect",
		ImportsHref: "/admin/consultations/" + c.Slug + "/imports",
	}
	var err error
	if v.Current, err = s.mailboxRow(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, web.Mailbox(v))
}

func (s *Server) connectMailbox(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := web.MailboxForm{
		Host: r.PostFormValue("host"), Port: strings.TrimSpace(r.PostFormValue("port")), Security: r.PostFormValue("security"),
		User: r.PostFormValue("user"), Folder: r.PostFormValue("folder"), DoneFolder: strings.TrimSpace(r.PostFormValue("done_folder")),
	}
	port, perr := strconv.Atoi(form.Port)
	if perr != nil {
		port = 0
	}
	cfg := mailbox.Config{Host: form.Host, Port: port, Security: form.Security, User: form.User, Password: r.PostFormValue("password"), Folder: form.Folder, DoneFolder: form.DoneFolder}
	err = s.mailboxes().Connect(r.Context(), c, s.actor(r), cfg)
	var le *mailbox.LoginError
	errs, invalid := fieldErrors(err)
	switch {
	case invalid:
		// A wrong field, the server not reachable, or no such folder:
		// the admin can fix the form.
		s.renderMailbox(w, r, c, http.StatusBadRequest, form, errs)
	case errors.As(err, &le):
		s.renderMailbox(w, r, c, http.StatusBadRequest, form, []web.FieldError{{Field: "password", Message: "The mail server refused this user name and password (" + le.Reason + "). Many providers need an app password."}})
	case errors.Is(err, mailbox.ErrNoKey):
		s.renderMailbox(w, r, c, http.StatusBadRequest, form, []web.FieldError{{Field: "host", Message: "The server has no HEARD_SECRET_KEY to encrypt the password: a mailbox cannot be connected"}})
	case err != nil:
		s.fail(w, r, err)
	default:
		s.notify(r, "Mailbox connected: new messages are fetched every minute")
		http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/mailbox", http.StatusSeeOther)
	}
}

// fetchMailbox fetches now: in the background when jobs run, else here.
func (s *Server) fetchMailbox(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "Fetch started: refresh this page to see what arrived"
	if s.Jobs != nil {
		if _, err := s.Jobs.Insert(r.Context(), jobs.FetchMailboxesArgs{}, nil); err != nil {
			s.fail(w, r, err)
			return
		}
	} else {
		rep, err := s.mailboxes().Fetch(r.Context(), c, s.actor(r))
		switch {
		case errors.Is(err, mailbox.ErrNotConnected):
			s.fail(w, r, err)
			return
		case err != nil:
			done = "Fetch failed: see the last error below"
		default:
			done = fmt.Sprintf("Fetched %d: %d imported, %d already stored, %d refused", rep.Fetched, rep.Imported, rep.Duplicates, rep.Refused)
		}
	}
	s.notify(r, done)
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/mailbox", http.StatusSeeOther)
}

func (s *Server) disconnectMailbox(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.mailboxes().Disconnect(r.Context(), c, s.actor(r)); err != nil && !errors.Is(err, mailbox.ErrNotConnected) {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Mailbox disconnected; its imported responses stay")
	http.Redirect(w, r, "/admin/consultations/"+c.Slug+"/mailbox", http.StatusSeeOther)
}

// mailboxRow is the mailbox's status and recent outcomes, or nil.
func (s *Server) mailboxRow(ctx context.Context, c *consultation.Consultation) (*web.MailboxRow, error) {
	q := db.New(s.Pool)
	mb, err := q.GetMailbox(ctx, c.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	row := &web.MailboxRow{
		Address: fmt.Sprintf("%s on %s:%d (%s)", mb.Username, mb.Host, mb.Port, mb.Security), Folder: mb.Folder, LastError: mb.LastError,
	}
	if mb.LastFetchAt != nil {
		row.LastFetch = web.DateTimeLondon(*mb.LastFetchAt)
	}
	counts, err := q.MailboxOutcomes(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range counts {
		switch o.Outcome {
		case "imported":
			row.Imported = o.N
		case "duplicate":
			row.Duplicates = o.N
		case "refused":
			row.Refused = o.N
		}
	}
	recent, err := q.RecentMailboxMessages(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range recent {
		row.Recent = append(row.Recent, web.MailboxMessageRow{UID: fmt.Sprint(m.Uid), MessageID: m.MessageID, Outcome: m.Outcome, Reason: m.Reason, At: web.DateTimeLondon(m.FetchedAt)})
	}
	return row, nil
}
