package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// letters lists a consultation's imported emails and letters.
func (s *Server) letters(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, page, err := listQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, total, err := s.Results.Letters(r.Context(), c, page)
	if err != nil {
		if errors.Is(err, results.ErrPageOutOfRange) {
			err = errBadPage
		}
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	path := base + "/letters"
	groups := groupLabels(c)
	v := web.LettersView{
		Page:  s.page(r, "Emails and letters: "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base}),
		Title: c.Title,
	}
	if total == 0 {
		v.Showing = "No emails or letters have been imported."
	} else {
		first := (page-1)*results.LettersPerPage + 1
		v.Showing = fmt.Sprintf("Showing %s–%s of %s emails and letters", web.Num(int64(first)), web.Num(int64(first+len(items)-1)), web.Num(total))
	}
	for _, it := range items {
		row := web.LetterListRow{
			Href: responseHref(c, it.ID), Ref: it.Ref, Channel: results.ChannelLabel(it.Channel),
			Received: web.Date(it.Received.In(results.London)), Sender: it.Sender, Subject: it.Subject,
			Organisation: it.Organisation, Group: groups[it.GroupID], Segments: it.Segments, Batch: it.BatchFile,
		}
		if it.SuggestedGroupID != 0 {
			row.Suggested = groups[it.SuggestedGroupID]
		}
		if row.Sender == "" {
			row.Sender = "Response " + it.Ref
		}
		v.Rows = append(v.Rows, row)
	}
	l := results.AnswerList{Page: page, Total: total, HasNext: int64(page*results.LettersPerPage) < total}
	v.Pagination = letterPagination(l, path)
	s.render(w, r, http.StatusOK, web.Letters(v))
}

// readingLinks are the overview's links to the letters list and to each
// theme's letter passages.
func readingLinks(c *consultation.Consultation) []web.Crumb {
	base := "/consultations/" + c.Slug
	links := []web.Crumb{{Label: "Every imported email and letter", Href: base + "/letters"}}
	for _, t := range c.Themes {
		links = append(links, web.Crumb{Label: "Passages on “" + t.Title + "”", Href: base + "/themes/" + t.Slug + "/letters"})
	}
	return links
}

// letterPagination is pagination at LettersPerPage a page.
func letterPagination(l results.AnswerList, path string) web.PaginationView {
	// pagination counts pages of results.PageSize; scale the total.
	scaled := l
	scaled.Total = (l.Total + results.LettersPerPage - 1) / results.LettersPerPage * results.PageSize
	return pagination(scaled, path, url.Values{}, "emails and letters")
}

// setLetterRespondent saves an analyst's choice of a letter's group and
// organisation, then shows the letter's response page again.
func (s *Server) setLetterRespondent(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.fail(w, r, results.ErrResponseNotFound)
		return
	}
	err = s.Results.SetLetterRespondent(r.Context(), c, s.actor(r), id, r.PostFormValue("group"), r.PostFormValue("organisation"))
	var re *results.RespondentError
	if errors.As(err, &re) {
		s.renderError(w, r, http.StatusBadRequest, "The respondent was not changed", re.Message+". Go back and try again.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, responseHref(c, id)+"?saved=respondent", http.StatusSeeOther)
}
