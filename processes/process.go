package processes

import (
	"math"
	"strconv"
)

// Process is a stochastic process observed once a year, driven by standard
// normal scores.
//
// Validate returns nil when the parameters describe a process and otherwise
// a *ParamError that wraps ErrInvalidParameter. String returns the text
// that Parse reads back into an equal process.
//
// Path sets dst[i] to the value in year i+1 (one step of one year after
// year i; year 0 is the start) given the standard normal scores z[0..i],
// for i in [0, len(z)). It is deterministic in z, allocates nothing, costs
// O(len(z)), and writes NaN everywhere when Validate would fail. It panics
// if len(dst) != len(z) (a programmer error).
//
// Mean and Variance return E[X(t)] and Var[X(t)] for t ≥ 0 years in closed
// form (NaN for t < 0, NaN t or invalid parameters); at integer t they are
// the moments of dst[t−1] when z is a vector of independent standard
// normals.
type Process interface {
	Validate() error
	String() string
	Path(z, dst []float64)
	Mean(t float64) float64
	Variance(t float64) float64
}

// Quantiler is implemented by processes whose marginal distributions have
// a closed-form inverse CDF, for fan charts: Quantile(t, p) is the p
// quantile of X(t) for t ≥ 0 years and p in [0, 1], NaN otherwise. GBM and
// OU implement it.
type Quantiler interface {
	Quantile(t, p float64) float64
}

// checkPath panics unless dst and z have the same length.
func checkPath(z, dst []float64) {
	if len(z) != len(dst) {
		panic("processes: Path called with len(z) = " + strconv.Itoa(len(z)) +
			" != len(dst) = " + strconv.Itoa(len(dst)))
	}
}

// fillNaN sets every element of dst to NaN.
func fillNaN(dst []float64) {
	nan := math.NaN()
	for i := range dst {
		dst[i] = nan
	}
}

// namedString formats name(k0=v0, k1=v1, ...) with floats in strconv's
// shortest exact form, which Parse reads back exactly.
func namedString(name string, keys []string, vals ...float64) string {
	b := make([]byte, 0, 64)
	b = append(b, name...)
	b = append(b, '(')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, keys[i]...)
		b = append(b, '=')
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	return string(append(b, ')'))
}

// badTime reports whether t is negative or NaN (+Inf is allowed: the
// long-run limit).
func badTime(t float64) bool { return !(t >= 0) }

// badProb reports whether p is outside [0, 1] or NaN.
func badProb(p float64) bool { return !(p >= 0 && p <= 1) }
