package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/web"
)

var errFrameNotFound = errors.New("codeframe not found")

// codingRoutes registers the coding pages: codeframes, the coding
// screen, double coding, quotes and code counts. Every page that shows
// an answer is for analysts; code counts are figures like any other.
func (s *Server) codingRoutes(r chi.Router) {
	const frame = "/consultations/{slug}/codeframes/{kind}/{key}"
	s.handle(r, "GET", frame, AnalystOnly, s.codeframePage)
	s.handle(r, "POST", frame, AnalystOnly, s.addCode)
	s.handleLimit(r, "POST", frame+"/import", AnalystOnly, 2<<20, s.importCodeframe)
	s.handle(r, "GET", frame+"/codeframe.csv", AnalystOnly, s.exportCodeframe)
	s.handle(r, "GET", "/consultations/{slug}/codes/{id}", AnalystOnly, s.codePage)
	s.handle(r, "POST", "/consultations/{slug}/codes/{id}", AnalystOnly, s.updateCode)
	s.handle(r, "POST", "/consultations/{slug}/codes/{id}/move", AnalystOnly, s.moveCode)
	s.handle(r, "POST", "/consultations/{slug}/codes/{id}/retire", AnalystOnly, s.retireCode)
	s.handle(r, "POST", "/consultations/{slug}/codes/{id}/merge", AnalystOnly, s.mergeCode)

	const q = "/consultations/{slug}/questions/{code}"
	s.handle(r, "GET", q+"/coding", AnalystOnly, s.codingHome)
	s.handle(r, "POST", q+"/coding", AnalystOnly, s.codeMany)
	s.handle(r, "GET", q+"/coding/next", AnalystOnly, s.nextUncoded)
	s.handle(r, "GET", q+"/coding/{response}", AnalystOnly, s.codingPage)
	s.handle(r, "POST", q+"/coding/{response}", AnalystOnly, s.saveCoding)
	s.handle(r, "GET", q+"/quotes", AnalystOnly, s.quotesPage)
	s.handle(r, "GET", q+"/double-coding", AnalystOnly, s.samplesPage)
	s.handle(r, "POST", q+"/double-coding", AdminOnly, s.createSample)

	const sm = "/consultations/{slug}/samples/{sample}"
	s.handle(r, "GET", sm, AnalystOnly, s.samplePage)
	s.handle(r, "GET", sm+"/next", AnalystOnly, s.nextInSample)
	s.handle(r, "GET", sm+"/answers/{response}", AnalystOnly, s.sampleCodingPage)
	s.handle(r, "POST", sm+"/answers/{response}", AnalystOnly, s.saveSampleCoding)
	s.handle(r, "POST", sm+"/resolve", AnalystOnly, s.resolveDisagreement)

	s.segmentCodingRoutes(r)
	s.handle(r, "GET", "/consultations/{slug}/coding", AnalystOnly, s.codingProgress)
	s.handle(r, "GET", "/consultations/{slug}/codes.csv", PublishedOrViewer, s.codesCSV)
}

// frameRef is the codeframe named in a URL, with what pages say about it.
type frameRef struct {
	c       *consultation.Consultation
	frame   coding.Frame
	q       *consultation.Question // nil for a theme's frame
	caption string
	title   string
	href    string
}

func frameHref(c *consultation.Consultation, f coding.Frame) string {
	base := "/consultations/" + c.Slug + "/codeframes/"
	if f.QuestionID != 0 {
		for _, q := range c.Questions {
			if q.ID == f.QuestionID {
				return base + "questions/" + url.PathEscape(q.Code)
			}
		}
	}
	for _, t := range c.Themes {
		if t.ID == f.ThemeID {
			return base + "themes/" + url.PathEscape(t.Slug)
		}
	}
	return base
}

func (s *Server) loadFrame(r *http.Request, c *consultation.Consultation, kind, key string) (*frameRef, error) {
	switch kind {
	case "questions":
		q := c.Question(key)
		if q == nil || q.Closed() {
			return nil, errFrameNotFound
		}
		ref := &frameRef{c: c, frame: coding.Frame{QuestionID: q.ID}, q: q, caption: q.Code, title: q.Prompt}
		ref.href = frameHref(c, ref.frame)
		return ref, nil
	case "themes":
		for _, t := range c.Themes {
			if t.Slug == key {
				ref := &frameRef{c: c, frame: coding.Frame{ThemeID: t.ID}, caption: "Theme: " + t.Title,
					title: "Codes for the parts of letters and emails about this theme."}
				ref.href = frameHref(c, ref.frame)
				return ref, nil
			}
		}
	}
	return nil, errFrameNotFound
}

func (s *Server) frameFromURL(r *http.Request) (*frameRef, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, err
	}
	return s.loadFrame(r, c, chi.URLParam(r, "kind"), chi.URLParam(r, "key"))
}

// frameNotices are the confirmations a redirect can ask a codeframe page
// to show (never text from the URL).
var frameNotices = map[string]string{
	"added": "Code added", "saved": "Code saved", "moved": "Code moved", "retired": "Code retired",
	"restored": "Code brought back", "merged": "Codes merged", "imported": "Codeframe imported",
	"all": "Every part of a letter about this theme has been coded",
}

func (s *Server) codeframePage(w http.ResponseWriter, r *http.Request) {
	ref, err := s.frameFromURL(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notice := frameNotices[r.URL.Query().Get("done")]
	if n := r.URL.Query().Get("n"); notice != "" && n != "" {
		if _, err := strconv.Atoi(n); err == nil {
			notice += " (" + n + ")"
		}
	}
	s.renderCodeframe(w, r, ref, http.StatusOK, notice, web.CodeForm{}, nil, nil)
}

func (s *Server) renderCodeframe(w http.ResponseWriter, r *http.Request, ref *frameRef, status int, notice string, form web.CodeForm, errs []web.FieldError, importErr []string) {
	cf, err := s.Coding.Codeframe(r.Context(), ref.c.ID, ref.frame)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.Coding.Counts(r.Context(), ref.c.ID, nil, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	totals := map[int32]int64{}
	for _, t := range coding.Totals(cf, counts) {
		totals[t.Code.ID] = t.N
	}
	title := "Codeframe for " + ref.caption
	if len(errs) > 0 || len(importErr) > 0 {
		title = "Error: " + title
	}
	base := "/consultations/" + ref.c.Slug
	v := web.CodeframeView{
		Page:   s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: ref.c.Title, Href: base}),
		Notice: notice, Errors: errs, ImportError: importErr,
		Caption: ref.caption, Title: ref.title, Form: form,
		AddAction: ref.href, ImportHref: ref.href + "/import", ExportHref: ref.href + "/codeframe.csv",
		Parents: parentChoices(cf, 0),
	}
	if ref.q != nil {
		v.CodingHref = base + "/questions/" + url.PathEscape(ref.q.Code) + "/coding"
	}
	for _, t := range ref.c.Themes {
		if t.ID == ref.frame.ThemeID {
			v.CodingHref = themeCodingNext(ref.c, t)
		}
	}
	v.Codes = codeRows(base, cf, totals)
	s.render(w, r, status, web.Codeframe(v))
}

// codeRows lists a codeframe for its page, marking each code's first
// and last place among its siblings for the move buttons.
func codeRows(base string, cf *coding.Codeframe, totals map[int32]int64) []web.CodeRow {
	var rows []web.CodeRow
	siblings := map[int32][]int{}
	for _, c := range cf.Codes {
		row := web.CodeRow{ID: c.ID, Key: c.Key, Name: c.Name, Description: c.Description, Sub: c.ParentID != 0, Retired: c.Retired,
			EditHref: base + "/codes/" + strconv.Itoa(int(c.ID)), MoveHref: base + "/codes/" + strconv.Itoa(int(c.ID)) + "/move", Count: totals[c.ID]}
		if p := cf.Get(c.ParentID); p != nil {
			row.Parent = p.Name
		}
		if m := cf.Get(c.MergedInto); m != nil {
			row.MergedInto = m.Name
		}
		if !c.Retired {
			siblings[c.ParentID] = append(siblings[c.ParentID], len(rows))
		}
		rows = append(rows, row)
	}
	for _, idx := range siblings {
		rows[idx[0]].First = true
		rows[idx[len(idx)-1]].Last = true
	}
	return rows
}

// parentChoices are the codes a code may sit under: top-level codes in use.
func parentChoices(cf *coding.Codeframe, self int32) []web.Choice {
	var out []web.Choice
	for _, c := range cf.Codes {
		if c.ParentID == 0 && !c.Retired && c.ID != self {
			out = append(out, web.Choice{Value: strconv.Itoa(int(c.ID)), Label: c.Name})
		}
	}
	return out
}

func codeForm(r *http.Request) (web.CodeForm, coding.CodeInput) {
	f := web.CodeForm{Key: r.PostFormValue("code"), Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	if p, err := strconv.Atoi(r.PostFormValue("parent")); err == nil {
		f.ParentID = int32(p)
	}
	return f, coding.CodeInput{Key: f.Key, Name: f.Name, Description: f.Description, ParentID: f.ParentID}
}

// addCode adds a code from the codeframe page, or from the coding screen
// ("add a code" while reading), which it then returns to.
func (s *Server) addCode(w http.ResponseWriter, r *http.Request) {
	ref, err := s.frameFromURL(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, in := codeForm(r)
	_, err = s.Coding.AddCode(r.Context(), s.actor(r), ref.c.ID, ref.frame, in)
	back := r.PostFormValue("return")
	if back != "" && safeNext(back) == back {
		if errs, ok := fieldErrors(err); ok {
			http.Redirect(w, r, withQuery(back, url.Values{"add_error": {errs[0].Message}, "add_name": {form.Name}}), http.StatusSeeOther)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, withQuery(back, url.Values{"added": {"1"}}), http.StatusSeeOther)
		return
	}
	if errs, ok := fieldErrors(err); ok {
		s.renderCodeframe(w, r, ref, http.StatusUnprocessableEntity, "", form, errs, nil)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, ref.href+"?done=added", http.StatusSeeOther)
}

func (s *Server) importCodeframe(w http.ResponseWriter, r *http.Request) {
	ref, err := s.frameFromURL(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		s.renderCodeframe(w, r, ref, http.StatusUnprocessableEntity, "", web.CodeForm{}, nil, []string{"Select a CSV file smaller than 2 MB"})
		return
	}
	defer f.Close()
	added, updated, err := s.Coding.ImportCSV(r.Context(), s.actor(r), ref.c.ID, ref.frame, f)
	var ie *coding.ImportError
	if errors.As(err, &ie) {
		s.renderCodeframe(w, r, ref, http.StatusUnprocessableEntity, "", web.CodeForm{}, nil, ie.Problems)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, ref.href+"?done=imported&n="+strconv.Itoa(added+updated), http.StatusSeeOther)
}

func (s *Server) exportCodeframe(w http.ResponseWriter, r *http.Request) {
	ref, err := s.frameFromURL(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := ref.c.Slug + "-" + chi.URLParam(r, "key") + "-codeframe.csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, name))
	if err := s.Coding.WriteCSV(r.Context(), ref.c.ID, ref.frame, w); err != nil {
		s.logError(r, "codeframe.csv", "consultation", ref.c.Slug, "err", err)
	}
}

// loadCode reads the code in the URL with its codeframe.
func (s *Server) loadCode(r *http.Request) (*frameRef, *coding.Codeframe, *coding.Code, error) {
	c, err := s.Consultations.Get(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := strconv.Atoi(chi.URLParam(r, "id"))
	if err != nil {
		return nil, nil, nil, coding.ErrNotFound
	}
	all, err := s.Coding.AllCodes(r.Context(), c.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	code := all[int32(id)]
	if code == nil {
		return nil, nil, nil, coding.ErrNotFound
	}
	cf, err := s.Coding.Codeframe(r.Context(), c.ID, code.Frame)
	if err != nil {
		return nil, nil, nil, err
	}
	ref := &frameRef{c: c, frame: code.Frame, href: frameHref(c, code.Frame)}
	ref.caption = "Codeframe"
	for _, q := range c.Questions {
		if q.ID == code.Frame.QuestionID {
			ref.caption, ref.q = q.Code, q
		}
	}
	for _, t := range c.Themes {
		if t.ID == code.Frame.ThemeID {
			ref.caption = "Theme: " + t.Title
		}
	}
	return ref, cf, cf.Get(code.ID), nil
}

func (s *Server) codePage(w http.ResponseWriter, r *http.Request) {
	ref, cf, code, err := s.loadCode(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderCodeEdit(w, r, ref, cf, code, http.StatusOK, web.CodeForm{Key: code.Key, Name: code.Name, Description: code.Description, ParentID: code.ParentID}, nil)
}

func (s *Server) renderCodeEdit(w http.ResponseWriter, r *http.Request, ref *frameRef, cf *coding.Codeframe, code *coding.Code, status int, form web.CodeForm, errs []web.FieldError) {
	title := "Change code " + code.Name
	if len(errs) > 0 {
		title = "Error: " + title
	}
	self := "/consultations/" + ref.c.Slug + "/codes/" + strconv.Itoa(int(code.ID))
	v := web.CodeEditView{
		Page:   s.page(r, title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: ref.c.Title, Href: "/consultations/" + ref.c.Slug}, web.Crumb{Label: "Codeframe for " + ref.caption, Href: ref.href}),
		Errors: errs, Caption: ref.caption, Name: code.Name, Form: form, Action: self,
		Retired: code.Retired, RetireHref: self + "/retire", MergeHref: self + "/merge", BackHref: ref.href,
	}
	// A code with sub-codes stays top-level; others may move under one.
	hasKids := false
	for _, c := range cf.Codes {
		hasKids = hasKids || c.ParentID == code.ID
	}
	if !hasKids {
		v.Parents = parentChoices(cf, code.ID)
	}
	if m := cf.Get(code.MergedInto); m != nil {
		v.MergedInto = m.Name
	}
	for _, c := range cf.Active() {
		if c.ID != code.ID {
			v.MergeTo = append(v.MergeTo, web.Choice{Value: strconv.Itoa(int(c.ID)), Label: cf.Label(c)})
		}
	}
	s.render(w, r, status, web.CodeEdit(v))
}

func (s *Server) updateCode(w http.ResponseWriter, r *http.Request) {
	ref, cf, code, err := s.loadCode(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form, in := codeForm(r)
	err = s.Coding.UpdateCode(r.Context(), s.actor(r), ref.c.ID, code.ID, in)
	if errs, ok := fieldErrors(err); ok {
		s.renderCodeEdit(w, r, ref, cf, code, http.StatusUnprocessableEntity, form, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, ref.href+"?done=saved", http.StatusSeeOther)
}

func (s *Server) moveCode(w http.ResponseWriter, r *http.Request) {
	ref, _, code, err := s.loadCode(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	delta := 1
	if r.PostFormValue("dir") == "up" {
		delta = -1
	}
	if err := s.Coding.MoveCode(r.Context(), s.actor(r), ref.c.ID, code.ID, delta); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, ref.href+"?done=moved", http.StatusSeeOther)
}

func (s *Server) retireCode(w http.ResponseWriter, r *http.Request) {
	ref, cf, code, err := s.loadCode(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	retire := r.PostFormValue("retired") != "no"
	err = s.Coding.RetireCode(r.Context(), s.actor(r), ref.c.ID, code.ID, retire)
	if errs, ok := fieldErrors(err); ok {
		s.renderCodeEdit(w, r, ref, cf, code, http.StatusUnprocessableEntity, web.CodeForm{Key: code.Key, Name: code.Name, Description: code.Description, ParentID: code.ParentID}, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "retired"
	if !retire {
		done = "restored"
	}
	http.Redirect(w, r, ref.href+"?done="+done, http.StatusSeeOther)
}

func (s *Server) mergeCode(w http.ResponseWriter, r *http.Request) {
	ref, cf, code, err := s.loadCode(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	into, _ := strconv.Atoi(r.PostFormValue("into"))
	n, err := s.Coding.MergeCode(r.Context(), s.actor(r), ref.c.ID, code.ID, int32(into))
	if errs, ok := fieldErrors(err); ok {
		s.renderCodeEdit(w, r, ref, cf, code, http.StatusUnprocessableEntity, web.CodeForm{Key: code.Key, Name: code.Name, Description: code.Description, ParentID: code.ParentID}, errs)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, ref.href+"?done=merged&n="+strconv.Itoa(n), http.StatusSeeOther)
}
