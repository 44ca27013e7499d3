package distributions

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Mixture draws from Components[i] with probability Weights[i]/Σ Weights:
// e.g. a 70 % chance of one scenario and 30 % of another.
//
// Components must be non-empty, non-nil and valid. Weights must either be
// nil (equal weights) or have one entry per component, finite and ≥ 0
// with a positive finite sum (they need not sum to 1). Its String form is
// "mixture([c0, c1, ...], [w0, w1, ...])", or "mixture([c0, c1, ...])"
// with nil Weights.
type Mixture struct {
	Components []Dist    // the component distributions; non-empty, valid
	Weights    []float64 // relative weights, or nil for equal weights
}

var _ Dist = Mixture{}

// weight returns the weight of component i.
func (m Mixture) weight(i int) float64 {
	if m.Weights == nil {
		return 1
	}
	return m.Weights[i]
}

// totalWeight returns Σ Weights after checking the weights and every
// component (k Validate calls); NaN when m is invalid.
func (m Mixture) totalWeight() float64 {
	for _, c := range m.Components {
		if c == nil || c.Validate() != nil {
			return nan
		}
	}
	return weightTotal(len(m.Components), m.Weights)
}

// Sample chooses a component with one r.Float64() and returns its Sample;
// no allocation. It costs the k components' Validate calls (a few
// nanoseconds each for the parametric types) plus the chosen component's
// Sample.
func (m Mixture) Sample(r *rand.Rand) float64 {
	checkRand(r)
	u := r.Float64()
	total := m.totalWeight()
	if math.IsNaN(total) {
		return nan
	}
	t := u * total
	var s float64
	last := 0
	for i, c := range m.Components {
		w := m.weight(i)
		if w > 0 {
			last = i
		}
		s += w
		if t < s {
			return c.Sample(r)
		}
	}
	return m.Components[last].Sample(r)
}

// CDF returns Σ Weights[i]·Components[i].CDF(x) / Σ Weights; k component
// CDF and Validate evaluations.
func (m Mixture) CDF(x float64) float64 {
	total := m.totalWeight()
	if math.IsNaN(total) || math.IsNaN(x) {
		return nan
	}
	return m.cdf(x, total)
}

// cdf is CDF for a valid m of total weight total, without checking m again.
func (m Mixture) cdf(x, total float64) float64 {
	var s float64
	for i, c := range m.Components {
		if w := m.weight(i); w > 0 {
			s += w * c.CDF(x)
		}
	}
	return math.Max(0, math.Min(1, s/total))
}

// Quantile returns the smallest x with CDF(x) ≥ p, for p in [0, 1]; NaN
// otherwise. It bisects on the float64 bit patterns between the smallest
// and largest component quantiles at p (which bracket it), so it is exact
// to one ulp and costs at most 64 evaluations of CDF (64·k component CDFs)
// plus k component quantiles; m itself is checked once per call.
func (m Mixture) Quantile(p float64) float64 {
	total := m.totalWeight()
	if badProb(p) || math.IsNaN(total) {
		return nan
	}
	a, b := math.Inf(1), math.Inf(-1)
	for i, c := range m.Components {
		if m.weight(i) > 0 {
			q := c.Quantile(p)
			if math.IsNaN(q) {
				return nan
			}
			a, b = math.Min(a, q), math.Max(b, q)
		}
	}
	if p == 0 || p == 1 || a == b {
		if p == 1 {
			return b
		}
		return a
	}
	if m.cdf(a, total) >= p {
		return a
	}
	// Invariant: CDF(a) < p ≤ CDF(b).
	ka, kb := floatKey(a), floatKey(b)
	for ka < kb-1 { // not kb-ka > 1: keys of opposite signs overflow int64
		km := (ka & kb) + (ka^kb)>>1 // floor((ka+kb)/2) without overflow
		if m.cdf(keyFloat(km), total) >= p {
			kb = km
		} else {
			ka = km
		}
	}
	return keyFloat(kb)
}

// floatKey maps x to an integer key that increases with x (−0 and +0 map to
// 0), so that bisection over keys bisects over representable floats.
func floatKey(x float64) int64 {
	b := math.Float64bits(x)
	if b>>63 == 1 {
		return -int64(b &^ (1 << 63))
	}
	return int64(b)
}

// keyFloat inverts floatKey.
func keyFloat(k int64) float64 {
	if k < 0 {
		return -math.Float64frombits(uint64(-k))
	}
	return math.Float64frombits(uint64(k))
}

// Mean returns Σ Weights[i]·Components[i].Mean() / Σ Weights; k component
// means.
func (m Mixture) Mean() float64 {
	total := m.totalWeight()
	if math.IsNaN(total) {
		return nan
	}
	var s float64
	for i, c := range m.Components {
		if w := m.weight(i); w > 0 {
			s += w * c.Mean()
		}
	}
	if mean := s / total; isFinite(mean) {
		return mean
	}
	// The sum overflowed: add halves of the weighted component means.
	s = 0
	for i, c := range m.Components {
		if w := m.weight(i); w > 0 {
			s += c.Mean() / 2 * (w / total)
		}
	}
	return 2 * s
}

// Validate returns a *ParamError unless Components is non-empty with every
// component non-nil and valid and Weights is nil or valid (one per
// component, finite, ≥ 0, positive finite sum). An invalid component is
// reported with its parameter prefixed, e.g.
// "mixture: components[1].sigma -1 must be > 0".
func (m Mixture) Validate() error {
	if len(m.Components) == 0 {
		return paramErr("mixture", "len(components)", 0, "must be > 0")
	}
	for i, c := range m.Components {
		if c == nil {
			return paramErr("mixture", "components["+strconv.Itoa(i)+"]", nan, "must not be nil")
		}
		if err := c.Validate(); err != nil {
			return nestErr("mixture", "components["+strconv.Itoa(i)+"]", err)
		}
	}
	if m.Weights == nil {
		return nil
	}
	return checkWeights("mixture", "components", len(m.Components), m.Weights)
}

// String returns "mixture([c0, c1, ...], [w0, w1, ...])", without the
// weights list when Weights is nil.
func (m Mixture) String() string {
	var b strings.Builder
	b.WriteString("mixture([")
	for i, c := range m.Components {
		if i > 0 {
			b.WriteString(", ")
		}
		if c == nil {
			b.WriteString("<nil>")
		} else {
			b.WriteString(c.String())
		}
	}
	b.WriteByte(']')
	if m.Weights != nil {
		b.WriteString(", ")
		b.Write(appendFloats(nil, m.Weights))
	}
	b.WriteByte(')')
	return b.String()
}
