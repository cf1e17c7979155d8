package server

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/ingest"
	"heard/internal/results"
	"heard/web"
)

// codeCounts builds the code counts shown on an open question's page,
// under the page's filter. Viewers see them too: they are counts.
func (s *Server) codeCounts(r *http.Request, c *consultation.Consultation, q *consultation.Question, t *results.Table) (web.CodeCountsView, error) {
	if q.Closed() {
		return web.CodeCountsView{}, nil
	}
	ctx := r.Context()
	cf, err := s.Coding.Codeframe(ctx, c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil || len(cf.Codes) == 0 {
		return web.CodeCountsView{}, err
	}
	counts, err := s.Coding.Counts(ctx, c.ID, t.Filter.GroupIDs, t.Filter.Channels)
	if err != nil {
		return web.CodeCountsView{}, err
	}
	coded, err := s.Coding.CodedAnswers(ctx, q.ID)
	if err != nil {
		return web.CodeCountsView{}, err
	}
	base := t.Question(q).Answered
	v := web.CodeCountsView{Show: true, ID: q.Code, Of: "answers to " + q.Code, Base: base, Coded: coded,
		CSVHref: withQuery("/consultations/"+c.Slug+"/codes.csv", r.URL.Query())}
	// Answers only: letter segments have their own base, on theme pages.
	var answers []coding.Count
	for _, n := range counts {
		if !n.Segment {
			answers = append(answers, n)
		}
	}
	fillCodeCounts(&v, c, cf, coding.Totals(cf, answers))
	return v, nil
}

func fillCodeCounts(v *web.CodeCountsView, c *consultation.Consultation, cf *coding.Codeframe, totals []coding.CodeTotal) {
	for _, p := range coding.Positions {
		v.Positions = append(v.Positions, coding.PositionLabel(p))
	}
	v.Positions = append(v.Positions, coding.PositionLabel(""))
	groupIDs := []int32{}
	for _, g := range c.Groups {
		groupIDs = append(groupIDs, g.ID)
		v.Groups = append(v.Groups, g.Label)
	}
	unknown := false
	for _, t := range totals {
		unknown = unknown || t.ByGroup[0] > 0
	}
	if unknown {
		groupIDs = append(groupIDs, 0)
		v.Groups = append(v.Groups, "Group not known")
	}
	for _, ch := range ingest.Channels {
		v.Channels = append(v.Channels, results.ChannelLabel(ch))
	}
	for _, t := range totals {
		if t.N == 0 && t.Code.Retired {
			continue
		}
		row := web.CodeCountRow{Label: t.Code.Name, Sub: t.Code.ParentID != 0, N: t.N, Percent: results.Percent(t.N, v.Base)}
		for _, p := range append(append([]string{}, coding.Positions...), "") {
			row.ByPosition = append(row.ByPosition, t.ByPosition[p])
		}
		for _, g := range groupIDs {
			row.ByGroup = append(row.ByGroup, t.ByGroup[g])
		}
		for _, ch := range ingest.Channels {
			row.ByChannel = append(row.ByChannel, t.ByChannel[ch])
		}
		v.Rows = append(v.Rows, row)
		v.Bars = append(v.Bars, results.Share{Slug: t.Code.Key, Label: cf.Label(t.Code), N: t.N, Percent: row.Percent})
	}
}

// CodesCSVHeader is the header of codes.csv (a public contract, like
// results.csv).
var CodesCSVHeader = []string{"question", "code", "parent_code", "position", "respondent_group", "channel", "count"}

// codesCSV writes every code count under the filter: one row per code,
// position, respondent group and channel. Theme codes (letter segments)
// name their theme as "theme:<slug>" in the question column.
func (s *Server) codesCSV(w http.ResponseWriter, r *http.Request) {
	c, t, err := s.load(r)
	if err != nil {
		var fe *results.FilterError
		if errors.As(err, &fe) {
			http.Error(w, fe.Error(), http.StatusBadRequest)
			return
		}
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	codes, err := s.Coding.AllCodes(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.Coding.Counts(ctx, c.ID, t.Filter.GroupIDs, t.Filter.Channels)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	frameName := map[coding.Frame]string{}
	for _, q := range c.Questions {
		frameName[coding.Frame{QuestionID: q.ID}] = q.Code
	}
	for _, th := range c.Themes {
		frameName[coding.Frame{ThemeID: th.ID}] = "theme:" + th.Slug
	}
	groups := map[int32]string{0: "unknown"}
	for _, g := range c.Groups {
		groups[g.ID] = g.Slug
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-codes.csv"`, c.Slug))
	cw := csv.NewWriter(w)
	cw.Write(CodesCSVHeader) //nolint:errcheck // checked by Flush below
	// One line per cell; answers and segments of one code add up.
	type cell struct {
		code     int32
		position string
		group    int32
		channel  string
	}
	sums := map[cell]int64{}
	var order []cell
	for _, n := range counts {
		k := cell{n.CodeID, n.Position, n.GroupID, n.Channel}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		sums[k] += n.N
	}
	for _, k := range order {
		code := codes[k.code]
		if code == nil {
			continue
		}
		parent := ""
		if p := codes[code.ParentID]; p != nil {
			parent = p.Key
		}
		cw.Write([]string{csvSafe(frameName[code.Frame]), csvSafe(code.Key), csvSafe(parent), k.position, groups[k.group], k.channel, strconv.FormatInt(sums[k], 10)}) //nolint:errcheck
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.Logger.Error("codes.csv", "consultation", c.Slug, "err", err)
	}
}

// csvSafe keeps spreadsheets from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}

// codingProgress is the consultation's coding progress page.
func (s *Server) codingProgress(w http.ResponseWriter, r *http.Request) {
	c, t, err := s.load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Coding.Progress(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := "/consultations/" + c.Slug
	v := web.CodingProgressView{Page: s.page(r, "Coding progress: "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base})}
	for _, q := range c.Questions {
		if q.Closed() || q.Kind == "demographic" {
			continue
		}
		of := t.Question(q).Answered
		row := web.CodingProgressRow{Label: q.Code + ": " + q.Prompt, Href: base + "/questions/" + url.PathEscape(q.Code) + "/coding",
			Coded: p.ByQuestion[q.ID], Of: of, Percent: results.Percent(p.ByQuestion[q.ID], of)}
		var who []string
		for _, cc := range p.Coders[q.ID] {
			who = append(who, cc.Email+" "+web.Num(cc.N))
		}
		row.Coders = strings.Join(who, "; ")
		v.Questions = append(v.Questions, row)
	}
	for _, th := range c.Themes {
		if p.Segments[th.ID] == 0 {
			continue
		}
		v.Themes = append(v.Themes, web.CodingProgressRow{Label: th.Title, Href: frameHref(c, coding.Frame{ThemeID: th.ID}),
			Coded: p.ByTheme[th.ID], Of: p.Segments[th.ID], Percent: results.Percent(p.ByTheme[th.ID], p.Segments[th.ID])})
	}
	s.render(w, r, http.StatusOK, web.CodingProgress(v))
}

// overviewCoding is the coding-progress column of the overview, for
// analysts: "% coded" per open question, linking to its coding page.
func (s *Server) overviewCoding(r *http.Request, c *consultation.Consultation, t *results.Table, v *web.OverviewView) error {
	if u := userFrom(r.Context()); u == nil || !u.Role.AtLeast(accounts.Analyst) {
		return nil
	}
	p, err := s.Coding.Progress(r.Context(), c.ID)
	if err != nil {
		return err
	}
	v.CodingHref = "/consultations/" + c.Slug + "/coding"
	for i, q := range c.Questions {
		if q.Closed() || i >= len(v.Questions) {
			continue
		}
		of := t.Question(q).Answered
		v.Questions[i].Coding = fmt.Sprintf("%s coded", web.Pct(results.Percent(p.ByQuestion[q.ID], of)))
		v.Questions[i].CodingHref = "/consultations/" + c.Slug + "/questions/" + url.PathEscape(q.Code) + "/coding"
	}
	return nil
}
