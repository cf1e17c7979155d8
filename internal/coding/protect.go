package coding

import (
	"fmt"

	"heard/internal/consultation"
	"heard/internal/results"
)

// Small-number protection for code counts. Viewers and the public see
// code counts through results' Guard, the same pooling as answers: for
// each code and dimension (respondent groups, channels) the categories
// are the code's total and its count at each position, and a figure is
// shown only over atoms that hold all of the pool or none of it. Codes
// are guarded one by one: no figure shown adds up several codes (an
// answer can have several, and the base counts answers), so one code's
// figures cannot be subtracted from another's. A code's total is
// the sum of its positions, so where any position of a code is withheld,
// all of that code's non-zero positions are (and its total, where that
// is withheld): nothing is left to subtract.

// Figure is one count as a protected reader sees it.
type Figure struct {
	N        int64  // 0 when withheld
	Withheld string // why it is not shown; "" when shown
}

// AllPositions is the stated positions then "" (not stated).
var AllPositions = append(append([]string{}, Positions...), "")

// ProtectedTotal is one code's figures under the filter.
type ProtectedTotal struct {
	Code       *Code
	N          Figure
	ByPosition map[string]Figure
	ByGroup    map[int32]Figure  // empty when not shown with this filter
	ByChannel  map[string]Figure // empty when not shown with this filter
}

// Protected is a codeframe's counts for a protected reader.
type Protected struct {
	Rows      []ProtectedTotal
	ByGroup   bool // the by-group breakdown is shown
	ByChannel bool // the by-channel breakdown is shown
}

// codeMatrix is counts per atom and category: for the i-th code of
// codes, category i*stride is its total and i*stride+1+j its count at
// AllPositions[j].
const stride = 5

func codeMatrix(codes []*Code, counts []Count, atoms results.Atoms) [][]int64 {
	idx := map[int32]int{}
	for i, c := range codes {
		idx[c.ID] = i
	}
	pos := map[string]int{}
	for j, p := range AllPositions {
		pos[p] = j
	}
	m := make([][]int64, atoms.Len())
	for a := range m {
		m[a] = make([]int64, len(codes)*stride)
	}
	for _, n := range counts {
		i, ok := idx[n.CodeID]
		a := atoms.Index(n.GroupID, n.Channel)
		if !ok || a < 0 {
			continue
		}
		m[a][i*stride] += n.N
		m[a][i*stride+1+pos[n.Position]] += n.N
	}
	return m
}

// guards protects each code of m on its own: guards[i] has the atoms'
// counts of the i-th code's total and positions.
func guards(p results.Policy, m [][]int64, nCodes int) []results.Guard {
	out := make([]results.Guard, nCodes)
	for i := range out {
		sub := make([][]int64, len(m))
		for a, row := range m {
			sub[a] = row[i*stride : (i+1)*stride]
		}
		out[i] = results.NewGuard(p, sub)
	}
	return out
}

// figures are the i-th code's total and positions over the atoms in
// set, g being the code's guard.
func figures(g results.Guard, m [][]int64, set []bool, i int) (Figure, map[string]Figure) {
	sum := func(k int) int64 {
		var n int64
		for a, row := range m {
			if set[a] {
				n += row[k]
			}
		}
		return n
	}
	show := func(n int64) Figure {
		if w := g.Withhold(set, n); w != "" {
			return Figure{Withheld: w}
		}
		return Figure{N: n}
	}
	total := show(sum(i * stride))
	byPos := map[string]Figure{}
	hide := total.Withheld != ""
	for j, p := range AllPositions {
		byPos[p] = show(sum(i*stride + 1 + j))
		hide = hide || byPos[p].Withheld != ""
	}
	if hide {
		for j, p := range AllPositions {
			if byPos[p].Withheld == "" && sum(i*stride+1+j) != 0 {
				byPos[p] = Figure{Withheld: results.WithheldText}
			}
		}
	}
	return total, byPos
}

// Protect returns the counts of cf's codes a reader under p may see
// under f (groups and channels only). all is the unfiltered counts of
// the frame's units (answers, or letter segments): the protection looks
// at every group and channel, as results.View does.
func Protect(p results.Policy, c *consultation.Consultation, cf *Codeframe, all []Count, f results.Filter) (Protected, error) {
	dim, err := results.FilterDimension(f)
	if err != nil {
		return Protected{}, fmt.Errorf("coding: protect code counts: %w", err)
	}
	codes := cf.Codes
	filterDim := dim
	if filterDim == "" {
		filterDim = "group"
	}
	fa := results.DimensionAtoms(c, filterDim)
	fm := codeMatrix(codes, all, fa)
	fg := guards(p, fm, len(codes))
	set := fa.InFilter(f)
	out := Protected{ByGroup: dim != "channel", ByChannel: dim != "group"}
	type split struct {
		atoms results.Atoms
		m     [][]int64
		g     []results.Guard
		in    []bool
	}
	var splits []split
	for _, d := range []string{"group", "channel"} {
		if (d == "group" && !out.ByGroup) || (d == "channel" && !out.ByChannel) {
			continue
		}
		a := results.DimensionAtoms(c, d)
		m := codeMatrix(codes, all, a)
		splits = append(splits, split{atoms: a, m: m, g: guards(p, m, len(codes)), in: a.InFilter(f)})
	}
	for i, code := range codes {
		row := ProtectedTotal{Code: code, ByGroup: map[int32]Figure{}, ByChannel: map[string]Figure{}}
		row.N, row.ByPosition = figures(fg[i], fm, set, i)
		if code.Retired && row.N.N == 0 && row.N.Withheld == "" {
			continue
		}
		for _, s := range splits {
			for a := range s.atoms.Len() {
				fig := Figure{} // outside the filter: none counted
				if s.in[a] {
					one := make([]bool, s.atoms.Len())
					one[a] = true
					fig, _ = figures(s.g[i], s.m, one, i)
				}
				if s.atoms.Dim == "channel" {
					row.ByChannel[s.atoms.Channels[a]] = fig
				} else {
					row.ByGroup[s.atoms.Groups[a]] = fig
				}
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// ProtectedCell is one row of a protected codes.csv: a code's count at
// one position in one atom (a group, or a channel).
type ProtectedCell struct {
	Code     *Code
	Position string
	Atoms    results.Atoms
	Atom     int
	Figure   Figure
}

// ProtectCells lists every code × position × atom figure of cf a reader
// under p may download under f: by group and by channel, or only the
// dimension f restricts (and only its atoms), zeros included so a row's
// presence tells nothing.
func ProtectCells(p results.Policy, c *consultation.Consultation, cf *Codeframe, all []Count, f results.Filter) ([]ProtectedCell, error) {
	dim, err := results.FilterDimension(f)
	if err != nil {
		return nil, fmt.Errorf("coding: protect code counts: %w", err)
	}
	dims := []string{"group", "channel"}
	if dim != "" {
		dims = []string{dim}
	}
	type split struct {
		atoms results.Atoms
		m     [][]int64
		g     []results.Guard
		in    []bool
	}
	var splits []split
	for _, d := range dims {
		a := results.DimensionAtoms(c, d)
		m := codeMatrix(cf.Codes, all, a)
		splits = append(splits, split{atoms: a, m: m, g: guards(p, m, len(cf.Codes)), in: a.InFilter(f)})
	}
	var out []ProtectedCell
	for i, code := range cf.Codes {
		for _, s := range splits {
			for k := range s.atoms.Len() {
				if !s.in[k] {
					continue
				}
				one := make([]bool, s.atoms.Len())
				one[k] = true
				total, byPos := figures(s.g[i], s.m, one, i)
				if code.Retired && total.N == 0 && total.Withheld == "" {
					continue
				}
				for _, pos := range AllPositions {
					out = append(out, ProtectedCell{Code: code, Position: pos, Atoms: s.atoms, Atom: k, Figure: byPos[pos]})
				}
			}
		}
	}
	return out, nil
}
