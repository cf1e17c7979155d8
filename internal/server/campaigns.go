package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/campaign"
	"heard/internal/consultation"
	"heard/internal/db"
	"heard/internal/results"
	"heard/web"
)

// campaignRoutes are the campaign pages (#15): analysts only, because
// members' added text is unpublished open text.
func (s *Server) campaignRoutes(r chi.Router) {
	base := "/consultations/{slug}/campaigns"
	s.handle(r, "GET", base, AnalystOnly, s.campaigns)
	s.handle(r, "GET", "/consultations/{slug}/campaigns.csv", AnalystOnly, s.campaignsCSV)
	s.handle(r, "GET", base+"/{id}", AnalystOnly, s.campaignPage)
	s.handle(r, "POST", "/consultations/{slug}/campaign-thresholds", AnalystOnly, s.campaignThresholds)
	for _, action := range []string{"status", "name", "merge", "split", "members", "remove", "codeframe", "added"} {
		s.handle(r, "POST", base+"/{id}/"+action, AnalystOnly, s.campaignAction)
	}
	s.addedCodingRoutes(r)
	s.handle(r, "GET", "/consultations/{slug}/repeats", AnalystOnly, s.repeats)
	s.handle(r, "POST", "/consultations/{slug}/repeats/{id}", AnalystOnly, s.repeatDecision)
}

func (s *Server) campaignService() *campaign.Service { return s.Campaigns }

func campaignsHref(c *consultation.Consultation) string {
	return "/consultations/" + c.Slug + "/campaigns"
}

var campaignStatus = map[string][2]string{
	"suggested": {"Suggested, not yet confirmed", "govuk-tag--yellow"},
	"confirmed": {"Confirmed", "govuk-tag--green"},
	"dismissed": {"Dismissed", "govuk-tag--grey"},
}

func (s *Server) campaigns(w http.ResponseWriter, r *http.Request) {
	s.renderCampaigns(w, r, http.StatusOK, nil)
}

func (s *Server) renderCampaigns(w http.ResponseWriter, r *http.Request, status int, errs []web.FieldError) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	th, err := campaign.Settings(r.Context(), db.New(s.Pool), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, unconfirmed, err := s.campaignService().List(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	v := web.CampaignsView{
		Page:  s.page(r, "Campaigns: "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base}),
		Title: c.Title, Notice: s.notice(r), CSVHref: base + "/campaigns.csv", RepeatsHref: base + "/repeats",
		ThresholdsAction: base + "/campaign-thresholds", Errors: errs,
		Jaccard: strconv.FormatFloat(th.Jaccard, 'f', -1, 32), Containment: strconv.FormatFloat(th.Containment, 'f', -1, 32),
		MinWords: strconv.Itoa(th.MinWords), MinMembers: strconv.Itoa(th.MinMembers),
	}
	if len(errs) > 0 {
		v.Page.Title = "Error: " + v.Page.Title
		v.Jaccard, v.Containment, v.MinWords, v.MinMembers = r.PostFormValue("jaccard"), r.PostFormValue("containment"), r.PostFormValue("min-words"), r.PostFormValue("min-members")
	}
	var members int64
	for _, l := range list {
		st := campaignStatus[l.Status]
		v.Rows = append(v.Rows, web.CampaignRow{
			Href: fmt.Sprintf("%s/%d", campaignsHref(c), l.ID), Name: l.Name, Status: st[0], StatusClass: st[1],
			Members: web.Num(l.Members), First: web.Date(l.FirstReceived.In(results.London)), Last: web.Date(l.LastReceived.In(results.London)),
		})
		members += l.Members
	}
	if len(list) == 0 {
		v.Summary = "No campaigns have been found."
	} else {
		v.Summary = fmt.Sprintf("%s campaigns, %s responses; %s not yet confirmed.", web.Num(int64(len(list))), web.Num(members), web.Num(unconfirmed))
	}
	s.render(w, r, status, web.Campaigns(v))
}

func (s *Server) campaignsCSV(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-campaigns.csv"`, c.Slug))
	if err := s.campaignService().WriteCSV(r.Context(), w, c.ID); err != nil {
		s.logError(r, "campaigns.csv", "consultation", c.Slug, "err", err)
	}
}

func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request) {
	s.renderCampaign(w, r, http.StatusOK, nil, "", "")
}

func (s *Server) renderCampaign(w http.ResponseWriter, r *http.Request, status int, errs []web.FieldError, name, ref string) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.fail(w, r, campaign.ErrNotFound)
		return
	}
	svc := s.campaignService()
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = min(max(page, 1), results.MaxPage)
	addedOnly := r.URL.Query().Get("added") == "1"
	d, err := svc.Get(r.Context(), c.ID, id, page, addedOnly)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	others, _, err := svc.List(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Campaign: " + d.Name
	if len(errs) > 0 {
		title = "Error: " + title
	}
	if name == "" {
		name = d.Name
	}
	st := campaignStatus[d.Status]
	v := web.CampaignView{
		Page: s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug},
			web.Crumb{Label: "Campaigns", Href: campaignsHref(c)}),
		Title: c.Title, Notice: s.notice(r), Errors: errs, Name: d.Name, Status: st[0], StatusClass: st[1],
		Members: web.Num(d.Members), CanonicalText: d.CanonicalText,
		CanonicalNote: fmt.Sprintf("The most common version, sent word for word (ignoring case, spacing and punctuation) by %s of the %s responses.", web.Num(d.CanonicalCopies), web.Num(d.Members)),
		Action:        fmt.Sprintf("%s/%d", campaignsHref(c), id), NameValue: name, RefValue: ref, BackHref: campaignsHref(c),
	}
	if d.Members > 0 {
		v.First, v.Last = web.Date(d.FirstReceived.In(results.London)), web.Date(d.LastReceived.In(results.London))
	}
	groups := groupLabels(c)
	byChannel, byGroup := map[string]int64{}, map[int32]int64{}
	for _, n := range d.Counts {
		byChannel[n.Channel] += n.N
		byGroup[n.GroupID] += n.N
	}
	for _, ch := range []string{"webform", "email", "letter", "event"} {
		if byChannel[ch] > 0 {
			v.ByChannel = append(v.ByChannel, web.CountRow{Label: results.ChannelLabel(ch), N: web.Num(byChannel[ch])})
		}
	}
	for _, g := range append([]*consultation.Group{{ID: 0}}, c.Groups...) {
		if byGroup[g.ID] > 0 {
			v.ByGroup = append(v.ByGroup, web.CountRow{Label: groups[g.ID], N: web.Num(byGroup[g.ID])})
		}
	}
	for _, m := range d.Rows {
		row := web.CampaignMemberRow{
			ID: strconv.FormatInt(m.ResponseID, 10), Ref: m.SourceRef, Href: responseHref(c, m.ResponseID),
			Channel: results.ChannelLabel(m.Channel), Received: web.Date(m.Received.In(results.London)),
			Similarity: fmt.Sprintf("%.0f%%", 100*m.Similarity), Added: strconv.Itoa(m.Added), Removed: strconv.Itoa(m.Removed),
			Substantial: m.Added >= campaign.SubstantialAddedWords,
		}
		if m.AddedBy != "detection" {
			row.Similarity = "Added by an analyst"
		}
		for _, op := range m.Diff {
			row.Diff = append(row.Diff, web.DiffPart{Kind: op.Kind, Words: op.Words})
		}
		switch {
		case m.AddedID != 0:
			row.CodeHref, row.AddedCoded = addedCodingHref(c, m.AddedID), m.AddedCoded
		case d.AddedQuestionID != 0 && m.Added > 0:
			row.CanOpen = true
		}
		v.Rows = append(v.Rows, row)
	}
	// The codeframe that codes the members' added text: any open question's.
	chosen := d.AddedQuestionID
	if len(errs) > 0 && r.PostFormValue("added-question") != "" {
		if n, perr := strconv.Atoi(r.PostFormValue("added-question")); perr == nil {
			chosen = int32(n)
		}
	}
	for _, q := range c.Questions {
		if q.Kind != "open" {
			continue
		}
		v.AddedQuestions = append(v.AddedQuestions, web.Choice{Value: strconv.Itoa(int(q.ID)), Label: q.Code + ": " + q.Prompt, Checked: q.ID == chosen})
		if q.ID == d.AddedQuestionID {
			v.AddedFrame = q.Code
		}
	}
	v.AddedCoded = web.Num(d.AddedCoded)
	// Members are read and diffed a page at a time (#15).
	self := fmt.Sprintf("%s/%d", campaignsHref(c), id)
	query := url.Values{}
	what := "members"
	if addedOnly {
		query.Set("added", "1")
		what = "members with added text"
		v.AllHref = self
	}
	v.WithAdded = web.Num(d.WithAdded)
	if d.WithAdded > 0 && !addedOnly {
		v.AddedHref = self + "?added=1"
	}
	list := results.AnswerList{Total: d.Matching, Page: page, HasNext: int64(page*campaign.MemberPageSize) < d.Matching}
	v.Pagination = pagination(list, self, query, what)
	if n := len(d.Rows); n > 0 {
		first := (page-1)*campaign.MemberPageSize + 1
		v.Showing = fmt.Sprintf("Showing %s–%s of %s %s", web.Num(int64(first)), web.Num(int64(first+n-1)), web.Num(d.Matching), what)
	}
	for _, o := range others {
		if o.ID != id {
			v.MergeChoices = append(v.MergeChoices, web.Choice{Value: strconv.FormatInt(o.ID, 10), Label: fmt.Sprintf("%s (%s responses)", o.Name, web.Num(o.Members))})
		}
	}
	s.render(w, r, status, web.CampaignPage(v))
}

// campaignAction handles every POST on one campaign; the last path
// element says which.
func (s *Server) campaignAction(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.fail(w, r, campaign.ErrNotFound)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Form not recognised", "Go back, reload the page and try again.")
		return
	}
	svc, ctx, by := s.campaignService(), r.Context(), s.actor(r).Entry("")
	action := r.URL.Path[len(r.URL.Path)-len(lastElem(r.URL.Path)):]
	var notice string
	next := fmt.Sprintf("%s/%d", campaignsHref(c), id)
	switch action {
	case "status":
		err = svc.SetStatus(ctx, by, c.ID, id, r.PostFormValue("status"))
		notice = "Campaign " + map[string]string{"confirmed": "confirmed", "dismissed": "dismissed: its responses count as ordinary responses"}[r.PostFormValue("status")]
	case "name":
		err = svc.Rename(ctx, by, c.ID, id, r.PostFormValue("name"))
		notice = "Campaign renamed"
	case "merge":
		from, _ := strconv.ParseInt(r.PostFormValue("from"), 10, 64)
		err = svc.Merge(ctx, by, c.ID, id, from)
		notice = "Campaigns merged"
	case "split":
		var ids []int64
		for _, v := range r.PostForm["member"] {
			if n, perr := strconv.ParseInt(v, 10, 64); perr == nil {
				ids = append(ids, n)
			}
		}
		var newID int64
		newID, err = svc.Split(ctx, by, c.ID, id, ids)
		notice, next = fmt.Sprintf("%d responses split into a new campaign", len(ids)), fmt.Sprintf("%s/%d", campaignsHref(c), newID)
	case "members":
		err = svc.AddMember(ctx, by, c.ID, id, r.PostFormValue("ref"))
		notice = "Response added to the campaign"
	case "remove":
		err = svc.RemoveMember(ctx, by, c.ID, id, r.PostFormValue("remove-ref"))
		notice = "Response removed from the campaign"
	case "codeframe":
		qid, _ := strconv.Atoi(r.PostFormValue("added-question"))
		err = svc.SetAddedCodeframe(ctx, by, c.ID, id, int32(qid))
		notice, next = "Codeframe for the added text chosen", next+"?added=1"
	case "added":
		// Open one member's added text for coding (response), or the
		// next one nobody has coded.
		if rid, perr := strconv.ParseInt(r.PostFormValue("response"), 10, 64); perr == nil && rid > 0 {
			s.openAdded(w, r, c, id, rid)
		} else {
			s.openNextAdded(w, r, c, id, 0)
		}
		return
	}
	if errs, ok := fieldErrors(err); ok {
		s.renderCampaign(w, r, http.StatusBadRequest, errs, r.PostFormValue("name"), r.PostFormValue("ref"))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, notice)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func lastElem(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// campaignChoices are the filter form's campaign radios.
func campaignChoices(f results.Filter) []web.Choice {
	return []web.Choice{
		{Value: "include", Label: "Count each campaign response", Checked: f.Campaigns == ""},
		{Value: results.CampaignsOnce, Label: "Count each campaign once", Checked: f.Campaigns == results.CampaignsOnce},
		{Value: results.CampaignsExclude, Label: "Leave campaign responses out", Checked: f.Campaigns == results.CampaignsExclude},
	}
}

// campaignNote is the filter form's count of campaigns, for analysts.
func (s *Server) campaignNote(r *http.Request, c *consultation.Consultation) (string, error) {
	list, unconfirmed, err := s.campaignService().List(r.Context(), c.ID)
	if err != nil || len(list) == 0 {
		return "", err
	}
	return fmt.Sprintf("%s campaigns found, %s not yet confirmed: detected campaigns count as campaigns until dismissed.", web.Num(int64(len(list))), web.Num(unconfirmed)), nil
}

func (s *Server) campaignThresholds(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	num := func(name string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue(name)), 64)
		if err != nil {
			return -1
		}
		return v
	}
	t := campaign.Thresholds{Jaccard: num("jaccard"), Containment: num("containment"), MinWords: int(num("min-words")), MinMembers: int(num("min-members"))}
	err = s.campaignService().SetThresholds(r.Context(), s.actor(r).Entry(""), c.ID, t)
	var fe *campaign.FieldError
	if errors.As(err, &fe) {
		s.renderCampaigns(w, r, http.StatusBadRequest, []web.FieldError{{Field: fe.Field, Message: fe.Message}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Detection thresholds saved")
	http.Redirect(w, r, campaignsHref(c), http.StatusSeeOther)
}
