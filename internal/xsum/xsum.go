// Package xsum accumulates the count, exact sum, exact sum of squares,
// minimum and maximum of float64 values, so that the moments derived from
// them are the same bits whatever the order and grouping of the additions
// and merges.
//
// # Method
//
// A finite float64 is an integer multiple of 2^-1074: x = ±m·2^(e−1075) with
// m < 2^53. Moments keeps Σx as a fixed-point integer in units of 2^-1074,
// and Σx² — whose terms are m²·2^(2e−2150), multiples of 2^-2148 — as a
// fixed-point integer in units of 2^-2148, each m² computed exactly as a
// 106-bit product (bits.Mul64). No term is ever rounded, so both sums are
// exact for every finite input, from the subnormals to math.MaxFloat64
// (whose square, 2^2048, is far beyond float64 but not beyond the
// accumulator), and integer addition makes them associative and
// commutative.
//
// The integers are arrays of 32-bit digits held in int64 words, after
// Neal's "small superaccumulator" (R. M. Neal, Fast exact summation using
// small and large superaccumulators, arXiv:1505.05571, 2015), with carries
// propagated once every 1023 additions, before any word can overflow. Σx
// takes 68 words (2^-1074 up to 2^1102, room for 2^64 terms of
// MaxFloat64), Σx² 134 (2^-2148 up to 2^2140).
//
// In front of them sits a window of 64 binades, after Neal's "large
// superaccumulator": one word per exponent, to which an addition adds its
// signed significand (Σx) and, in two words, its 106-bit square (Σx²),
// without any shift. The window is folded into the digits at each carry
// propagation and re-centred on the value at hand; a value outside it is
// added to the digits directly (about twice the cost). Both paths are exact,
// so where a value goes changes no result.
//
// # Rounding
//
// Mean, Variance and Sum round the exact rational value once, to the
// nearest float64 (ties to even), with math/big: Mean = round(Σx/n);
// Variance = round((n·Σx² − (Σx)²) / (n(n−1))), computed exactly from the
// integers, so there is no cancellation whatever the offset of the data
// (1e9 + noise) or the spread of its magnitudes. Variance is +Inf only when
// the true variance exceeds math.MaxFloat64.
package xsum

import (
	"math"
	"math/big"
	"math/bits"
)

const (
	digitBits = 32
	digitMask = 1<<digitBits - 1

	// sumWords holds Σx: the terms reach bit 2045+53 of 2^-1074, and 2^64
	// of them add 64 bits: ⌈(2098+64)/32⌉ = 68.
	sumWords = 68
	// sqWords holds Σx²: the terms reach bit 4090+106 of 2^-2148, and 2^64
	// of them add 64 bits: ⌈(4196+64)/32⌉ = 134.
	sqWords = 134

	// carryEvery is the number of additions between carry propagations: a
	// window word gains less than 2^53 an addition (2^63 after 1024); a
	// digit, normalised below 2^32, gains less than 2^32 an addition or a
	// folded window word.
	carryEvery = 1023

	// windowSize is the number of binades of the window.
	windowSize = 64

	// sumExp and sqExp are the exponents of the units of s1 and s2.
	sumExp = -1074
	sqExp  = 2 * sumExp
)

// Moments accumulates values exactly (see the package doc). The zero value
// is empty and ready to use. A Moments is about 3.3 KB; it is not safe for
// concurrent use: give each goroutine its own and Merge them.
type Moments struct {
	n, invalid uint64
	min, max   float64 // valid when n > 0
	left       int     // additions before the next carry propagation
	s1         [sumWords]int64
	s2         [sqWords]int64

	// The window: the values of biased exponent e0+k (subnormals as 1) add
	// ±significand to w1[k] and significand² to wh[k]·2^64 + wl[k]. used
	// has bit k set when slot k may be non-zero.
	e0     int
	used   uint64
	w1     [windowSize]int64
	wl, wh [windowSize]uint64
}

// Add adds x. NaN and ±Inf are refused: they are counted by Invalid and
// change nothing else. Cost: about 4 ns, no allocation; AddBlock is faster
// per value.
func (m *Moments) Add(x float64) {
	m.AddBlock([]float64{x})
}

// AddBlock adds every value of xs, as Add would one by one, with the
// count, the extremes and the carry countdown kept in registers: the way to
// feed a column of values. Cost: about 2–3 ns per value, no allocation:
// less than a two-pass float64 summary (sum, then squared deviations) of
// the same values, a third of a Welford update (BenchmarkAdd).
func (m *Moments) AddBlock(xs []float64) {
	n, lo, hi, left, used, e0 := m.n, m.min, m.max, m.left, m.used, m.e0
	for _, x := range xs {
		b := math.Float64bits(x)
		e := int(b>>52) & 0x7ff
		if e == 0x7ff {
			m.invalid++
			continue
		}
		mant := b & (1<<52 - 1)
		if e != 0 {
			mant |= 1 << 52
		} else {
			e = 1 // subnormal: same unit as the smallest normal binade
		}
		if left <= 0 {
			m.n, m.min, m.max, m.used = n, lo, hi, used
			m.carry()
			m.e0 = min(max(e-windowSize/2, 1), 2047-windowSize)
			n, lo, hi, left, used, e0 = m.n, m.min, m.max, m.left, m.used, m.e0
		}
		left--
		n++
		x += 0 // −0 → +0: Min and Max must not depend on the order of ±0
		if x < lo {
			lo = x
		}
		if x > hi {
			hi = x
		}
		neg := int64(b) >> 63 // 0 or −1
		sq1, sq0 := bits.Mul64(mant, mant)
		if k := uint(e - e0); k < windowSize {
			m.w1[k] += int64(mant) ^ neg - neg
			var c uint64
			m.wl[k], c = bits.Add64(m.wl[k], sq0, 0)
			m.wh[k] += sq1 + c
			used |= 1 << k
			continue
		}
		m.place(e, int64(mant)^neg-neg, sq1, sq0)
	}
	m.n, m.min, m.max, m.left, m.used = n, lo, hi, left, used
}

// place adds v·2^(e−1075) to Σx and (h·2^64 + l)·2^(2e−2150) to Σx², for a
// biased exponent 1 ≤ e ≤ 2046, |v| < 2^63 and h < 2^62: three digits of
// s1 and five of s2, each gaining less than 2^32.
func (m *Moments) place(e int, v int64, h, l uint64) {
	p := uint(e - 1) // units of 2^-1074
	neg := v >> 63
	mag := uint64(v ^ neg - neg)
	i, s := p/digitBits&63, p%digitBits // p ≤ 2045; the mask proves i+2 < sumWords
	m.s1[i] += int64(mag<<s&digitMask) ^ neg - neg
	m.s1[i+1] += int64(mag>>(digitBits-s)&digitMask) ^ neg - neg
	m.s1[i+2] += int64(mag>>(64-s)) ^ neg - neg

	q := 2 * p                           // units of 2^-2148
	j, t := q/digitBits&127, q%digitBits // q ≤ 4090; the mask proves j+4 < sqWords
	w0 := l << t
	w1 := h<<t | l>>(64-t)
	w2 := h >> (64 - t)
	m.s2[j] += int64(w0 & digitMask)
	m.s2[j+1] += int64(w0 >> digitBits)
	m.s2[j+2] += int64(w1 & digitMask)
	m.s2[j+3] += int64(w1 >> digitBits)
	m.s2[j+4] += int64(w2)
}

// fold adds o's window to m's digits (o may be m) and, when o is m, empties
// it.
func (m *Moments) fold(o *Moments) {
	for u := o.used; u != 0; u &= u - 1 {
		k := bits.TrailingZeros64(u)
		m.place(o.e0+k, o.w1[k], o.wh[k], o.wl[k])
		if o == m {
			m.w1[k], m.wl[k], m.wh[k] = 0, 0, 0
		}
	}
	if o == m {
		m.used = 0
	}
}

// carry propagates the carries of both sums, leaving every word but the
// top one in [0, 2^32), and resets the countdown. On an empty Moments it
// also initialises Min and Max.
func (m *Moments) carry() {
	if m.n == 0 {
		m.min, m.max = math.Inf(1), math.Inf(-1)
	}
	m.fold(m)
	normalize(m.s1[:])
	normalize(m.s2[:])
	m.left = carryEvery
}

func normalize(w []int64) {
	for i := range len(w) - 1 {
		c := w[i] >> digitBits // arithmetic: floor division by 2^32
		w[i] -= c << digitBits
		w[i+1] += c
	}
}

// Merge adds o's values to m (o is unchanged): the result is that of adding
// every value of both to one Moments, bit for bit, in any order and
// grouping. Cost: two passes over the 202 digits, plus o's window.
func (m *Moments) Merge(o *Moments) {
	m.invalid += o.invalid
	if o.n == 0 {
		return
	}
	m.carry() // m's digits < 2^32, o's < 2^43: the sums below fit
	for i, w := range o.s1 {
		m.s1[i] += w
	}
	for i, w := range o.s2 {
		m.s2[i] += w
	}
	m.fold(o)
	m.carry()
	if m.n == 0 {
		m.min, m.max = o.min, o.max
	}
	m.n += o.n
	m.min = min(m.min, o.min)
	m.max = max(m.max, o.max)
}

// Reset empties m.
func (m *Moments) Reset() { *m = Moments{} }

// Count returns the number of finite values added.
func (m *Moments) Count() uint64 { return m.n }

// Invalid returns the number of NaN and ±Inf values refused.
func (m *Moments) Invalid() uint64 { return m.invalid }

// Min returns the smallest value (+0 for a zero of either sign); NaN when
// there is none.
func (m *Moments) Min() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.min
}

// Max returns the largest value; NaN when there is none.
func (m *Moments) Max() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.max
}

// Sum returns Σx rounded once to the nearest float64 (±Inf if it overflows);
// 0 when empty. Cost: as Mean.
func (m *Moments) Sum() float64 {
	f, _ := new(big.Rat).SetFrac(m.sum1(), pow2(-sumExp)).Float64()
	return f
}

// Mean returns Σx/n rounded once to the nearest float64; NaN when empty.
// Cost: about 5–20 µs (math/big, a rational reduced by a gcd); callers that
// read it often should keep the result.
func (m *Moments) Mean() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	den := pow2(-sumExp)
	den.Mul(den, new(big.Int).SetUint64(m.n))
	f, _ := new(big.Rat).SetFrac(m.sum1(), den).Float64()
	return f
}

// Variance returns the sample variance (n − 1 denominator),
// (n·Σx² − (Σx)²) / (n·(n−1)), computed exactly and rounded once to the
// nearest float64; +Inf only when the true variance exceeds
// math.MaxFloat64; NaN with fewer than two values. Cost: about 5–40 µs
// (math/big on integers of up to 4,300 bits).
func (m *Moments) Variance() float64 {
	if m.n < 2 {
		return math.NaN()
	}
	n := new(big.Int).SetUint64(m.n)
	a := m.sum1()
	num := new(big.Int).Mul(n, m.sum2()) // n·Σx² in units of 2^-2148
	num.Sub(num, a.Mul(a, a))            // (Σx)² in the same units
	den := new(big.Int).SetUint64(m.n - 1)
	den.Mul(den, n)
	den.Lsh(den, -sqExp)
	f, _ := new(big.Rat).SetFrac(num, den).Float64()
	return f
}

// StdDev returns math.Sqrt(m.Variance()).
func (m *Moments) StdDev() float64 { return math.Sqrt(m.Variance()) }

// sum1 returns Σx in units of 2^-1074; sum2 Σx² in units of 2^-2148.
func (m *Moments) sum1() *big.Int { s1, _ := m.digits(); return toBig(s1[:]) }
func (m *Moments) sum2() *big.Int { _, s2 := m.digits(); return toBig(s2[:]) }

// digits returns copies of the digits of Σx and Σx² with the window folded
// in (not normalised).
func (m *Moments) digits() (s1 [sumWords]int64, s2 [sqWords]int64) {
	c := *m
	c.fold(&c)
	return c.s1, c.s2
}

// toBig returns the integer Σ w[i]·2^(32i), for words in any state (not
// necessarily normalised).
func toBig(w []int64) *big.Int {
	c := make([]int64, len(w))
	copy(c, w)
	normalize(c)
	// Normalised, c's digits are in [0, 2^32) but the top one, whose sign
	// is the sign of the integer.
	top := len(c) - 1
	neg := c[top] < 0
	if neg { // negate: every digit but the top one stays in [0, 2^32)
		for i := range c {
			c[i] = -c[i]
		}
		normalize(c)
	}
	words := make([]big.Word, 0, len(c)*digitBits/bits.UintSize+1)
	if bits.UintSize == 64 {
		for i := 0; i < len(c); i += 2 {
			v := uint64(c[i])
			if i+1 < len(c) {
				v |= uint64(c[i+1]) << digitBits
			}
			words = append(words, big.Word(v))
		}
	} else {
		for _, d := range c {
			words = append(words, big.Word(d))
		}
	}
	z := new(big.Int).SetBits(words)
	if neg {
		z.Neg(z)
	}
	return z
}

func pow2(k int) *big.Int { return new(big.Int).Lsh(big.NewInt(1), uint(k)) }
