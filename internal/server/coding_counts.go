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
// under the page's filter. Viewers and the public see them protected
// (coding.Protect), like every other count.
func (s *Server) codeCounts(r *http.Request, c *consultation.Consultation, q *consultation.Question, t *results.Table) (web.CodeCountsView, error) {
	if q.Closed() {
		return web.CodeCountsView{}, nil
	}
	ctx := r.Context()
	cf, err := s.Coding.Codeframe(ctx, c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil || len(cf.Codes) == 0 {
		return web.CodeCountsView{}, err
	}
	coded, err := s.Coding.CodedAnswers(ctx, c.ID, q.ID)
	if err != nil {
		return web.CodeCountsView{}, err
	}
	qr := t.Question(q)
	v := web.CodeCountsView{Show: true, ID: q.Code, Of: "answers to " + q.Code, Base: qr.Answered, Coded: coded,
		CSVHref: withQuery("/consultations/"+c.Slug+"/codes.csv", r.URL.Query())}
	// Answers only: letter segments have their own base, on theme pages.
	return v, s.fillFrameCounts(r, &v, c, cf, t, false, qr.Withheld)
}

// fillFrameCounts fills v with the counts of cf's codes on answers (or,
// segments true, letter segments) under t's filter: exact for analysts,
// protected for everyone else. withheld is why the base is not shown.
func (s *Server) fillFrameCounts(r *http.Request, v *web.CodeCountsView, c *consultation.Consultation, cf *coding.Codeframe, t *results.Table, segments bool, withheld string) error {
	f := t.Filter.Counted()
	if t.Protected() {
		// Read every group and channel: the protection looks at all of them.
		f = results.Filter{}
	}
	counts, err := s.Coding.Counts(r.Context(), c.ID, f.GroupIDs, f.Channels)
	if err != nil {
		return err
	}
	var mine []coding.Count
	for _, n := range counts {
		if n.Segment == segments {
			mine = append(mine, n)
		}
	}
	if !t.Protected() {
		fillCodeCounts(v, c, cf, coding.Totals(cf, mine))
		return nil
	}
	v.Protected, v.Coded = true, 0
	if w := t.BaseWithheld(); w != "" {
		v.Withheld = w
		return nil
	}
	if withheld != "" {
		v.NoBase = true
	}
	p, err := coding.Protect(t.Policy, c, cf, mine, t.Filter)
	if err != nil {
		return err
	}
	fillProtectedCounts(v, c, cf, p)
	return nil
}

func cell(f coding.Figure) web.CodeCell { return web.CodeCell{N: f.N, Withheld: f.Withheld} }

// fillProtectedCounts is fillCodeCounts for a protected reader.
func fillProtectedCounts(v *web.CodeCountsView, c *consultation.Consultation, cf *coding.Codeframe, p coding.Protected) {
	for _, pos := range coding.AllPositions {
		v.Positions = append(v.Positions, coding.PositionLabel(pos))
	}
	atoms := results.DimensionAtoms(c, "group")
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, g.Label)
	}
	v.Groups = append(v.Groups, "Group not known")
	for _, ch := range ingest.Channels {
		v.Channels = append(v.Channels, results.ChannelLabel(ch))
	}
	if !p.ByGroup {
		v.GroupsWithheld = results.CrossWithheldText
	}
	if !p.ByChannel {
		v.ChanWithheld = results.CrossWithheldText
	}
	for _, t := range p.Rows {
		row := web.CodeCountRow{Label: t.Code.Name, Sub: t.Code.ParentID != 0, N: cell(t.N)}
		if !v.NoBase && t.N.Withheld == "" {
			row.Percent = results.Percent(t.N.N, v.Base)
		}
		for _, pos := range coding.AllPositions {
			row.ByPosition = append(row.ByPosition, cell(t.ByPosition[pos]))
		}
		for _, g := range atoms.Groups {
			row.ByGroup = append(row.ByGroup, cell(t.ByGroup[g]))
		}
		for _, ch := range ingest.Channels {
			row.ByChannel = append(row.ByChannel, cell(t.ByChannel[ch]))
		}
		v.Rows = append(v.Rows, row)
		v.Bars = append(v.Bars, results.Share{Slug: t.Code.Key, Label: cf.Label(t.Code), N: t.N.N, Percent: row.Percent, Withheld: t.N.Withheld})
	}
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
		row := web.CodeCountRow{Label: t.Code.Name, Sub: t.Code.ParentID != 0, N: web.CodeCell{N: t.N}, Percent: results.Percent(t.N, v.Base)}
		for _, p := range coding.AllPositions {
			row.ByPosition = append(row.ByPosition, web.CodeCell{N: t.ByPosition[p]})
		}
		for _, g := range groupIDs {
			row.ByGroup = append(row.ByGroup, web.CodeCell{N: t.ByGroup[g]})
		}
		for _, ch := range ingest.Channels {
			row.ByChannel = append(row.ByChannel, web.CodeCell{N: t.ByChannel[ch]})
		}
		v.Rows = append(v.Rows, row)
		v.Bars = append(v.Bars, results.Share{Slug: t.Code.Key, Label: cf.Label(t.Code), N: t.N, Percent: row.Percent})
	}
}

// CodesCSVHeader is the header of codes.csv (a public contract, like
// results.csv).
// suppressed is "true" on a row whose count is withheld from a viewer or
// the public (count is then empty), as in results.csv.
var CodesCSVHeader = []string{"question", "code", "parent_code", "position", "respondent_group", "channel", "count", "suppressed"}

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
	if t.Protected() {
		if err := s.protectedCodesCSV(r, cw, c, t, codes, frameName); err != nil {
			s.logError(r, "codes.csv", "consultation", c.Slug, "err", err)
		}
		cw.Flush()
		return
	}
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
		cw.Write([]string{csvSafe(frameName[code.Frame]), csvSafe(code.Key), csvSafe(parent), k.position, groups[k.group], k.channel, strconv.FormatInt(sums[k], 10), "false"}) //nolint:errcheck
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.logError(r, "codes.csv", "consultation", c.Slug, "err", err)
	}
}

// protectedCodesCSV writes codes.csv for a viewer or the public: every
// code × position by respondent group (channel "all") and by channel
// (respondent_group "all"), or only the dimension filtered on, zeros
// included, withheld counts empty with suppressed "true".
func (s *Server) protectedCodesCSV(r *http.Request, cw *csv.Writer, c *consultation.Consultation, t *results.Table, codes map[int32]*coding.Code, frameName map[coding.Frame]string) error {
	if t.BaseWithheld() != "" {
		return nil
	}
	ctx := r.Context()
	all, err := s.Coding.Counts(ctx, c.ID, nil, nil)
	if err != nil {
		return err
	}
	var frames []coding.Frame
	for _, q := range c.Questions {
		if !q.Closed() {
			frames = append(frames, coding.Frame{QuestionID: q.ID})
		}
	}
	for _, th := range c.Themes {
		frames = append(frames, coding.Frame{ThemeID: th.ID})
	}
	groups := map[int32]string{0: "unknown"}
	for _, g := range c.Groups {
		groups[g.ID] = g.Slug
	}
	for _, fr := range frames {
		cf, err := s.Coding.Codeframe(ctx, c.ID, fr)
		if err != nil {
			return err
		}
		// Answers are coded with their question's frame, letter
		// segments with their theme's.
		var mine []coding.Count
		for _, n := range all {
			if n.Segment == (fr.ThemeID != 0) {
				mine = append(mine, n)
			}
		}
		cells, err := coding.ProtectCells(t.Policy, c, cf, mine, t.Filter)
		if err != nil {
			return err
		}
		for _, cl := range cells {
			parent := ""
			if p := codes[cl.Code.ParentID]; p != nil {
				parent = p.Key
			}
			group, channel := results.CSVAll, results.CSVAll
			if cl.Atoms.Dim == "channel" {
				channel = cl.Atoms.Channels[cl.Atom]
			} else {
				group = groups[cl.Atoms.Groups[cl.Atom]]
			}
			count, suppressed := strconv.FormatInt(cl.Figure.N, 10), "false"
			if cl.Figure.Withheld != "" {
				count, suppressed = "", "true"
			}
			if err := cw.Write([]string{csvSafe(frameName[fr]), csvSafe(cl.Code.Key), csvSafe(parent), cl.Position, group, channel, count, suppressed}); err != nil {
				return err
			}
		}
	}
	return nil
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
	coders, err := s.Coding.Coders(r.Context(), c.ID)
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
		for _, cc := range coders[q.ID] {
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
