package server

import (
	"net/http"
	"slices"
	"strconv"

	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// moreFilters adds the filters only analysts may combine (events,
// organisation or individual, received dates, answers to closed and
// equality questions) to v; protected readers filter by one of group or
// channel (results/suppress.go).
func (s *Server) moreFilters(r *http.Request, c *consultation.Consultation, f results.Filter, v *web.FilterView) error {
	if !analystOrAbove(r) {
		return nil
	}
	v.More = true
	note, err := s.campaignNote(r, c) // #15
	if err != nil {
		return err
	}
	v.CampaignNote = note
	v.Respondent = []web.Choice{
		{Value: "", Label: "Organisations and individuals", Checked: f.Respondent == ""},
		{Value: results.OrgOnly, Label: "Organisations only", Checked: f.Respondent == results.OrgOnly},
		{Value: results.IndividualsOnly, Label: "Individuals only", Checked: f.Respondent == results.IndividualsOnly},
	}
	if !f.From.IsZero() {
		v.From = f.From.Format("2006-01-02")
	}
	if !f.To.IsZero() {
		v.To = f.To.Format("2006-01-02")
	}
	evs, err := s.events().List(r.Context(), c)
	if err != nil {
		return err
	}
	for _, e := range evs {
		v.Events = append(v.Events, web.Choice{Value: strconv.FormatInt(e.ID, 10), Label: e.Name + " (" + web.Date(e.HeldOn) + ")", Checked: slices.Contains(f.EventIDs, e.ID)})
	}
	for _, q := range c.Questions {
		if !q.Closed() {
			continue
		}
		var chosen []int32
		for _, a := range f.Answers {
			if a.Question == q {
				chosen = a.OptionIDs
			}
		}
		g := web.AnswerChoices{Legend: q.Code + ": " + q.Prompt, Open: len(chosen) > 0}
		for _, o := range q.Scale.Options {
			g.Choices = append(g.Choices, web.Choice{Value: q.Code + ":" + o.Slug, Label: o.Label, Checked: slices.Contains(chosen, o.ID)})
		}
		v.Answers = append(v.Answers, g)
	}
	return nil
}
