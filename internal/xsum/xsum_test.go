package xsum

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// datasets are adversarial for floating-point moments: a large offset with
// small noise, magnitudes from 1e-300 to 1e300 of both signs, subnormals,
// squares beyond float64, exact cancellation.
var datasets = []struct {
	name string
	gen  func(r *rand.Rand, n int) []float64
}{
	{"1e9 + N(0,1)", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return 1e9 + r.NormFloat64() })
	}},
	{"1e15 + U(0,1)", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return 1e15 + r.Float64() })
	}},
	{"±10^U(-300,300)", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return math.Pow(10, 600*r.Float64()-300) * float64(1-2*r.IntN(2)) })
	}},
	{"subnormals", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return math.Float64frombits(r.Uint64N(1<<52)) * float64(1-2*r.IntN(2)) })
	}},
	{"±1e200..1e308 (squares overflow)", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return math.Pow(10, 200+108*r.Float64()) * float64(1-2*r.IntN(2)) })
	}},
	{"equal 1.3e154 (square overflows, variance 0)", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return 1.3e154 })
	}},
	{"x, −x and 1e-300", func(r *rand.Rand, n int) []float64 {
		vs := make([]float64, 0, n)
		for len(vs)+3 <= n {
			x := math.Pow(10, 600*r.Float64()-300)
			vs = append(vs, x, 1e-300, -x)
		}
		r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
		return vs
	}},
	{"max float64", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return math.MaxFloat64 * float64(1-2*r.IntN(2)) })
	}},
	{"integers", func(r *rand.Rand, n int) []float64 {
		return fill(n, func() float64 { return float64(r.IntN(1000) - 500) })
	}},
}

func fill(n int, f func() float64) []float64 {
	vs := make([]float64, n)
	for i := range vs {
		vs[i] = f()
	}
	return vs
}

// reference returns Σx, the mean and the sample variance of vs rounded to
// float64 from math/big at a precision that makes them exact before the
// final rounding (the variance by its definition, two passes).
func reference(vs []float64) (sum, mean, variance float64) {
	const prec = 8192 // > 2·(1074+1024) + 64 bits: every sum and square exact
	s := new(big.Float).SetPrec(prec)
	for _, v := range vs {
		s.Add(s, big.NewFloat(v))
	}
	sum, _ = s.Float64()
	n := new(big.Float).SetPrec(prec).SetInt64(int64(len(vs)))
	// The exact mean as a rational, then the variance by its definition.
	ms := new(big.Rat)
	ms.SetFrac(mustInt(s), mustInt(n))
	mean, _ = ms.Float64()
	// Scale by n to stay in integers: Σ(n·x − Σx)² / (n²(n−1)).
	q := new(big.Float).SetPrec(prec)
	d := new(big.Float).SetPrec(prec)
	for _, v := range vs {
		d.Mul(n, big.NewFloat(v))
		d.Sub(d, s)
		q.Add(q, new(big.Float).SetPrec(prec).Mul(d, d))
	}
	den := new(big.Float).SetPrec(prec).Mul(n, n)
	den.Mul(den, new(big.Float).SetPrec(prec).SetInt64(int64(len(vs)-1)))
	vr := new(big.Rat)
	vr.SetFrac(mustInt(q), mustInt(den))
	variance, _ = vr.Float64()
	return sum, mean, variance
}

// mustInt returns x·2^2148, which must be an integer (every sum here is a
// multiple of 2^-2148); used in ratios, where the scale cancels.
func mustInt(x *big.Float) *big.Int {
	z, acc := new(big.Float).SetPrec(x.Prec()+4300).SetMantExp(x, 2148).Int(nil)
	if acc != big.Exact {
		panic("reference: not an integer after scaling")
	}
	return z
}

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestAgainstBig(t *testing.T) {
	for i, ds := range datasets {
		t.Run(ds.name, func(t *testing.T) {
			vs := ds.gen(rand.New(rand.NewPCG(uint64(i), 1)), 3000)
			var m Moments
			m.AddBlock(vs)
			sum, mean, variance := reference(vs)
			if got := m.Sum(); !same(got, sum) {
				t.Errorf("Sum = %g, want %g", got, sum)
			}
			if got := m.Mean(); !same(got, mean) {
				t.Errorf("Mean = %g, want %g", got, mean)
			}
			if got := m.Variance(); !same(got, variance) {
				t.Errorf("Variance = %g, want %g", got, variance)
			}
			if got, want := m.StdDev(), math.Sqrt(variance); !same(got, want) {
				t.Errorf("StdDev = %g, want %g", got, want)
			}
			if m.Min() != slices.Min(vs) || m.Max() != slices.Max(vs) || m.Count() != uint64(len(vs)) {
				t.Errorf("Min, Max, Count = %g, %g, %d", m.Min(), m.Max(), m.Count())
			}
		})
	}
}

// TestNoCancellation pins the variance of a large offset plus small noise,
// where a naive Σx²/n − mean² loses every digit, to its exact value.
func TestNoCancellation(t *testing.T) {
	var m Moments
	for _, d := range []float64{-1, 0, 1} { // variance exactly 1
		m.Add(1e15 + d)
	}
	if v := m.Variance(); v != 1 {
		t.Errorf("Variance of 1e15 + {−1, 0, 1} = %g, want 1", v)
	}
	if mean := m.Mean(); mean != 1e15 {
		t.Errorf("Mean = %g, want 1e15", mean)
	}
	m.Reset()
	m.AddBlock([]float64{1e300, 1e300}) // squares far beyond float64
	if v := m.Variance(); v != 0 {
		t.Errorf("Variance of {1e300, 1e300} = %g, want 0", v)
	}
	m.Add(-1e300)
	if v := m.Variance(); !math.IsInf(v, 1) {
		t.Errorf("Variance of {1e300, 1e300, −1e300} = %g, want +Inf (true value 1.33e600)", v)
	}
}

func TestEdgeCases(t *testing.T) {
	var m Moments
	if !math.IsNaN(m.Mean()) || !math.IsNaN(m.Variance()) || !math.IsNaN(m.Min()) || m.Sum() != 0 {
		t.Fatal("empty: want NaN Mean, Variance, Min and zero Sum")
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		m.Add(v)
	}
	if m.Invalid() != 3 || m.Count() != 0 {
		t.Fatalf("Invalid, Count = %d, %d; want 3, 0", m.Invalid(), m.Count())
	}
	m.Add(math.Copysign(0, -1))
	if m.Mean() != 0 || !math.IsNaN(m.Variance()) || math.Signbit(m.Min()) || math.Signbit(m.Max()) {
		t.Fatalf("one −0: Mean %g Variance %g Min %g Max %g", m.Mean(), m.Variance(), m.Min(), m.Max())
	}
	// ±0 in either order give the same bits.
	var a, b Moments
	a.AddBlock([]float64{0, math.Copysign(0, -1)})
	b.AddBlock([]float64{math.Copysign(0, -1), 0})
	ea, _ := a.MarshalBinary()
	eb, _ := b.MarshalBinary()
	if !bytes.Equal(ea, eb) {
		t.Error("±0 in different orders encode differently")
	}
}

func encode(t testing.TB, m *Moments) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAssociative merges random splits of the values in random trees and
// checks the bits of the encoding and of every statistic.
func TestAssociative(t *testing.T) {
	for i, ds := range datasets {
		t.Run(ds.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(i), 2))
			vs := ds.gen(r, 5000)
			vs = append(vs, math.NaN(), 0, math.Copysign(0, -1))
			var whole Moments
			whole.AddBlock(vs)
			want := encode(t, &whole)
			for trial := range 4 {
				r.Shuffle(len(vs), func(a, b int) { vs[a], vs[b] = vs[b], vs[a] })
				var parts []*Moments
				for rest := vs; len(rest) > 0; {
					k := min(len(rest), 1+r.IntN(700))
					p := new(Moments)
					if trial%2 == 0 {
						p.AddBlock(rest[:k])
					} else {
						for _, v := range rest[:k] {
							p.Add(v)
						}
					}
					parts = append(parts, p)
					rest = rest[k:]
				}
				for len(parts) > 1 {
					a := r.IntN(len(parts))
					b := r.IntN(len(parts) - 1)
					if b >= a {
						b++
					}
					parts[a].Merge(parts[b])
					parts = slices.Delete(parts, b, b+1)
				}
				got := parts[0]
				if !bytes.Equal(encode(t, got), want) {
					t.Fatalf("trial %d: merge tree encodes differently", trial)
				}
				if !same(got.Mean(), whole.Mean()) || !same(got.Variance(), whole.Variance()) || got.Min() != whole.Min() || got.Max() != whole.Max() || got.Invalid() != 1 {
					t.Fatalf("trial %d: statistics differ after merges", trial)
				}
			}
		})
	}
}

// TestManyPartials merges a million one-value partials, in random groups and
// order, into the bits of a single accumulator.
func TestManyPartials(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 20_000
	}
	r := rand.New(rand.NewPCG(4, 4))
	var whole Moments
	groups := make([]Moments, 64)
	var one Moments
	for range n {
		x := 1e6 + 3e5*r.NormFloat64()
		whole.Add(x)
		one.Reset()
		one.Add(x)
		groups[r.IntN(len(groups))].Merge(&one)
	}
	r.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
	for i := 1; i < len(groups); i++ {
		groups[0].Merge(&groups[i])
	}
	if !bytes.Equal(encode(t, &groups[0]), encode(t, &whole)) {
		t.Fatal("a million merged partials differ from one accumulator")
	}
	if groups[0].Variance() != whole.Variance() {
		t.Fatal("variances differ")
	}
}

func TestAddAllocs(t *testing.T) {
	var m Moments
	xs := []float64{1, 2.5, -3e10, 4e-300}
	if a := testing.AllocsPerRun(1000, func() { m.Add(7.25) }); a != 0 {
		t.Errorf("Add allocates %g times per call", a)
	}
	if a := testing.AllocsPerRun(1000, func() { m.AddBlock(xs) }); a != 0 {
		t.Errorf("AddBlock allocates %g times per call", a)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	for i, ds := range datasets {
		var m Moments
		m.AddBlock(ds.gen(rand.New(rand.NewPCG(uint64(i), 3)), 200))
		m.Add(math.Inf(1))
		data := encode(t, &m)
		var u Moments
		if err := u.UnmarshalBinary(data); err != nil {
			t.Fatalf("%s: %v", ds.name, err)
		}
		if !bytes.Equal(encode(t, &u), data) || !same(u.Variance(), m.Variance()) || u.Invalid() != 1 {
			t.Fatalf("%s: round trip changed the accumulator", ds.name)
		}
		u.Add(1)
		u.Merge(&m)
		if u.Count() != 2*m.Count()+1 {
			t.Fatalf("%s: decoded accumulator: Count %d after add and merge", ds.name, u.Count())
		}
	}
	var empty, u Moments
	if err := u.UnmarshalBinary(encode(t, &empty)); err != nil || u.Count() != 0 {
		t.Fatalf("empty: %v", err)
	}
	u.Add(-2)
	if u.Min() != -2 || u.Max() != -2 {
		t.Fatal("decoded empty accumulator: Min/Max wrong after Add")
	}
}

func TestUnmarshalRejects(t *testing.T) {
	var good Moments
	good.AddBlock([]float64{1, 2, 3})
	data := encode(t, &good)
	f64 := func(v float64) []byte {
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte(math.Float64bits(v) >> (8 * i))
		}
		return b
	}
	withExtremes := func(lo, hi float64) []byte {
		b := append([]byte{}, data[:3]...)
		b = append(b, f64(lo)...)
		b = append(b, f64(hi)...)
		return append(b, data[19:]...)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"version", append([]byte{9}, data[1:]...)},
		{"truncated", data[:len(data)-1]},
		{"trailing", append(slices.Clone(data), 0)},
		{"min above mean", withExtremes(2.5, 3)},
		{"max below mean", withExtremes(1, 1.5)},
		{"min > max", withExtremes(3, 1)},
		{"NaN max", withExtremes(1, math.NaN())},
		{"−0 min", withExtremes(math.Copysign(0, -1), 3)},
		{"sums without values", []byte{1, 0, 0, 1, 40, 0, 1, 0}},
		{"digits beyond the words", []byte{1, 0, 0, 2, 67, 0, 1, 1, 0}},
		{"digit ≥ 2^32", []byte{1, 0, 0, 1, 3, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0}},
		{"zero end digit", []byte{1, 0, 0, 2, 3, 0, 1, 0, 0}},
		{"sign byte 2", []byte{1, 0, 0, 1, 3, 2, 1, 0}},
		{"negative sum of squares", []byte{1, 0, 0, 0, 1, 3, 1, 1}},
		{"non-minimal varint", []byte{1, 0x80, 0x00, 0, 0, 0}},
		{"overlong varint", []byte{1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
	}
	for _, tc := range tests {
		var m Moments
		m.Add(42)
		if err := m.UnmarshalBinary(tc.data); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", tc.name, err)
		}
		if m.Count() != 1 || m.Max() != 42 {
			t.Errorf("%s: a failed decode changed the accumulator", tc.name)
		}
	}
	// Sums that no n values in [Min, Max] have: Σx² below (Σx)²/n
	// (Cauchy–Schwarz), or above n·max(Min², Max²).
	var c Moments
	c.AddBlock([]float64{1, 3}) // Σx = 4, Σx² = 10
	var small, big Moments
	small.AddBlock([]float64{1, 1}) // Σx² = 2 < 16/2
	big.AddBlock([]float64{4, 4})   // Σx² = 32 > 2·9
	for _, m := range []*Moments{&c, &small, &big} {
		m.carry() // fold the windows into the digits swapped below
	}
	for name, o := range map[string]*Moments{"Σx² = 2": &small, "Σx² = 32": &big} {
		d := c
		d.s2 = o.s2
		if err := new(Moments).UnmarshalBinary(encode(t, &d)); !errors.Is(err, ErrFormat) {
			t.Errorf("Σx = 4, n = 2, extremes [1, 3], %s: err = %v, want ErrFormat", name, err)
		}
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	for i, ds := range datasets {
		var m Moments
		m.AddBlock(ds.gen(rand.New(rand.NewPCG(uint64(i), 5)), 20))
		f.Add(encode(f, &m))
	}
	var empty Moments
	f.Add(encode(f, &empty))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Moments
		if err := m.UnmarshalBinary(data); err != nil {
			return
		}
		if again := encode(t, &m); !bytes.Equal(again, data) {
			t.Fatalf("accepted %x, re-encodes as %x", data, again)
		}
		if m.Count() > 0 {
			if mean := m.Mean(); !(m.Min() <= mean && mean <= m.Max()) {
				t.Fatalf("mean %g outside [%g, %g]", mean, m.Min(), m.Max())
			}
			if m.Count() > 1 && !(m.Variance() >= 0) {
				t.Fatalf("variance %g", m.Variance())
			}
		}
		m.Add(1)
		m.Merge(&m)
	})
}
