package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// letterRoutes are the analysts' pages for one imported email or letter.
func (s *Server) letterRoutes(r chi.Router) {
	const base = "/consultations/{slug}/letters/{id}"
	s.handle(r, "GET", base, AnalystOnly, s.letter)
	s.handle(r, "GET", "/consultations/{slug}/letters/untyped", AnalystOnly, s.untypedLetters)
	s.handle(r, "POST", base+"/segments/{segment}", AnalystOnly, s.correctSegment)
	s.handle(r, "POST", base+"/group", AnalystOnly, s.confirmGroup)
	s.handle(r, "POST", base+"/organisation", AnalystOnly, s.confirmOrganisation)
	// Scanned letters (#17), see scans.go.
	s.handle(r, "GET", base+"/scans/{scan}", AnalystOnly, s.scanFile)
	s.handle(r, "GET", base+"/scans/{scan}/pages/{page}", AnalystOnly, s.scanPageImage)
	s.handle(r, "POST", base+"/text", AnalystOnly, s.correctScanText)
}

func (s *Server) loadLetter(r *http.Request) (*consultation.Consultation, int64, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, 0, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, 0, batchimport.ErrResponseNotFound
	}
	return c, id, nil
}

func (s *Server) letter(w http.ResponseWriter, r *http.Request) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.Imports.Letter(r.Context(), c, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := fmt.Sprintf("/consultations/%s/letters/%d", c.Slug, id)
	title := l.Subject
	if title == "" {
		title = "Response " + l.SourceRef
	}
	v := web.LetterView{
		Page: s.page(r, title, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}),
		Ref:  l.SourceRef, Channel: results.ChannelLabel(string(l.Channel)), Received: web.Date(l.ReceivedAt),
		Group: l.GroupLabel, Suggested: l.SuggestedLabel, SuggestionReason: l.SuggestionReason,
		Sender: strings.TrimSpace(l.SenderName + " <" + l.SenderAddress + ">"), Subject: l.Subject,
		Warnings: l.Warnings, ConfirmGroupHref: base + "/group", Notice: s.notice(r),
		Organisation: l.Organisation, OrganisationFound: l.OrganisationSource, ConfirmOrgHref: base + "/organisation",
	}
	if l.OrganisationConfirmed {
		v.OrganisationFound = ""
	}
	for _, a := range l.Attachments {
		v.Attachments = append(v.Attachments, web.AttachmentRow{Name: a.Name, Type: a.ContentType, Size: a.Size, Problem: a.Error})
	}
	v.Targets = append(v.Targets, web.Choice{Value: "general", Label: "General comments"})
	for _, q := range c.Questions {
		v.Targets = append(v.Targets, web.Choice{Value: "q:" + q.Code, Label: "Question " + q.Code + ": " + shorten(q.Prompt, 70)})
	}
	for _, t := range c.Themes {
		v.Targets = append(v.Targets, web.Choice{Value: "t:" + t.Slug, Label: "Theme: " + t.Title})
	}
	themes := map[int32]string{}
	for _, t := range c.Themes {
		themes[t.ID] = t.Slug
	}
	for _, sg := range l.Segments {
		row := web.SegmentRow{ID: sg.ID, Text: sg.Text, How: sg.How, Why: sg.Why, Current: "general", Action: fmt.Sprintf("%s/segments/%d", base, sg.ID)}
		switch {
		case sg.QuestionCode != "":
			row.Current = "q:" + sg.QuestionCode
		case sg.ThemeID != nil:
			row.Current = "t:" + themes[*sg.ThemeID]
		}
		v.Segments = append(v.Segments, row)
	}
	if v.Scan, err = s.scanPanel(r.Context(), c, id, base); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.Letter(v))
}

func (s *Server) correctSegment(w http.ResponseWriter, r *http.Request) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seg, err := strconv.ParseInt(chi.URLParam(r, "segment"), 10, 64)
	if err != nil {
		s.fail(w, r, batchimport.ErrResponseNotFound)
		return
	}
	var question, theme string
	switch target := r.PostFormValue("target"); {
	case strings.HasPrefix(target, "q:"):
		question = strings.TrimPrefix(target, "q:")
	case strings.HasPrefix(target, "t:"):
		theme = strings.TrimPrefix(target, "t:")
	case target == "general":
	default:
		s.fail(w, r, batchimport.ErrUnknownTarget)
		return
	}
	if err := s.Imports.CorrectSegment(r.Context(), c, s.actor(r), id, seg, question, theme); err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Attribution saved")
	http.Redirect(w, r, fmt.Sprintf("/consultations/%s/letters/%d", c.Slug, id), http.StatusSeeOther)
}

func (s *Server) confirmGroup(w http.ResponseWriter, r *http.Request) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dismiss := r.PostFormValue("dismiss") == "true"
	if err := s.Imports.ConfirmSuggestedGroup(r.Context(), c, s.actor(r), id, dismiss); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "Suggested group confirmed"
	if dismiss {
		done = "Suggestion dismissed"
	}
	s.notify(r, done)
	http.Redirect(w, r, fmt.Sprintf("/consultations/%s/letters/%d", c.Slug, id), http.StatusSeeOther)
}

func (s *Server) confirmOrganisation(w http.ResponseWriter, r *http.Request) {
	c, id, err := s.loadLetter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reject := r.PostFormValue("reject") == "true"
	if err := s.Imports.ConfirmOrganisation(r.Context(), c, s.actor(r), id, reject); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "Organisation confirmed"
	if reject {
		done = "Recorded as not sent on behalf of an organisation"
	}
	s.notify(r, done)
	http.Redirect(w, r, fmt.Sprintf("/consultations/%s/letters/%d", c.Slug, id), http.StatusSeeOther)
}

// untypedLetters lists the letters with no readable text, for analysts.
func (s *Server) untypedLetters(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := untypedRows(r, s.Imports, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.Untyped(web.UntypedView{
		Page: s.page(r, "Letters that need typing up", web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}),
		Slug: c.Slug, Title: c.Title, Letters: rows,
	}))
}

func untypedRows(r *http.Request, svc *batchimport.Service, c *consultation.Consultation) ([]web.UntypedRow, error) {
	untyped, err := svc.NeedsTyping(r.Context(), c)
	if err != nil {
		return nil, err
	}
	var rows []web.UntypedRow
	for _, u := range untyped {
		row := web.UntypedRow{
			Href: fmt.Sprintf("/consultations/%s/letters/%d", c.Slug, u.ResponseID), Sender: u.Sender, Subject: u.Subject,
			Attachments: strings.Join(u.Attachments, ", "), At: u.ReceivedAt,
		}
		// The sender is the link's text; a scan has none, so its file
		// name (its subject) or its reference names it instead.
		switch {
		case strings.TrimSpace(row.Sender) != "":
		case strings.TrimSpace(row.Subject) != "":
			row.Sender, row.Subject = row.Subject, ""
		default:
			row.Sender = "Response " + u.Ref
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
