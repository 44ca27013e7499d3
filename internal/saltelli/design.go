// Package saltelli estimates variance-based (Sobol') sensitivity indices
// with Saltelli's design and Jansen's estimators, in bounded memory.
//
// # Design
//
// For k input values and N base rows, row j of matrices A and B is drawn
// from a 2k-dimensional point set (A from its first k coordinates, B from
// the next k; independent uniforms or a scrambled Sobol' point, mapped
// through the inputs' quantile functions). For each factor F — one input
// value, or a group of them such as every year of a series — the row AB_F is
// the row of A with the columns of F taken from B. The model is evaluated on
// A, B and each AB_F: N·(m+2) evaluations for m factors (Saltelli et al.,
// "Variance based sensitivity analysis of model output", Comput. Phys.
// Commun. 181, 2010).
//
// # Estimators
//
// With V the variance of f over the 2N values f(A), f(B) (divisor 2N):
//
//	total   S_T,F = (1/2N) Σ_j (f(A)_j − f(AB_F)_j)² / V      (Jansen 1999)
//	first   S_F   = (V − (1/2N) Σ_j (f(B)_j − f(AB_F)_j)²) / V  (Saltelli 2010, Table 2 (f))
//
// A group's indices are those of the group as one factor (closed and total
// indices of the set), not sums of its members' indices.
//
// # Standard errors
//
// The standard errors are asymptotic, by the delta method: each estimator is
// a smooth function of row means, so its error is that of the mean of its
// influence function, whose variance is estimated from the rows
// (Var(IF)/N). They assume independent rows. Under quasi-Monte Carlo rows
// they are conservative (the true error is smaller); replicate scramblings
// give honest intervals there.
//
// # Memory and merging
//
// An Accumulator holds 16 float64 per factor and 10 in all, whatever N:
// the engine keeps one per block and output and merges them in block order.
// Every sum is compensated (Neumaier), so the merged estimate agrees with a
// single pass to rounding, and a fixed block split and merge order give
// bit-identical results for any number of workers.
package saltelli

import "fmt"

// Design names the factors of a Saltelli design over K input values.
type Design struct {
	K       int     // number of input values (columns of A and B), K ≥ 1
	Factors [][]int // each factor a non-empty set of distinct columns in [0, K)
}

// Singles returns the k factors {0}, {1}, …, {k-1}: one per input value.
func Singles(k int) [][]int {
	f := make([][]int, k)
	for i := range f {
		f[i] = []int{i}
	}
	return f
}

// Validate reports whether d is a usable design: K ≥ 1, at least one
// factor, and every factor a non-empty set of distinct columns in [0, K).
// Factors may overlap (a value alone and in its group).
func (d Design) Validate() error {
	if !(d.K >= 1) {
		return fmt.Errorf("saltelli: Design.K = %d, want ≥ 1", d.K)
	}
	if len(d.Factors) == 0 {
		return fmt.Errorf("saltelli: Design.Factors is empty, want at least one factor")
	}
	seen := make(map[int]bool)
	for i, f := range d.Factors {
		if len(f) == 0 {
			return fmt.Errorf("saltelli: Design.Factors[%d] is empty, want at least one column", i)
		}
		clear(seen)
		for _, c := range f {
			if c < 0 || c >= d.K {
				return fmt.Errorf("saltelli: Design.Factors[%d] has column %d, want 0 ≤ column < K = %d", i, c, d.K)
			}
			if seen[c] {
				return fmt.Errorf("saltelli: Design.Factors[%d] repeats column %d", i, c)
			}
			seen[c] = true
		}
	}
	return nil
}

// Evaluations returns the number of model evaluations for n base rows:
// n·(len(Factors)+2).
func (d Design) Evaluations(n int) int { return n * (len(d.Factors) + 2) }

// Mix writes row AB_F of factor f to dst: the row a with the columns of
// d.Factors[f] taken from b. a, b and dst have length d.K; dst may be a.
// It panics on a length mismatch. Cost O(K); no allocation.
func (d Design) Mix(a, b []float64, f int, dst []float64) {
	if len(a) != d.K || len(b) != d.K || len(dst) != d.K {
		panic(fmt.Sprintf("saltelli: Mix of rows of lengths %d, %d into %d, want K = %d", len(a), len(b), len(dst), d.K))
	}
	copy(dst, a)
	for _, c := range d.Factors[f] {
		dst[c] = b[c]
	}
}
