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
	fp := t.Filter.sql()
	idx := map[int32]int{}
	for i, o := range q.Scale.Options {
		idx[o.ID] = i
	}
	org, err := db.New(s.Pool).CrossByOrganisation(ctx, db.CrossByOrganisationParams{ConsultationID: c.ID, QuestionID: q.ID,
		GroupIds: fp.groups, Channels: fp.channels, EventIds: fp.events, Respondent: fp.resp, ReceivedFrom: fp.from, ReceivedBefore: fp.before, AnswerPairs: fp.pairs, Campaigns: t.Filter.Campaigns})
	if err != nil {
		return nil, fmt.Errorf("results: %s by organisation: %w", q.Code, err)
	}
	m := [][]int64{make([]int64, len(idx)), make([]int64, len(idx))}
	for _, r := range org {
		if k, ok := idx[r.ColOption]; ok && r.Answered {
			i := 1
			if r.Org {
				i = 0
			}
			m[i][k] += r.N
		}
	}
	out = append(out, build("organisation", "Organisations and individuals", q,
		[]rowDef{{slug: "organisation", label: "On behalf of an organisation"}, {slug: "individual", label: "As an individual"}}, m, t.Policy, filtered))

	for _, by := range c.Questions {
		if by.Kind != "demographic" || by.Scale == nil || by == q {
			continue
		}
		rowsDB, err := db.New(s.Pool).CrossByAnswer(ctx, db.CrossByAnswerParams{ConsultationID: c.ID, QuestionID: q.ID, ByQuestionID: by.ID,
			GroupIds: fp.groups, Channels: fp.channels, EventIds: fp.events, Respondent: fp.resp, ReceivedFrom: fp.from, ReceivedBefore: fp.before, AnswerPairs: fp.pairs, Campaigns: t.Filter.Campaigns})
		if err != nil {
			return nil, fmt.Errorf("results: %s by %s: %w", q.Code, by.Code, err)
		}
		rowIdx := map[int32]int{}
		var rows []rowDef
		for i, o := range by.Scale.Options {
			rowIdx[o.ID] = i
			rows = append(rows, rowDef{slug: o.Slug, label: o.Label, other: o.NoView})
		}
		rows = append(rows, rowDef{label: "Did not answer " + by.Code, other: true})
		rowIdx[0] = len(rows) - 1
		m := make([][]int64, len(rows))
		for i := range m {
			m[i] = make([]int64, len(idx))
		}
		for _, r := range rowsDB {
			if k, ok := idx[r.ColOption]; ok && r.Answered {
				m[rowIdx[r.RowOption]][k] += r.N
			}
		}
		out = append(out, build("by-"+by.Code, "By "+by.Prompt, q, rows, m, t.Policy, filtered))
	}
	return out, nil
}
