package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/web"
)

func (s *Server) samplesPage(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notice := ""
	if r.URL.Query().Get("done") == "drawn" {
		notice = "Sample drawn"
	}
	s.renderSamples(w, r, c, q, http.StatusOK, notice, nil, "10", "", "")
}

func (s *Server) renderSamples(w http.ResponseWriter, r *http.Request, c *consultation.Consultation, q *consultation.Question, status int, notice string, errs []web.FieldError, share, a, b string) {
	ctx := r.Context()
	all, err := s.Coding.Samples(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Double coding " + q.Code
	if len(errs) > 0 {
		title = "Error: " + title
	}
	self := "/consultations/" + c.Slug + "/questions/" + url.PathEscape(q.Code) + "/double-coding"
	v := web.SamplesView{
		Page:   s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Coding " + q.Code, Href: codingBase(c, q)}),
		Notice: notice, Errors: errs, Caption: q.Code + ": " + q.Prompt, CreateAction: self, Share: share, CoderA: a, CoderB: b,
	}
	for _, sm := range all {
		if sm.QuestionID != q.ID {
			continue
		}
		var coders []string
		for _, cd := range sm.Coders {
			coders = append(coders, cd.Email)
		}
		status := "Coding"
		if sm.Finished() {
			status = "Finished: agreement ready"
		}
		v.Samples = append(v.Samples, web.SampleRow{Href: "/consultations/" + c.Slug + "/samples/" + strconv.FormatInt(sm.ID, 10),
			Name: fmt.Sprintf("Sample %d: %d%% (%d answers)", sm.ID, sm.SharePercent, sm.Size), Coders: strings.Join(coders, " and "), Status: status})
	}
	if u := userFrom(ctx); u != nil && u.Role.AtLeast(accounts.Admin) {
		v.CanCreate = true
		users, err := s.Accounts.List(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, u := range users {
			if u.Role.AtLeast(accounts.Analyst) && !u.Disabled {
				v.Analysts = append(v.Analysts, web.Choice{Value: strconv.FormatInt(u.ID, 10), Label: u.Email})
			}
		}
	}
	s.render(w, r, status, web.Samples(v))
}

func (s *Server) createSample(w http.ResponseWriter, r *http.Request) {
	c, q, err := s.questionForCoding(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	share := strings.TrimSuffix(strings.TrimSpace(r.PostFormValue("share")), "%")
	a, b := r.PostFormValue("coder_a"), r.PostFormValue("coder_b")
	again := func(errs []web.FieldError) {
		s.renderSamples(w, r, c, q, http.StatusUnprocessableEntity, "", errs, share, a, b)
	}
	n, err := strconv.Atoi(share)
	if err != nil {
		again([]web.FieldError{{Field: "share", Message: "Enter the share as a whole number of percent, like 10"}})
		return
	}
	user := func(v string) accounts.User {
		id, _ := strconv.ParseInt(v, 10, 64)
		u, err := s.Accounts.Get(r.Context(), id)
		if err != nil {
			return accounts.User{}
		}
		return u
	}
	id, err := s.Coding.CreateSample(r.Context(), s.actor(r), c.ID, q.ID, n, user(a), user(b))
	if errs, ok := fieldErrors(err); ok {
		again(errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/consultations/"+c.Slug+"/samples/"+strconv.FormatInt(id, 10)+"?done=drawn", http.StatusSeeOther)
}

// loadSample reads the sample in the URL and its question.
func (s *Server) loadSample(r *http.Request) (*consultation.Consultation, *consultation.Question, coding.Sample, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, coding.Sample{}, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "sample"), 10, 64)
	if err != nil {
		return nil, nil, coding.Sample{}, coding.ErrNotFound
	}
	sm, err := s.Coding.Sample(r.Context(), c.ID, id)
	if err != nil {
		return nil, nil, coding.Sample{}, err
	}
	for _, q := range c.Questions {
		if q.ID == sm.QuestionID {
			return c, q, sm, nil
		}
	}
	return nil, nil, coding.Sample{}, coding.ErrNotFound
}

func sampleHref(c *consultation.Consultation, sm coding.Sample) string {
	return "/consultations/" + c.Slug + "/samples/" + strconv.FormatInt(sm.ID, 10)
}

func statistic(v float64, ok bool) string {
	if !ok {
		return "Not defined"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func agreementRow(label string, b coding.Binary) web.AgreementRow {
	k, kok := b.Kappa()
	a, aok := b.Alpha()
	return web.AgreementRow{Code: label, N: b.N(), Kappa: statistic(k, kok), Alpha: statistic(a, aok), Both: b.Both, OnlyA: b.OnlyA, OnlyB: b.OnlyB, Neither: b.Neither}
}

func describeApplied(a *coding.Applied) string {
	if a == nil {
		return "Did not apply it"
	}
	s := "Applied it"
	if a.Position != "" {
		s += " (" + strings.ToLower(coding.PositionLabel(a.Position)) + ")"
	}
	return s
}

func (s *Server) samplePage(w http.ResponseWriter, r *http.Request) {
	notice := ""
	switch r.URL.Query().Get("done") {
	case "drawn":
		notice = "Sample drawn"
	case "resolved":
		notice = "Disagreement resolved: the answer's coding now follows the resolution"
	case "finished":
		notice = "You have coded every answer in this sample"
	}
	s.renderSample(w, r, http.StatusOK, notice, nil)
}

func (s *Server) renderSample(w http.ResponseWriter, r *http.Request, status int, notice string, errs []web.FieldError) {
	c, q, sm, err := s.loadSample(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	title := fmt.Sprintf("Double-coding sample %d for %s", sm.ID, q.Code)
	if len(errs) > 0 {
		title = "Error: " + title
	}
	v := web.SampleView{
		Page:   s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: "Double coding " + q.Code, Href: "/consultations/" + c.Slug + "/questions/" + url.PathEscape(q.Code) + "/double-coding"}),
		Notice: notice, Errors: errs, Caption: q.Code + ": " + q.Prompt,
		Heading: fmt.Sprintf("Sample %d: %d%% of answers (%d)", sm.ID, sm.SharePercent, sm.Size), Finished: sm.Finished(),
		ResolveAction: sampleHref(c, sm) + "/resolve", Positions: positionChoices(),
	}
	for _, cd := range sm.Coders {
		v.Progress = append(v.Progress, fmt.Sprintf("%s: %d of %d answers coded", cd.Email, cd.Done, sm.Size))
		if cd.UserID == u.ID && cd.Done < sm.Size {
			v.NextHref = sampleHref(c, sm) + "/next"
		}
	}
	if sm.Finished() {
		rep, err := s.Coding.Agreement(r.Context(), c.ID, sm.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.CoderA, v.CoderB = sm.Coders[0].Email, sm.Coders[1].Email
		cf, err := s.Coding.Codeframe(r.Context(), c.ID, coding.Frame{QuestionID: q.ID})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, ca := range rep.Codes {
			v.Rows = append(v.Rows, agreementRow(cf.Label(ca.Code), ca.Table))
		}
		v.Overall = agreementRow("Overall", rep.Overall)
		third := !sm.IsCoder(u.ID)
		for _, d := range rep.Disagreements {
			row := web.DisagreementRow{Ref: strconv.FormatInt(d.ResponseID, 10), Href: responseHref(c, d.ResponseID), Text: d.Text, Group: groupLabel(c, d.GroupID),
				Code: cf.Label(d.Code), CodeID: strconv.Itoa(int(d.Code.ID)), A: describeApplied(d.A), B: describeApplied(d.B)}
			var agreed []string
			for _, a := range rep.Agreed[d.ResponseID] {
				agreed = append(agreed, cf.Label(cf.Get(a.CodeID)))
			}
			row.Agreed = strings.Join(agreed, "; ")
			if d.Resolution != nil {
				row.Resolved = "Does not apply"
				if d.Resolution.Present {
					row.Resolved = describeApplied(&coding.Applied{Position: d.Resolution.Position})
				}
				row.Resolved += ", decided by " + d.Resolution.By
			} else {
				row.CanResolve = third
			}
			v.Disagreements = append(v.Disagreements, row)
		}
	}
	s.render(w, r, status, web.SampleReport(v))
}

func (s *Server) nextInSample(w http.ResponseWriter, r *http.Request) {
	c, _, sm, err := s.loadSample(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	if !sm.IsCoder(u.ID) {
		s.fail(w, r, coding.ErrForbidden)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	next, err := s.Coding.NextInSample(r.Context(), sm.ID, u.ID, after, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if next == 0 {
		http.Redirect(w, r, sampleHref(c, sm)+"?done=finished", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, sampleHref(c, sm)+"/answers/"+strconv.FormatInt(next, 10), http.StatusSeeOther)
}

// sampleCodingPage is the coding screen in sample mode: the coder sees
// only their own codes for the sample, no flags, no history.
func (s *Server) sampleCodingPage(w http.ResponseWriter, r *http.Request) {
	s.renderSampleCoding(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderSampleCoding(w http.ResponseWriter, r *http.Request, status int, posted []coding.Applied, errs []web.FieldError) {
	c, q, sm, err := s.loadSample(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	if !sm.IsCoder(u.ID) {
		s.fail(w, r, coding.ErrForbidden)
		return
	}
	id, err := responseParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Coding.Answer(r.Context(), c.ID, q.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mine := posted
	if mine == nil {
		if mine, err = s.Coding.CoderState(r.Context(), sm.ID, id, u.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	cf, err := s.Coding.Codeframe(r.Context(), c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := fmt.Sprintf("Sample %d: code response %d", sm.ID, id)
	if len(errs) > 0 {
		title = "Error: " + title
	}
	self := sampleHref(c, sm) + "/answers/" + strconv.FormatInt(id, 10)
	v := web.CodingView{
		Page:   s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: "/consultations/" + c.Slug}, web.Crumb{Label: fmt.Sprintf("Sample %d", sm.ID), Href: sampleHref(c, sm)}),
		Errors: errs, Caption: q.Code + ": " + q.Prompt, Heading: fmt.Sprintf("Double coding: response %d", id),
		Text: a.Text, About: aboutAnswer(c, a), Action: self, Positions: positionChoices(), Sample: true, BackHref: sampleHref(c, sm),
	}
	for _, cd := range sm.Coders {
		if cd.UserID == u.ID {
			v.Progress = fmt.Sprintf("You have coded %d of the %d answers in this sample. Your codes are your own: the other coder cannot see them, and they do not change the answer's coding.", cd.Done, sm.Size)
		}
	}
	fillState(&v, cf, a.Text, coding.State{Codes: mine})
	s.render(w, r, status, web.CodingScreen(v))
}

func (s *Server) saveSampleCoding(w http.ResponseWriter, r *http.Request) {
	c, q, sm, err := s.loadSample(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := responseParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Coding.Answer(r.Context(), c.ID, q.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	codes, errs := postedCodes(r, a.Text)
	if len(errs) == 0 {
		err = s.Coding.SaveSample(r.Context(), s.actor(r), c.ID, sm.ID, id, codes)
		if fe, ok := fieldErrors(err); ok {
			errs = fe
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.renderSampleCoding(w, r, http.StatusUnprocessableEntity, codes, errs)
		return
	}
	if r.PostFormValue("next") == "yes" {
		http.Redirect(w, r, sampleHref(c, sm)+"/next?after="+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, sampleHref(c, sm)+"/answers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) resolveDisagreement(w http.ResponseWriter, r *http.Request) {
	c, _, sm, err := s.loadSample(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp, _ := strconv.ParseInt(r.PostFormValue("response"), 10, 64)
	code, _ := strconv.Atoi(r.PostFormValue("code"))
	present := r.PostFormValue("present")
	if present != "yes" && present != "no" {
		s.renderSample(w, r, http.StatusUnprocessableEntity, "", []web.FieldError{{Field: "present-yes-0", Message: "Choose whether the code applies to response " + strconv.FormatInt(resp, 10)}})
		return
	}
	err = s.Coding.Resolve(r.Context(), s.actor(r), c.ID, sm.ID, resp, int32(code), present == "yes", r.PostFormValue("position"))
	if errs, ok := fieldErrors(err); ok {
		s.renderSample(w, r, http.StatusUnprocessableEntity, "", errs)
		return
	}
	if errors.Is(err, coding.ErrNotFinished) {
		s.renderSample(w, r, http.StatusConflict, "", []web.FieldError{{Field: "main-content", Message: "Both coders must finish the sample before its disagreements can be resolved"}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, sampleHref(c, sm)+"?done=resolved", http.StatusSeeOther)
}
