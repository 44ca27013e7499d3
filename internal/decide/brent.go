package decide

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// ErrNotBracketed is wrapped by the error [Brent] returns when f − target
// has the same sign at both ends of the interval.
var ErrNotBracketed = errors.New("target not bracketed")

// ErrNoConvergence is wrapped by the error [Brent] returns when the
// iteration limit is reached before the bracket shrinks to xtol.
var ErrNoConvergence = errors.New("no convergence")

// DefaultBrentIterations is the iteration limit [Brent] uses when maxIter
// is 0, the limit of Numerical Recipes' zbrent. Bisection needs
// ⌈log2((hi−lo)/xtol)⌉ evaluations (about 50 from 1e3 to 1e-12), and
// Brent–Dekker falls back to bisection whenever interpolation stops
// shrinking the bracket fast enough; a step function over [−1, 2] takes 56
// evaluations at xtol = 0, smooth functions 7–12.
const DefaultBrentIterations = 100

// Brent finds x in [lo, hi] with f(x) = target by the bracketing root finder
// of Brent and Dekker (inverse quadratic interpolation and secant steps,
// falling back to bisection whenever they would not shrink the bracket fast
// enough), as in Brent, Algorithms for Minimization without Derivatives
// (1973), ch. 4, and Numerical Recipes' zbrent. gonum's optimize package
// has minimisers and line searches but no bracketing root finder, which is
// why this one is written here; its guarantee holds for any f, continuous
// or not.
//
// f(lo) − target and f(hi) − target must have opposite signs (or one be
// zero); otherwise Brent returns an error wrapping [ErrNotBracketed] that
// states f(lo) and f(hi). f need not be continuous: for a monotone step
// function, such as a probability measured on a fixed sample, Brent returns
// a point where f equals target or within the tolerance of the step across
// target.
//
// The returned x satisfies f(x) = target exactly or lies within
// xtol + 4ε|x| of a sign change of f − target (ε the float64 machine
// epsilon). xtol ≥ 0; zero asks for machine precision. maxIter ≥ 0 bounds
// the number of evaluations after the two at the ends; zero means
// [DefaultBrentIterations]. When it is reached, Brent returns the best x so
// far and an error wrapping [ErrNoConvergence].
//
// Brent checks ctx before every evaluation of f and returns ctx's error
// (wrapped) when it is done. An error from f is returned wrapped with the x
// it was evaluated at; a NaN from f is an error naming x. Cost: at most
// maxIter + 2 evaluations of f; Brent allocates only for errors.
func Brent(ctx context.Context, f func(x float64) (float64, error), lo, hi, target, xtol float64, maxIter int) (x float64, err error) {
	switch {
	case f == nil:
		return math.NaN(), errors.New("decide: Brent: f is nil: want a function")
	case !(math.Abs(lo) <= math.MaxFloat64) || !(math.Abs(hi) <= math.MaxFloat64) || !(lo < hi):
		return math.NaN(), fmt.Errorf("decide: Brent: lo = %v, hi = %v: want finite lo < hi", lo, hi)
	case !(math.Abs(target) <= math.MaxFloat64):
		return math.NaN(), fmt.Errorf("decide: Brent: target = %v: want a finite value", target)
	case !(xtol >= 0) || math.IsInf(xtol, 1):
		return math.NaN(), fmt.Errorf("decide: Brent: xtol = %v: want a finite tolerance ≥ 0", xtol)
	case maxIter < 0:
		return math.NaN(), fmt.Errorf("decide: Brent: maxIter = %d: want ≥ 0 (0 means %d)", maxIter, DefaultBrentIterations)
	}
	if maxIter == 0 {
		maxIter = DefaultBrentIterations
	}
	var last float64 // the last value of f, for the error message
	g := func(x float64) (float64, error) {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("decide: Brent: stopped before evaluating f(%v): %w", x, err)
		}
		y, err := f(x)
		if err != nil {
			return 0, fmt.Errorf("decide: Brent: f(%v): %w", x, err)
		}
		if math.IsNaN(y) {
			return 0, fmt.Errorf("decide: Brent: f(%v) = NaN: want a number", x)
		}
		last = y
		return y - target, nil
	}
	a, b := lo, hi
	fa, err := g(a)
	if err != nil {
		return math.NaN(), err
	}
	flo := last
	fb, err := g(b)
	if err != nil {
		return math.NaN(), err
	}
	if fa == 0 {
		return a, nil
	}
	if fb == 0 {
		return b, nil
	}
	if (fa > 0) == (fb > 0) {
		side := "below"
		if fa > 0 {
			side = "above"
		}
		return math.NaN(), fmt.Errorf("decide: Brent: f(lo = %v) = %v and f(hi = %v) = %v are both %s target %v: %w",
			lo, flo, hi, last, side, target, ErrNotBracketed)
	}
	// b is the best estimate, c the other end of the bracket [b, c],
	// a the previous b; d the last step and e the one before.
	c, fc := b, fb
	d := b - a
	e := d
	const eps = 0x1p-52
	for iter := 0; ; iter++ {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol := 2*eps*math.Abs(b) + xtol/2
		xm := (c - b) / 2
		if math.Abs(xm) <= tol || fb == 0 {
			return b, nil
		}
		if iter == maxIter {
			return b, fmt.Errorf("decide: Brent: %d evaluations left the root of f − %v in [%v, %v], wider than xtol = %v: %w",
				maxIter, target, min(b, c), max(b, c), xtol, ErrNoConvergence)
		}
		if math.Abs(e) >= tol && math.Abs(fa) > math.Abs(fb) {
			// Try interpolation: secant if a == c, else inverse quadratic.
			var p, q float64
			s := fb / fa
			if a == c {
				p = 2 * xm * s
				q = 1 - s
			} else {
				q = fa / fc
				r := fb / fc
				p = s * (2*xm*q*(q-r) - (b-a)*(r-1))
				q = (q - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			}
			p = math.Abs(p)
			if 2*p < min(3*xm*q-math.Abs(tol*q), math.Abs(e*q)) {
				e, d = d, p/q // accept the interpolation
			} else {
				d = xm // bisect
				e = d
			}
		} else {
			d = xm // bisect
			e = d
		}
		a, fa = b, fb
		if math.Abs(d) > tol {
			b += d
		} else {
			b += math.Copysign(tol, xm)
		}
		if fb, err = g(b); err != nil {
			return math.NaN(), err
		}
	}
}
