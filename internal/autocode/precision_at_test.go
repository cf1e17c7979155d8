package autocode

import "testing"

// A model stored when fewer thresholds were offered still shows the
// precision it measured at each of them, and none at the new ones: the
// bulk-accept labels match precision to threshold by value, not place.
func TestPrecisionAtMatchesThresholdsByValue(t *testing.T) {
	old := []AtThreshold{
		{Threshold: 0.5, Precision: 0.81, N: 40},
		{Threshold: 0.6, Precision: 0.86, N: 35},
		{Threshold: 0.7, Precision: 0.9, N: 30},
	}
	if _, ok := PrecisionAt(old, Thresholds[0]); ok {
		t.Errorf("a threshold the model never measured (%v) has a precision", Thresholds[0])
	}
	for _, th := range Thresholds {
		at, ok := PrecisionAt(old, th)
		if ok && at.Threshold != th {
			t.Errorf("threshold %v shows the precision measured at %v", th, at.Threshold)
		}
	}
	if at, ok := PrecisionAt(old, 0.6); !ok || at.Precision != 0.86 || at.N != 35 {
		t.Errorf("at 0.6: %+v %v, want 0.86 on 35", at, ok)
	}
	if Thresholds[0] >= Threshold {
		t.Errorf("bulk acceptance starts at %v: suggestions below %v (codes whose own threshold is lower) cannot be accepted in bulk", Thresholds[0], Threshold)
	}
}
