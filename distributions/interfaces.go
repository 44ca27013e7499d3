package distributions

import "math/rand/v2"

// Sampler draws random variates.
//
// Sample returns one draw using r as the only source of randomness. It must
// not allocate, must not retain r, and panics if r is nil (a programmer
// error). Sample on a value whose Validate method returns an error returns
// NaN.
type Sampler interface {
	Sample(r *rand.Rand) float64
}

// Quantiler computes the inverse of a cumulative distribution function.
//
// Quantile returns the smallest x such that CDF(x) ≥ p, for p in [0, 1].
// Quantile(0) and Quantile(1) are the lower and upper ends of the support
// (±Inf for unbounded supports). For p outside [0, 1] or NaN, and for invalid
// parameters, Quantile returns NaN.
type Quantiler interface {
	Quantile(p float64) float64
}

// CDFer computes a cumulative distribution function.
//
// CDF returns P(X ≤ x), a non-decreasing value in [0, 1]; NaN for a NaN x or
// invalid parameters.
type CDFer interface {
	CDF(x float64) float64
}

// Dist is a univariate probability distribution with its parameters.
//
// Every type of this package implements Dist with value receivers; values are
// immutable and safe for concurrent use by any number of goroutines, each
// with its own *rand.Rand.
//
// Mean returns the expected value (NaN for invalid parameters). Validate
// returns nil when the parameters describe a distribution and otherwise a
// *ParamError that wraps ErrInvalidParameter. String returns the text that
// Parse reads back into an equal distribution.
type Dist interface {
	Sampler
	Quantiler
	CDFer
	Mean() float64
	Validate() error
	String() string
}

// Filler is implemented by distributions that can draw many values in one
// call (Constant, Uniform, Triangular, Normal, LogNormal and Interval90,
// each in its own file, whose draw is a closed form: validity is checked
// once per call and the loop body is the one Sample uses), which the forecast engine uses to fill a block's column of draws
// without a dynamic call per draw.
//
// Fill sets dst[i*stride] for i in [0, n) to the values that n successive
// calls of Sample(r) would return, in the same order and drawing the same
// variates from r: switching between Fill and Sample never changes a
// stream. It panics if r is nil or dst is too short (programmer errors). On
// a value whose Validate returns an error it writes NaN and draws nothing,
// as Sample does.
type Filler interface {
	Fill(r *rand.Rand, dst []float64, n, stride int)
}

// fillNaN writes NaN into the n strided slots of dst.
func fillNaN(dst []float64, n, stride int) {
	for i := 0; i < n; i++ {
		dst[i*stride] = nan
	}
}

// checkFill panics unless r is usable and dst holds n strided slots.
func checkFill(r *rand.Rand, dst []float64, n, stride int) {
	checkRand(r)
	if n > 0 && (stride < 1 || (n-1)*stride >= len(dst)) {
		panic("distributions: Fill: dst too short for n values at this stride")
	}
}
