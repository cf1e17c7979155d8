package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/fielderr"
	"heard/web"
)

func (s *Server) actor(r *http.Request) accounts.Actor {
	return accounts.Actor{User: userFrom(r.Context()), ClientIP: clientIP(r)}
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, s.notice(r), "", "", nil)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, notice, email, role string, errs []web.FieldError) {
	list, err := s.Accounts.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Users"
	if len(errs) > 0 {
		title = "Error: Users"
	}
	v := web.UsersView{Page: s.page(r, title), Notice: notice, Errors: errs, NewEmail: email, NewRole: role}
	for _, ro := range accounts.Roles {
		v.Roles = append(v.Roles, string(ro))
	}
	pending, err := s.Accounts.PendingLinks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	me := userFrom(r.Context())
	for _, u := range list {
		row := web.UserRow{ID: u.ID, Email: u.Email, Role: string(u.Role), Disabled: u.Disabled, Self: me != nil && me.ID == u.ID, Created: u.Created}
		if p, ok := pending[u.ID]; ok {
			row.LinkPending, row.LinkInvite, row.LinkExpires = true, p.Purpose == accounts.Invite, p.Expires
		}
		v.Users = append(v.Users, row)
	}
	s.render(w, r, status, web.Users(v))
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	email, role := r.PostFormValue("email"), r.PostFormValue("role")
	ro, err := accounts.ParseRole(role)
	var link accounts.Link
	if err == nil {
		link, err = s.Accounts.InviteUser(r.Context(), s.actor(r), email, ro)
	}
	if errs, ok := fieldErrors(err); ok {
		s.renderUsers(w, r, http.StatusUnprocessableEntity, "", email, role, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showLink(w, r, link)
}

// userChange runs one change on the user in the URL and reports it.
func (s *Server) userChange(w http.ResponseWriter, r *http.Request, fn func(id int64) (accounts.User, error), done string) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "Page not found", "There is no such user.")
		return
	}
	if me := userFrom(r.Context()); me != nil && me.ID == id {
		s.renderUsers(w, r, http.StatusConflict, "", "", "", []web.FieldError{{Field: "email", Message: "You cannot change your own account here: ask another admin"}})
		return
	}
	u, err := fn(id)
	switch {
	case errors.Is(err, accounts.ErrLastAdmin):
		s.renderUsers(w, r, http.StatusConflict, "", "", "", []web.FieldError{{Field: "email", Message: fielderr.Sentence(err.Error())}})
	case err != nil:
		var ve *accounts.ValidationError
		if errors.As(err, &ve) {
			s.renderUsers(w, r, http.StatusUnprocessableEntity, "", "", "", []web.FieldError{{Field: "email", Message: fielderr.Sentence(ve.Message)}})
			return
		}
		s.fail(w, r, err)
	default:
		s.notify(r, done+" "+u.Email)
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	}
}

func (s *Server) changeRole(w http.ResponseWriter, r *http.Request) {
	s.userChange(w, r, func(id int64) (accounts.User, error) {
		ro, err := accounts.ParseRole(r.PostFormValue("role"))
		if err != nil {
			return accounts.User{}, err
		}
		return s.Accounts.SetRole(r.Context(), s.actor(r), id, ro)
	}, "Changed the role of")
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) {
	s.userChange(w, r, func(id int64) (accounts.User, error) {
		return s.Accounts.Disable(r.Context(), s.actor(r), id)
	}, "Disabled and signed out")
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) {
	s.userChange(w, r, func(id int64) (accounts.User, error) {
		return s.Accounts.Enable(r.Context(), s.actor(r), id)
	}, "Enabled")
}

func (s *Server) consultationsAdmin(w http.ResponseWriter, r *http.Request) {
	cs, err := s.Consultations.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := web.ConsultationsAdminView{Page: s.page(r, "Consultations and publishing"), Notice: s.notice(r)}
	for _, c := range cs {
		v.Rows = append(v.Rows, web.ConsultationAdminRow{Slug: c.Slug, Title: c.Title, Status: string(c.Status), OpensOn: c.OpensOn, ClosesOn: c.ClosesOn, Published: c.ResultsPublished})
	}
	s.render(w, r, http.StatusOK, web.ConsultationsAdmin(v))
}

func (s *Server) publishResults(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	publish := r.PostFormValue("published") == "true"
	if publish && !s.publishOrRefuse(w, r, c) {
		return
	}
	if err := s.Consultations.PublishResults(r.Context(), s.actor(r), c, publish); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "Results of " + c.Title + " are no longer published"
	if publish {
		done = "Results of " + c.Title + " are now published"
	}
	s.notify(r, done)
	http.Redirect(w, r, "/admin/consultations", http.StatusSeeOther)
}

const auditPerPage = 50

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := audit.Filter{Action: q.Get("action"), Actor: q.Get("actor"), Consultation: q.Get("consultation")}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			s.fail(w, r, errBadPage)
			return
		}
		f.Before = n
	}
	items, more, err := s.Audit.List(r.Context(), f, auditPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actions, err := s.Audit.Actions(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := web.AuditView{Page: s.page(r, "Audit log"), Actor: f.Actor, Consultation: f.Consultation}
	for _, a := range actions {
		v.Actions = append(v.Actions, web.Choice{Value: a, Label: audit.Label(a), Checked: a == f.Action})
	}
	for _, it := range items {
		v.Items = append(v.Items, web.AuditRow{At: it.At, Actor: it.Actor, Action: audit.Label(it.Action), Consultation: it.Consultation, Record: strings.ReplaceAll(it.Record, "_", " "), ClientIP: it.ClientIP, Detail: audit.DetailText(it.Detail)})
	}
	q.Del("before")
	if f.Before > 0 {
		v.FirstHref = withQuery("/admin/audit", q)
	}
	if more {
		next := url.Values{}
		for k, vs := range q {
			next[k] = vs
		}
		next.Set("before", strconv.FormatInt(items[len(items)-1].ID, 10))
		v.NextHref = withQuery("/admin/audit", next)
	}
	s.render(w, r, http.StatusOK, web.Audit(v))
}
