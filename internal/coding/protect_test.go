package coding_test

import (
	"context"
	"fmt"
	"testing"

	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/ingest"
	"heard/internal/results"
)

// codeFigure is one code count a reader can see: the answers in atoms
// (a bit per group × channel cell) given code at one of the positions
// (a bit per coding.AllPositions).
type codeFigure struct {
	code  int32
	atoms uint64
	pos   uint8
	n     int64
}

// protectedFilters is every filter a protected reader may use: none,
// and every non-empty set of groups or of channels.
func protectedFilters(groups []int32) []results.Filter {
	out := []results.Filter{{}}
	for mask := 1; mask < 1<<len(groups); mask++ {
		var f results.Filter
		for i, g := range groups {
			if mask&(1<<i) != 0 {
				f.GroupIDs = append(f.GroupIDs, g)
			}
		}
		out = append(out, f)
	}
	for mask := 1; mask < 1<<len(ingest.Channels); mask++ {
		var f results.Filter
		for i, ch := range ingest.Channels {
			if mask&(1<<i) != 0 {
				f.Channels = append(f.Channels, ch)
			}
		}
		out = append(out, f)
	}
	return out
}

// shownCodeFigures collects every code count a reader under p sees on
// the question pages and in codes.csv, for every filter they may use.
func shownCodeFigures(t *testing.T, c *consultation.Consultation, frames []*coding.Codeframe, all []coding.Count, p results.Policy) []codeFigure {
	t.Helper()
	groups := results.DimensionAtoms(c, "group").Groups
	bit := func(g int32, ch string) uint64 {
		for i, id := range groups {
			for j, x := range ingest.Channels {
				if id == g && x == ch {
					return 1 << (i*len(ingest.Channels) + j)
				}
			}
		}
		panic(fmt.Sprintf("no atom %d %s", g, ch))
	}
	cells := func(gs []int32, chs []string) uint64 {
		var m uint64
		for _, g := range gs {
			for _, ch := range chs {
				m |= bit(g, ch)
			}
		}
		return m
	}
	allPos := uint8(1<<len(coding.AllPositions) - 1)
	seen := map[codeFigure]bool{}
	var out []codeFigure
	add := func(code int32, atoms uint64, pos uint8, f coding.Figure) {
		if f.Withheld != "" {
			return
		}
		k := codeFigure{code, atoms, pos, f.N}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, f := range protectedFilters(groups) {
		gs, chs := groups, ingest.Channels
		if len(f.GroupIDs) > 0 {
			gs = f.GroupIDs
		}
		if len(f.Channels) > 0 {
			chs = f.Channels
		}
		for _, cf := range frames {
			pr, err := coding.Protect(p, c, cf, all, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range pr.Rows {
				id := row.Code.ID
				add(id, cells(gs, chs), allPos, row.N)
				for j, pos := range coding.AllPositions {
					add(id, cells(gs, chs), 1<<j, row.ByPosition[pos])
				}
				for g, fig := range row.ByGroup {
					add(id, cells([]int32{g}, chs), allPos, fig)
				}
				for ch, fig := range row.ByChannel {
					add(id, cells(gs, []string{ch}), allPos, fig)
				}
			}
			csv, err := coding.ProtectCells(p, c, cf, all, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, cl := range csv {
				j := 0
				for i, pos := range coding.AllPositions {
					if pos == cl.Position {
						j = i
					}
				}
				var atoms uint64
				if cl.Atoms.Dim == "channel" {
					atoms = cells(gs, []string{cl.Atoms.Channels[cl.Atom]})
				} else {
					atoms = cells([]int32{cl.Atoms.Groups[cl.Atom]}, chs)
				}
				add(cl.Code.ID, atoms, 1<<j, cl.Figure)
			}
		}
	}
	return out
}

// smallDifference finds a shown figure, or the difference of two shown
// figures of one code where one covers the other, from 1 to t-1: a
// small count worked out by subtraction.
func smallDifference(figs []codeFigure, t int64) (string, bool) {
	byCode := map[int32][]codeFigure{}
	for _, f := range figs {
		byCode[f.code] = append(byCode[f.code], f)
	}
	for _, fs := range byCode {
		for _, a := range fs {
			if a.n >= 1 && a.n < t {
				return fmt.Sprintf("code %d shown as %d", a.code, a.n), true
			}
			for _, b := range fs {
				if a == b || a.atoms&b.atoms != b.atoms || a.pos&b.pos != b.pos {
					continue
				}
				if d := a.n - b.n; d >= 1 && d < t {
					return fmt.Sprintf("code %d: %d (atoms %x positions %b) - %d (atoms %x positions %b) = %d", a.code, a.n, a.atoms, a.pos, b.n, b.atoms, b.pos, d), true
				}
			}
		}
	}
	return "", false
}

// On the coded demo, exact code counts let a small count be worked out
// by subtracting one shown figure from another; protected ones never do,
// at the public's and at viewers' thresholds.
func TestProtectedCodeCountsResistSubtraction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	c, _, err := demo.Load(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Code(ctx, pool, c); err != nil {
		t.Fatal(err)
	}
	svc := &coding.Service{Pool: pool}
	all, err := svc.Counts(ctx, c.ID, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var frames []*coding.Codeframe
	for _, q := range c.Questions {
		if q.Kind != "open" {
			continue
		}
		cf, err := svc.Codeframe(ctx, c.ID, coding.Frame{QuestionID: q.ID})
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, cf)
	}
	if len(frames) == 0 || len(all) == 0 {
		t.Fatal("the demo has no code counts")
	}
	// Exact figures (what viewers saw before) give small counts away.
	if _, leak := smallDifference(shownCodeFigures(t, c, frames, all, results.Policy{}), results.DefaultPublicThreshold); !leak {
		t.Fatal("exact figures give nothing away: the demo does not exercise the protection")
	}
	for _, th := range []int64{results.DefaultPublicThreshold, results.DefaultViewerThreshold} {
		p := results.Policy{Threshold: th}
		figs := shownCodeFigures(t, c, frames, all, p)
		t.Logf("threshold %d: %d distinct code figures shown", th, len(figs))
		if len(figs) < 100 {
			t.Errorf("threshold %d: only %d figures shown: protection hides too much", th, len(figs))
		}
		if how, leak := smallDifference(figs, th); leak {
			t.Errorf("threshold %d: a withheld code count is recovered by subtraction: %s", th, how)
		}
	}
}
