package distributions

import (
	"math"
	"math/rand/v2"
)

// The Fill methods below implement Filler for the distributions whose draw
// is a closed form of one or two variates: validity is checked once per
// call and the loop body is the one Sample uses, so the draws are
// bit-identical to Sample's (TestFillMatchesSample).

var (
	_ Filler = Constant{}
	_ Filler = Uniform{}
	_ Filler = Triangular{}
	_ Filler = Normal{}
	_ Filler = LogNormal{}
	_ Filler = Interval90{}
)

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

// Fill implements Filler; it draws nothing from r.
func (c Constant) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	v := c.Value
	if !isFinite(v) {
		v = nan
	}
	for i := 0; i < n; i++ {
		dst[i*stride] = v
	}
}

// Fill implements Filler: one r.Float64 per value.
func (u Uniform) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !u.ok() {
		fillNaN(dst, n, stride)
		return
	}
	lo, w := u.Min, u.Max-u.Min
	for i := 0; i < n; i++ {
		dst[i*stride] = lo + w*r.Float64()
	}
}

// Fill implements Filler: one r.Float64 per value, through the closed-form
// quantile.
func (t Triangular) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !t.ok() {
		fillNaN(dst, n, stride)
		return
	}
	for i := 0; i < n; i++ {
		dst[i*stride] = t.quantile(r.Float64())
	}
}

// Fill implements Filler: one r.NormFloat64 (ziggurat) per value.
func (d Normal) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !d.ok() {
		fillNaN(dst, n, stride)
		return
	}
	mu, sigma := d.Mu, d.Sigma
	for i := 0; i < n; i++ {
		dst[i*stride] = mu + sigma*r.NormFloat64()
	}
}

// Fill implements Filler: one r.NormFloat64 (ziggurat) per value.
func (l LogNormal) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !l.ok() {
		fillNaN(dst, n, stride)
		return
	}
	mu, sigma := l.Mu, l.Sigma
	for i := 0; i < n; i++ {
		dst[i*stride] = math.Exp(mu + sigma*r.NormFloat64())
	}
}

// Fill implements Filler, deriving the log-normal or normal parameters once
// per call instead of once per draw.
func (c Interval90) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	mu, sigma, isLog, ok := c.params()
	switch {
	case !ok:
		fillNaN(dst, n, stride)
	case isLog:
		for i := 0; i < n; i++ {
			dst[i*stride] = math.Exp(mu + sigma*r.NormFloat64())
		}
	default:
		for i := 0; i < n; i++ {
			dst[i*stride] = mu + sigma*r.NormFloat64()
		}
	}
}
