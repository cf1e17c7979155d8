package results

import (
	"math"
	"strings"
	"testing"
)

func TestChiSquare(t *testing.T) {
	// Expected 12, 18, 28, 42: χ² = 0.794 on 1 degree of freedom, p = 0.373.
	s := chiSquare([][]int64{{10, 20}, {30, 40}})
	if !s.Tested || math.Abs(s.ChiSquare-0.7937) > 0.001 || s.DF != 1 || math.Abs(s.P-0.373) > 0.001 {
		t.Errorf("chiSquare = %+v", s)
	}
	if !strings.Contains(s.Text, "not statistically significant") {
		t.Errorf("text = %q", s.Text)
	}
	if s := chiSquare([][]int64{{100, 10}, {10, 100}}); !strings.Contains(s.Text, "p < 0.001") {
		t.Errorf("strong difference: %q", s.Text)
	}
	if s := chiSquare([][]int64{{3, 1}, {1, 3}}); s.Tested || !strings.Contains(s.Text, "Too few answers to test") {
		t.Errorf("tiny table: %+v", s)
	}
	// An option nobody chose is not a column of the test.
	if s := chiSquare([][]int64{{50, 0, 50}, {60, 0, 40}}); !s.Tested || s.DF != 1 {
		t.Errorf("empty column kept: %+v", s)
	}
}
