// Package normq computes the standard normal quantile Φ⁻¹(u) by table,
// within 4e-15 relative of gonum's mathext.NormalQuantile and about twice
// as fast on random uniforms.
//
// Why by hand: Latin hypercube and quasi-Monte Carlo sampling turn every
// uniform of a normal, log-normal or copula input into a normal score, and
// there Φ⁻¹ was a third of the cost of a trial. mathext.NormalQuantile is
// Wichura's AS241: a rational function of degree 7/7 (and a division) for
// |u − ½| ≤ 0.425, and for the other 15 % of uniforms a logarithm, a square
// root and another rational function, behind a branch that random
// uniforms take unpredictably. Quantile instead reads a polynomial from a
// table indexed by the bits of q = min(u, 1 − u): one cell for each
// sixteenth of each binade of q in [2⁻⁷, ½), 96 cells of degree 9, 7.7 KB.
// A cell tabulates h(q) = Φ⁻¹(q)/(q − ½), smooth and far from zero on
// (0, ½], so that Φ⁻¹(u) = h(q)·(u − ½) keeps its relative accuracy near
// u = ½ and the two halves share the table. Uniforms outside [2⁻⁷, 1 − 2⁻⁷]
// (1.6 % of them), ½ itself, 0, 1, NaN and invalid values are passed to
// mathext.NormalQuantile.
//
// Accuracy: the tables interpolate mathext.NormalQuantile itself at
// Chebyshev nodes when the package is loaded; a cell of a sixteenth of a
// binade is at least 32 half-widths from the singularity at q = 0, where
// degree 9 leaves an interpolation error near 1e-17; what remains is the
// rounding of mathext.NormalQuantile at the nodes and of the evaluation.
// TestQuantileError checks |Quantile(u) − mathext.NormalQuantile(u)| ≤
// 4e-15·|Φ⁻¹(u)| (about 18 units in the last place; the largest measured
// is 2.7e-15) on a dense grid of (0, 1), at every cell boundary and at
// random uniforms, and bit-identity outside the table.
// Monotonicity holds to the same bound, not exactly.
package normq

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

const (
	deg     = 9                   // polynomial degree of a cell
	sub     = 16                  // cells per binade of q
	subBits = 4                   // log2(sub)
	minExp  = -7                  // the table covers q in [2^minExp, 1/2)
	cells   = (-1 - minExp) * sub // binades 2^-7 … 2^-2
	// first is bits>>(52−subBits) of 2^minExp: the biased exponent and the
	// top subBits bits of the mantissa of the table's first cell.
	first = (1023 + minExp) << subBits
	// fracBits are the mantissa bits below a cell's index.
	fracBits = 52 - subBits
)

// table[c] holds cell c's coefficients of h in t ∈ [−1, 1), constant term
// first.
var table = build()

// Quantile returns Φ⁻¹(u) within 4e-15·|Φ⁻¹(u)| of
// mathext.NormalQuantile(u) (exactly that value outside [2⁻⁷, 1 − 2⁻⁷]):
// −Inf at 0, +Inf at 1, NaN for NaN; like mathext.NormalQuantile it panics
// for u outside [0, 1]. No allocation.
func Quantile(u float64) float64 {
	q := u
	if u > 0.5 {
		q = 1 - u // exact for u in [½, 1]
	}
	b := math.Float64bits(q)
	c := b>>fracBits - first // wraps for q below the table, negative or NaN
	if c >= cells {
		return mathext.NormalQuantile(u)
	}
	t := float64(b&(1<<fracBits-1))*(1.0/(1<<(fracBits-1))) - 1
	p := &table[c]
	y := p[9]
	y = y*t + p[8]
	y = y*t + p[7]
	y = y*t + p[6]
	y = y*t + p[5]
	y = y*t + p[4]
	y = y*t + p[3]
	y = y*t + p[2]
	y = y*t + p[1]
	y = y*t + p[0]
	return y * (u - 0.5)
}

// Quantiles replaces every u[i] by Quantile(u[i]). No allocation.
func Quantiles(u []float64) {
	for i, x := range u {
		u[i] = Quantile(x)
	}
}

// build interpolates h(q) = mathext.NormalQuantile(q)/(q − ½) at the
// Chebyshev nodes of each cell and converts the interpolants to monomials
// in t (their coefficients fall off by about 1/30 a degree, so the
// conversion loses nothing measurable).
func build() *[cells][deg + 1]float64 {
	const n = deg + 1
	var tab [cells][deg + 1]float64
	for c := range tab {
		e := minExp + c/sub
		k := c % sub
		scale := math.Ldexp(1, e)
		var ys [n]float64
		for j := range ys {
			t := math.Cos(math.Pi * (float64(j) + 0.5) / n)
			q := scale * (1 + (float64(k)+0.5)/sub + t/(2*sub))
			ys[j] = mathext.NormalQuantile(q) / (q - 0.5)
		}
		// Chebyshev coefficients a_k of the interpolant.
		var a [n]float64
		for k := range a {
			var s float64
			for j, y := range ys {
				s += y * math.Cos(math.Pi*float64(k)*(float64(j)+0.5)/n)
			}
			a[k] = 2 * s / n
		}
		a[0] /= 2
		// Σ a_k T_k(t) as monomials (T_{k+1} = 2t·T_k − T_{k−1}).
		var prev, cur [n]float64
		prev[0], cur[1] = 1, 1
		p := &tab[c]
		for i := range p {
			p[i] = a[0]*prev[i] + a[1]*cur[i]
		}
		for k := 2; k < n; k++ {
			var next [n]float64
			for i := 0; i < n-1; i++ {
				next[i+1] = 2 * cur[i]
			}
			for i := range next {
				next[i] -= prev[i]
				p[i] += a[k] * next[i]
			}
			prev, cur = cur, next
		}
	}
	return &tab
}
