package server

import (
	"net/http"
	"net/url"
	"strconv"

	"heard/internal/consultation"
	"heard/internal/events"
	"heard/web"
)

// entryPage is a fresh screen for the next response: a new key, the
// group of the last response already chosen (events often reach one
// group) and, after a save, a line saying it was saved.
func (s *Server) entryPage(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	notice := s.notice(r)
	en := events.Entry{Key: events.NewKey(), Group: q.Get("group")}
	if c.Group(en.Group) == nil {
		en.Group = ""
	}
	s.renderEntry(w, r, c, ev, en, notice, http.StatusOK, nil)
}

func (s *Server) saveEntry(w http.ResponseWriter, r *http.Request) {
	c, ev, err := s.loadEvent(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm() //nolint:errcheck // a bad body leaves the fields empty, which the form reports
	en := events.Entry{Key: r.PostForm.Get("key"), Group: r.PostForm.Get("group"), Organisation: r.PostForm.Get("organisation"), Answers: map[string]string{}}
	for _, qu := range c.Questions {
		en.Answers[qu.Code] = r.PostForm.Get("answer-" + qu.Code)
	}
	saved, err := s.events().SaveResponse(r.Context(), s.actor(r), c, ev, en)
	if errs, ok := fieldErrors(err); ok {
		s.renderEntry(w, r, c, ev, en, "", http.StatusUnprocessableEntity, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := strconv.FormatInt(saved.ResponseID, 10)
	if r.PostForm.Get("then") == "finish" {
		s.notify(r, "Response "+id+" saved")
		http.Redirect(w, r, eventHref(c, ev.ID), http.StatusSeeOther)
		return
	}
	if saved.Duplicate {
		s.notify(r, "Response "+id+" had already been saved: the screen was sent twice and nothing more was stored.")
	} else {
		s.notify(r, "Response "+id+" saved. Type up the next one.")
	}
	next := url.Values{"group": {en.Group}}
	http.Redirect(w, r, eventHref(c, ev.ID)+"/responses/new?"+next.Encode(), http.StatusSeeOther)
}

func (s *Server) renderEntry(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, ev *events.Event, en events.Entry, notice string, status int, errs []web.FieldError) {
	href := eventHref(c, ev.ID)
	title := "Type up a response: " + ev.Name
	if len(errs) > 0 {
		title = "Error: " + title
	}
	v := web.EntryView{
		Page:  s.page(r, title, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Engagement events", Href: eventsHref(c)}, web.Crumb{Label: ev.Name, Href: href}),
		Title: c.Title, EventName: ev.Name, EventHref: href, Action: href + "/responses",
		Key: en.Key, Notice: notice, Count: ev.Responses, Errors: errs, Organisation: en.Organisation,
		Focus:  len(errs) == 0,
		Groups: []web.Choice{{Value: "", Label: "Not known", Checked: en.Group == ""}},
	}
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, web.Choice{Value: g.Slug, Label: g.Label, Checked: en.Group == g.Slug})
	}
	var themed, about web.EntrySection
	themed.Heading, about.Heading = "Answers", "About the respondent"
	for _, q := range c.Questions {
		eq := web.EntryQuestion{Field: "answer-" + q.Code, Code: q.Code, Prompt: q.Prompt, Hint: q.Hint, Open: !q.Closed(), Value: en.Answers[q.Code]}
		if q.Closed() {
			eq.Options = []web.Choice{{Value: "", Label: "Not answered", Checked: eq.Value == ""}}
			for _, o := range q.Scale.Options {
				eq.Options = append(eq.Options, web.Choice{Value: o.Slug, Label: o.Label, Checked: eq.Value == o.Slug})
			}
		}
		if q.Kind == "demographic" {
			about.Questions = append(about.Questions, eq)
		} else {
			themed.Questions = append(themed.Questions, eq)
		}
	}
	for _, sec := range []web.EntrySection{themed, about} {
		if len(sec.Questions) > 0 {
			v.Sections = append(v.Sections, sec)
		}
	}
	s.render(w, r, status, web.Entry(v))
}
