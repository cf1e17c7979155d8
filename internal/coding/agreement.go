package coding

// Agreement statistics for double coding. Each code is a present/absent
// decision per answer, so two coders' decisions on one code form a 2×2
// table; "overall" pools the tables of every code (each answer-and-code
// pair is one decision).

// Binary is two coders' present/absent decisions on one code over the
// same answers.
type Binary struct {
	Both    int // both applied the code
	OnlyA   int // the first coder only
	OnlyB   int // the second coder only
	Neither int
}

// N is the number of answers (decisions) in the table.
func (b Binary) N() int { return b.Both + b.OnlyA + b.OnlyB + b.Neither }

// Add pools two tables.
func (b Binary) Add(o Binary) Binary {
	return Binary{b.Both + o.Both, b.OnlyA + o.OnlyA, b.OnlyB + o.OnlyB, b.Neither + o.Neither}
}

// Kappa is Cohen's kappa, (po − pe) / (1 − pe). ok is false when it is
// not defined: no answers, or both coders made the same single choice
// throughout (pe = 1).
func (b Binary) Kappa() (k float64, ok bool) {
	n := float64(b.N())
	if n == 0 {
		return 0, false
	}
	po := float64(b.Both+b.Neither) / n
	pa := float64(b.Both+b.OnlyA) / n
	pb := float64(b.Both+b.OnlyB) / n
	pe := pa*pb + (1-pa)*(1-pb)
	if pe >= 1 {
		return 0, false
	}
	return (po - pe) / (1 - pe), true
}

// Alpha is Krippendorff's alpha for the table (nominal, two coders, no
// missing values).
func (b Binary) Alpha() (float64, bool) {
	units := make([][]int, 0, b.N())
	for range b.Both {
		units = append(units, []int{1, 1})
	}
	for range b.OnlyA {
		units = append(units, []int{1, 0})
	}
	for range b.OnlyB {
		units = append(units, []int{0, 1})
	}
	for range b.Neither {
		units = append(units, []int{0, 0})
	}
	return NominalAlpha(units)
}

// NominalAlpha is Krippendorff's alpha for nominal data from any number
// of coders: units[i] holds the values coders gave unit i (missing
// values left out). Units with fewer than two values are not pairable
// and are skipped. ok is false when it is not defined (fewer than two
// pairable values, or a single value throughout: expected disagreement 0).
//
// α = 1 − Do/De with the coincidence matrix o: each unit with m values
// adds 1/(m−1) to o[c][k] for every ordered pair of its values c, k;
// n_c = Σ_k o[c][k], n = Σ n_c; Do = Σ_{c≠k} o[c][k];
// De = Σ_{c≠k} n_c·n_k / (n − 1).
func NominalAlpha(units [][]int) (float64, bool) {
	o := map[[2]int]float64{}
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		w := 1 / float64(m-1)
		for i := range u {
			for j := range u {
				if i != j {
					o[[2]int{u[i], u[j]}] += w
				}
			}
		}
	}
	nc := map[int]float64{}
	var n, do float64
	for ck, v := range o {
		nc[ck[0]] += v
		n += v
		if ck[0] != ck[1] {
			do += v
		}
	}
	if n < 2 {
		return 0, false
	}
	var de float64
	for c, a := range nc {
		for k, b := range nc {
			if c != k {
				de += a * b
			}
		}
	}
	de /= n - 1
	if de == 0 {
		return 0, false
	}
	return 1 - do/de, true
}
