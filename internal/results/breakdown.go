package results

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"heard/internal/consultation"
	"heard/internal/db"
)

// Breakdown compares the answers to one closed question across the
// values of another dimension, side by side, each row with its own base.
type Breakdown struct {
	Slug, Title string  // "group", "By respondent group"
	Options     []Share // column heads (Label, Slug, NoView)
	Rows        []BreakdownRow
	Test        Significance
	// Withheld explains why the breakdown is not shown at all.
	Withheld string
}

// BreakdownRow is one value's answers: counts as percentages of Base,
// those in the row who answered.
type BreakdownRow struct {
	Slug, Label string
	Base        int64
	// BaseWithheld replaces Base (and the whole row) when set.
	BaseWithheld string
	Cells        []Share
	// Other rows ("group not known", "did not answer") are shown but
	// not tested.
	Other bool
}

// Significance is the chi-square test of independence of a breakdown.
type Significance struct {
	Tested    bool
	ChiSquare float64
	DF        int
	P         float64
	Text      string
}

// MinExpected is the smallest expected count the chi-square test
// accepts in every cell.
const MinExpected = 5

// chiSquare tests whether the rows differ. Columns empty in every row
// are dropped.
func chiSquare(m [][]int64) Significance {
	if len(m) < 2 {
		return Significance{Text: "There is only one group to compare, so there is nothing to test."}
	}
	var cols []int
	for k := range m[0] {
		for _, row := range m {
			if row[k] > 0 {
				cols = append(cols, k)
				break
			}
		}
	}
	rowT := make([]float64, len(m))
	colT := make([]float64, len(m[0]))
	var total float64
	for i, row := range m {
		for _, k := range cols {
			rowT[i] += float64(row[k])
			colT[k] += float64(row[k])
			total += float64(row[k])
		}
	}
	if len(cols) < 2 || total == 0 {
		return Significance{Text: "Everyone gave the same answer, so there is nothing to test."}
	}
	var x float64
	for i, row := range m {
		for _, k := range cols {
			e := rowT[i] * colT[k] / total
			if e < MinExpected {
				return Significance{Text: fmt.Sprintf("Too few answers to test whether the groups differ (some expected counts are under %d).", MinExpected)}
			}
			d := float64(row[k]) - e
			x += d * d / e
		}
	}
	df := (len(m) - 1) * (len(cols) - 1)
	p := distuv.ChiSquared{K: float64(df)}.Survival(x)
	s := Significance{Tested: true, ChiSquare: x, DF: df, P: p}
	switch {
	case p < 0.001:
		s.Text = "The difference between groups is statistically significant, p < 0.001"
	case p < 0.05:
		s.Text = fmt.Sprintf("The difference between groups is statistically significant, p = %.3f", p)
	default:
		s.Text = fmt.Sprintf("The difference between groups is not statistically significant, p = %.2f", p)
	}
	s.Text += fmt.Sprintf(" (chi-square test of independence, χ² = %.1f, %d degrees of freedom).", x, df)
	if math.IsNaN(p) {
		s = Significance{Text: "The test could not be computed."}
	}
	return s
}

// rowDef names one row of a breakdown.
type rowDef struct {
	slug, label string
	other       bool
}

// build turns counts[row][option] into a breakdown, protected by p.
func build(slug, title string, q *consultation.Question, rows []rowDef, m [][]int64, p Policy, filtered bool) Breakdown {
	b := Breakdown{Slug: slug, Title: title}
	for _, o := range q.Scale.Options {
		b.Options = append(b.Options, Share{Slug: o.Slug, Label: o.Label, NoView: o.NoView})
	}
	if !p.Exact() && filtered {
		b.Withheld = CrossWithheldText
		return b
	}
	var g guard
	if !p.Exact() {
		g = newGuard(m, p.Threshold)
	}
	var test [][]int64
	anyWithheld := false
	for i, rd := range rows {
		r := BreakdownRow{Slug: rd.slug, Label: rd.label, Other: rd.other}
		for _, n := range m[i] {
			r.Base += n
		}
		if r.Base == 0 {
			continue
		}
		one := make([]bool, len(rows))
		one[i] = true
		if !p.Exact() && (!g.released(one) || r.Base < p.Threshold) {
			r.BaseWithheld = WithheldText
			if r.Base < p.Threshold {
				r.BaseWithheld = p.FewerThan()
			}
			r.Base = 0
			anyWithheld = true
			b.Rows = append(b.Rows, r)
			continue
		}
		for k, n := range m[i] {
			s := share(b.Options[k].Slug, b.Options[k].Label, n, r.Base)
			if !p.Exact() {
				if w := g.withhold(p, k, n); w != "" {
					s = withheldShare(s, w)
					anyWithheld = true
				}
			}
			r.Cells = append(r.Cells, s)
		}
		b.Rows = append(b.Rows, r)
		if !rd.other {
			test = append(test, m[i])
		}
	}
	if anyWithheld {
		b.Test = Significance{Text: "Not tested here, because some figures are withheld to protect small numbers."}
	} else {
		b.Test = chiSquare(test)
	}
	return b
}

// Breakdowns compares q's answers by respondent group and channel (from
// the summary tables, fast at any size) and, when all is set, also by
// organisation or individual and by each demographic question (counted
// from the responses, so slower: they have their own page). Protected
// readers see them only without a filter.
func (s *Service) Breakdowns(ctx context.Context, t *Table, q *consultation.Question, all bool) ([]Breakdown, error) {
	if q.Scale == nil {
		return nil, nil
	}
	c := t.Consultation
	src := t
	if t.Protected() {
		src = t.all
	}
	filtered := t.Filter.Active()
	var out []Breakdown

	for _, dim := range []string{"group", "channel"} {
		keys := src.atoms(dim)
		m := src.questionMatrix(q, dim, keys)
		var rows []rowDef
		title := "By respondent group"
		for _, k := range keys {
			switch {
			case dim == "channel":
				rows = append(rows, rowDef{slug: k.channel, label: ChannelLabel(k.channel)})
				title = "By channel"
			case k.group == 0:
				rows = append(rows, rowDef{label: "Group not known", other: true})
			default:
				for _, g := range c.Groups {
					if g.ID == k.group {
						rows = append(rows, rowDef{slug: g.Slug, label: g.Label})
					}
				}
			}
		}
		out = append(out, build(dim, title, q, rows, m, t.Policy, filtered))
	}

	if !all {
		return out, nil
	}
	idx := map[int32]int{}
	for i, o := range q.Scale.Options {
		idx[o.ID] = i
	}
	var by []*consultation.Question
	for _, b := range c.Questions {
		if b.Kind == "demographic" && b.Scale != nil && b != q {
			by = append(by, b)
		}
	}
	orgM, byM, err := s.crosses(ctx, c, t.Filter, q, by, idx)
	if err != nil {
		return nil, err
	}
	out = append(out, build("organisation", "Organisations and individuals", q,
		[]rowDef{{slug: "organisation", label: "On behalf of an organisation"}, {slug: "individual", label: "As an individual"}}, orgM, t.Policy, filtered))
	for k, b := range by {
		var rows []rowDef
		for _, o := range b.Scale.Options {
			rows = append(rows, rowDef{slug: o.Slug, label: o.Label, other: o.NoView})
		}
		rows = append(rows, rowDef{label: "Did not answer " + b.Code, other: true})
		out = append(out, build("by-"+b.Code, "By "+b.Prompt, q, rows, byM[k], t.Policy, filtered))
	}
	return out, nil
}

// crosses counts q's answers (columns in idx order) by organisation or
// individual (rows: organisation, individual) and by each question in by
// (rows: its options, then "did not answer"). Without an answer filter,
// events, dates or campaigns they come from the answer_pairs summary;
// otherwise they are counted response by response.
func (s *Service) crosses(ctx context.Context, c *consultation.Consultation, f Filter, q *consultation.Question, by []*consultation.Question, idx map[int32]int) ([][]int64, [][][]int64, error) {
	orgM := [][]int64{make([]int64, len(idx)), make([]int64, len(idx))}
	byM := make([][][]int64, len(by))
	rowIdx := make([]map[int32]int, len(by))
	for k, b := range by {
		rowIdx[k] = map[int32]int{0: len(b.Scale.Options)}
		for i, o := range b.Scale.Options {
			rowIdx[k][o.ID] = i
		}
		byM[k] = make([][]int64, len(b.Scale.Options)+1)
		for i := range byM[k] {
			byM[k][i] = make([]int64, len(idx))
		}
	}
	if !(s.oneByOne && f.Active()) {
		// answer_pairs when it keeps f, else response_facts.
		var x crossCounts
		var err error
		switch base := f.withoutCampaigns(); {
		case f.crossPaired():
			x, err = s.pairedCross(ctx, c, f, q, by)
		case f.Campaigns != "" && s.qs == nil && base.crossPaired():
			x, err = s.crossLeavingOut(ctx, c, f, base, q, by)
		default:
			x, err = s.factCross(ctx, c, f, q, by, nil)
		}
		if err != nil {
			return nil, nil, err
		}
		for org, m := range x.org {
			i := 1
			if org {
				i = 0
			}
			for opt, n := range m {
				if col, ok := idx[opt]; ok {
					orgM[i][col] += n
				}
			}
		}
		for k, b := range by {
			// Those who did not answer b: everyone who answered q, less
			// those who answered b too.
			notAnswered := byM[k][len(b.Scale.Options)]
			for col := range notAnswered {
				notAnswered[col] = orgM[0][col] + orgM[1][col]
			}
			for bo, m := range x.byAnswer[b.ID] {
				row, ok := rowIdx[k][bo]
				if !ok || bo == 0 {
					continue
				}
				for opt, n := range m {
					if col, ok := idx[opt]; ok {
						byM[k][row][col] += n
						notAnswered[col] -= n
					}
				}
			}
		}
		return orgM, byM, nil
	}
	fp := f.sql()
	org, err := db.New(s.Pool).CrossByOrganisation(ctx, db.CrossByOrganisationParams{ConsultationID: c.ID, QuestionID: q.ID,
		GroupIds: fp.groups, Channels: fp.channels, EventIds: fp.events, Respondent: fp.resp, ReceivedFrom: fp.from, ReceivedBefore: fp.before, AnswerPairs: fp.pairs, Campaigns: f.Campaigns})
	if err != nil {
		return nil, nil, fmt.Errorf("results: %s by organisation: %w", q.Code, err)
	}
	for _, r := range org {
		if col, ok := idx[r.ColOption]; ok && r.Answered {
			i := 1
			if r.Org {
				i = 0
			}
			orgM[i][col] += r.N
		}
	}
	for k, b := range by {
		rowsDB, err := db.New(s.Pool).CrossByAnswer(ctx, db.CrossByAnswerParams{ConsultationID: c.ID, QuestionID: q.ID, ByQuestionID: b.ID,
			GroupIds: fp.groups, Channels: fp.channels, EventIds: fp.events, Respondent: fp.resp, ReceivedFrom: fp.from, ReceivedBefore: fp.before, AnswerPairs: fp.pairs, Campaigns: f.Campaigns})
		if err != nil {
			return nil, nil, fmt.Errorf("results: %s by %s: %w", q.Code, b.Code, err)
		}
		for _, r := range rowsDB {
			if col, ok := idx[r.ColOption]; ok && r.Answered {
				byM[k][rowIdx[k][r.RowOption]][col] += r.N
			}
		}
	}
	return orgM, byM, nil
}
