package results_test

import (
	"testing"

	"heard/internal/results"
)

// TestGuardPoolsSmallAtoms: the exported Guard (used for code counts)
// pools a small atom with the next smallest, so neither the small atom
// nor the total minus the other atoms gives it away.
func TestGuardPoolsSmallAtoms(t *testing.T) {
	p := results.Policy{Threshold: 10}
	// Three atoms, two categories: atom 0 has 3 in category 0.
	counts := [][]int64{{3, 20}, {12, 15}, {40, 30}}
	g := results.NewGuard(p, counts)
	all := []bool{true, true, true}
	if !g.Released(all) || g.Withhold(all, 55) != "" {
		t.Fatal("the total over every atom should be shown")
	}
	if w := g.Withhold([]bool{true, false, false}, 3); w == "" {
		t.Error("a small atom on its own is shown")
	}
	// Atom 1 is pooled with atom 0 (3+12 >= 10), so atom 1 alone, or
	// atoms 1 and 2 (total minus atom 0), are withheld.
	if g.Released([]bool{false, true, false}) || g.Released([]bool{false, true, true}) {
		t.Error("a set with part of the pool is released: the small atom could be recovered by subtraction")
	}
	if !g.Released([]bool{false, false, true}) || !g.Released([]bool{true, true, false}) {
		t.Error("sets with all or none of the pool should be released")
	}
	if w := g.Withhold([]bool{false, false, true}, 4); w != p.FewerThan() {
		t.Errorf("a count of 4 reads %q, want %q", w, p.FewerThan())
	}
	if w := results.NewGuard(results.Policy{}, counts).Withhold([]bool{true, false, false}, 3); w != "" {
		t.Errorf("exact policy withholds %q", w)
	}
}
