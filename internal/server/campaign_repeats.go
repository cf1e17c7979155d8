package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/campaign"
	"heard/internal/results"
	"heard/web"
)

var repeatStatus = map[string][2]string{
	"suggested":  {"Not yet decided", "govuk-tag--yellow"},
	"merged":     {"Merged: counted once", "govuk-tag--green"},
	"kept_apart": {"Kept apart: both count", "govuk-tag--grey"},
}

func (s *Server) repeats(w http.ResponseWriter, r *http.Request) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.campaignService().Repeats(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	v := web.RepeatsView{
		Page: s.page(r, "Probable repeats: "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base},
			web.Crumb{Label: "Campaigns", Href: campaignsHref(c)}),
		Title: c.Title, Notice: s.notice(r), CampaignHref: campaignsHref(c),
	}
	undecided := 0
	for _, p := range list {
		st := repeatStatus[p.Status]
		v.Rows = append(v.Rows, web.RepeatRow{
			Href: responseHref(c, p.ResponseID), Ref: p.Ref, Channel: results.ChannelLabel(p.Channel),
			OfHref: responseHref(c, p.RepeatOf), OfRef: p.RepeatOfRef, OfChannel: results.ChannelLabel(p.OfChannel),
			Similarity: fmt.Sprintf("%.0f%%", 100*p.Similarity), Status: st[0], StatusClass: st[1],
			Action: fmt.Sprintf("%s/repeats/%d", base, p.ResponseID), Undecided: p.Status == "suggested", Merged: p.Status == "merged",
		})
		if p.Status == "suggested" {
			undecided++
		}
	}
	v.Summary = fmt.Sprintf("%s probable repeats, %s not yet decided.", web.Num(int64(len(list))), web.Num(int64(undecided)))
	s.render(w, r, http.StatusOK, web.Repeats(v))
}

func (s *Server) repeatDecision(w http.ResponseWriter, r *http.Request) {
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
	err = s.campaignService().DecideRepeat(r.Context(), s.actor(r).Entry(""), c.ID, id, r.PostFormValue("status"))
	var fe *campaign.FieldError
	if errors.As(err, &fe) {
		s.renderError(w, r, http.StatusBadRequest, "Choice not recognised", "Choose merge or keep apart.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notify(r, "Decision recorded")
	http.Redirect(w, r, "/consultations/"+c.Slug+"/repeats", http.StatusSeeOther)
}
