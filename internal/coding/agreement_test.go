package coding_test

import (
	"math"
	"testing"

	"heard/internal/coding"
)

func near(a, b float64) bool { return math.Abs(a-b) < 0.0005 }

// Hand-computed: 10 answers, both coders applied the code to 3, only the
// first to 1, only the second to 1, neither to 5.
//
//	kappa: po = 8/10 = 0.8; pA = pB = 4/10; pe = 0.4·0.4 + 0.6·0.6 = 0.52;
//	       κ = (0.8 − 0.52) / (1 − 0.52) = 0.28 / 0.48 = 0.5833
//	alpha: o11 = 6, o00 = 10, o10 = o01 = 2; n1 = 8, n0 = 12, n = 20;
//	       α = 1 − (n − 1)·o01 / (n0·n1) = 1 − 19·2/96 = 0.6042
func TestKappaAndAlphaByHand(t *testing.T) {
	b := coding.Binary{Both: 3, OnlyA: 1, OnlyB: 1, Neither: 5}
	if k, ok := b.Kappa(); !ok || !near(k, 0.5833) {
		t.Errorf("kappa = %.4f (%v), want 0.5833", k, ok)
	}
	if a, ok := b.Alpha(); !ok || !near(a, 0.6042) {
		t.Errorf("alpha = %.4f (%v), want 0.6042", a, ok)
	}
	// Perfect agreement with both categories used: both are 1.
	p := coding.Binary{Both: 4, Neither: 6}
	if k, _ := p.Kappa(); !near(k, 1) {
		t.Errorf("perfect kappa = %.4f", k)
	}
	if a, _ := p.Alpha(); !near(a, 1) {
		t.Errorf("perfect alpha = %.4f", a)
	}
	// Systematic disagreement: kappa −1 (po 0, pe 0.5... here pA=1, pB=0: pe=0).
	d := coding.Binary{OnlyA: 5, OnlyB: 5}
	if k, _ := d.Kappa(); !near(k, -1) {
		t.Errorf("kappa of total disagreement = %.4f, want -1", k)
	}
	// Every answer coded the same way by both: not defined, never 1 or NaN.
	if _, ok := (coding.Binary{Neither: 10}).Kappa(); ok {
		t.Error("kappa must be undefined when pe = 1")
	}
	if _, ok := (coding.Binary{Neither: 10}).Alpha(); ok {
		t.Error("alpha must be undefined when only one value occurs")
	}
	if _, ok := (coding.Binary{}).Kappa(); ok {
		t.Error("kappa of nothing must be undefined")
	}
	// Kappa below chance: 2 both, 4 only A, 4 only B... po = 0.2+0 ... hand: both 1, onlyA 2, onlyB 2, neither 1:
	// po = 2/6; pA = pB = 3/6; pe = 0.5; κ = (1/3 − 1/2)/(1/2) = −1/3.
	if k, _ := (coding.Binary{Both: 1, OnlyA: 2, OnlyB: 2, Neither: 1}).Kappa(); !near(k, -1.0/3) {
		t.Errorf("kappa = %.4f, want -0.3333", k)
	}
}

// Krippendorff's own worked example (Krippendorff 2011, "Computing
// Krippendorff's alpha-reliability", nominal data, 4 coders, 12 units
// with missing values): α = 0.743.
func TestNominalAlphaKrippendorffExample(t *testing.T) {
	units := [][]int{
		{1, 1, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
		{4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {5, 5, 5}, {1, 1}, {3},
	}
	if a, ok := coding.NominalAlpha(units); !ok || !near(a, 0.743) {
		t.Errorf("alpha = %.4f (%v), want 0.743", a, ok)
	}
}
