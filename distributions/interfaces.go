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
