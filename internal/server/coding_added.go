package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// A campaign member's added text is coded on the same coding screen as
// answers and letter parts (#15): same codes, keys, flags and history,
// with the codeframe of the question chosen for the campaign.

func (s *Server) addedCodingRoutes(r chi.Router) {
	s.handle(r, "GET", "/consultations/{slug}/added/{added}/coding", AnalystOnly, s.addedCodingPage)
	s.handle(r, "POST", "/consultations/{slug}/added/{added}/coding", AnalystOnly, s.saveAddedCoding)
}

func addedCodingHref(c *consultation.Consultation, addedID int64) string {
	return "/consultations/" + c.Slug + "/added/" + strconv.FormatInt(addedID, 10) + "/coding"
}

// loadAdded reads the consultation and the added text in the URL.
func (s *Server) loadAdded(r *http.Request) (*consultation.Consultation, coding.Answer, coding.Frame, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, coding.Answer{}, coding.Frame{}, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "added"), 10, 64)
	if err != nil || id <= 0 {
		return nil, coding.Answer{}, coding.Frame{}, coding.ErrNotFound
	}
	a, err := s.Coding.Added(r.Context(), c.ID, id)
	if err != nil {
		return nil, coding.Answer{}, coding.Frame{}, err
	}
	f, err := s.Coding.FrameOf(r.Context(), c.ID, a.Unit)
	return c, a, f, err
}

// addedBack is where an added text's screen leads back to: its
// campaign's list of members with added text.
func addedBack(c *consultation.Consultation, a coding.Answer) string {
	if a.CampaignID == 0 {
		return campaignsHref(c)
	}
	return fmt.Sprintf("%s/%d?added=1", campaignsHref(c), a.CampaignID)
}

func (s *Server) addedView(r *http.Request, c *consultation.Consultation, a coding.Answer, f coding.Frame, st coding.State) (web.CodingView, error) {
	ctx := r.Context()
	cf, err := s.Coding.Codeframe(ctx, c.ID, f)
	if err != nil {
		return web.CodingView{}, err
	}
	hist, err := s.Coding.History(ctx, a.Unit, false)
	if err != nil {
		return web.CodingView{}, err
	}
	rid := strconv.FormatInt(a.Unit.ResponseID, 10)
	self := addedCodingHref(c, a.Unit.AddedID)
	back := addedBack(c, a)
	caption := "Added text"
	for _, q := range c.Questions {
		if q.ID == f.QuestionID {
			caption = "Added text, coded with the codeframe of " + q.Code + ": " + q.Prompt
		}
	}
	v := web.CodingView{
		Page: s.page(r, "Code the added text of response "+rid, web.Crumb{Label: "Consultations", Href: "/"},
			web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Campaigns", Href: campaignsHref(c)},
			web.Crumb{Label: "Members with added text", Href: back}),
		Caption: caption, Heading: "Code the added text of response " + rid, TextHeading: "Added text",
		TextNote: "The words this campaign response adds to the campaign text, as the sender wrote them; “" + campaign.AddedSeparator + "” joins words added in different places.",
		Text:     a.Text, About: aboutAnswer(c, a), ResponseHref: responseHref(c, a.Unit.ResponseID),
		Consent:      consentNote(results.OpenAnswer{Consent: a.Consent, Channel: a.Channel}),
		QuoteRefusal: a.QuoteRefusal(), Action: self, Positions: positionChoices(),
		BackHref: back, FrameHref: frameHref(c, f), AddAction: frameHref(c, f), AddReturn: self,
	}
	fillState(&v, cf, a.Text, st)
	v.History = historyRows(hist, a.Text)
	return v, nil
}

func (s *Server) addedCodingPage(w http.ResponseWriter, r *http.Request) {
	c, a, f, err := s.loadAdded(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showCoding(w, r, a.Unit, func(st coding.State) (web.CodingView, error) { return s.addedView(r, c, a, f, st) })
}

func (s *Server) saveAddedCoding(w http.ResponseWriter, r *http.Request) {
	c, a, f, err := s.loadAdded(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := func(st coding.State) (web.CodingView, error) { return s.addedView(r, c, a, f, st) }
	if !s.applyPostedCoding(w, r, c.ID, a.Unit, a.Text, "the coding of this added text", view) {
		return
	}
	if r.PostFormValue("next") == "yes" && a.CampaignID != 0 {
		s.openNextAdded(w, r, c, a.CampaignID, a.Unit.ResponseID)
		return
	}
	http.Redirect(w, r, addedCodingHref(c, a.Unit.AddedID)+"?saved=1", http.StatusSeeOther)
}

// openNextAdded stores (if need be) and opens the next member's added
// text nobody has coded, after response after; with none left, back to
// the campaign's members with added text.
func (s *Server) openNextAdded(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, campaignID, after int64) {
	svc := s.campaignService()
	next, err := svc.NextAdded(r.Context(), campaignID, after, after)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if next == 0 {
		s.notify(r, "Every member's added text in this campaign is coded")
		http.Redirect(w, r, fmt.Sprintf("%s/%d?added=1", campaignsHref(c), campaignID), http.StatusSeeOther)
		return
	}
	s.openAdded(w, r, c, campaignID, next)
}

// openAdded stores a member's added text as a coding unit (the first
// time) and opens it on the coding screen.
func (s *Server) openAdded(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, campaignID, responseID int64) {
	var userID *int64
	if u := userFrom(r.Context()); u != nil {
		userID = &u.ID
	}
	id, err := s.campaignService().OpenAdded(r.Context(), userID, c.ID, campaignID, responseID)
	if err != nil {
		if errs, ok := fieldErrors(err); ok && chi.URLParam(r, "id") != "" {
			s.renderCampaign(w, r, http.StatusBadRequest, errs, "", "")
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, addedCodingHref(c, id), http.StatusSeeOther)
}
