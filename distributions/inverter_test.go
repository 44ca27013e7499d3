package distributions

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

// inverterCases are the distributions the Inverter is checked on: every
// type, with the shapes the copula and Latin hypercube paths meet.
func inverterCases(t testing.TB) []Dist {
	data := make([]float64, 1000)
	for i := range data {
		data[i] = math.Sin(float64(i)) * 10
	}
	ee, err := NewEmpirical(data)
	require.NoError(t, err)
	dd, err := NewDiscrete([]float64{1, 2, 3, 4}, []float64{1, 2, 3, 4})
	require.NoError(t, err)
	return []Dist{
		PERT{115, 125, 135}, PERT{0, 0, 1}, PERT{-10, 9, 10}, PERT{0.35, 0.41, 0.45},
		Beta{2, 5}, Beta{0.5, 0.5}, Beta{0.05, 3}, Beta{1e-3, 1e-3}, Beta{1e4, 1e4}, Beta{300, 2},
		Gamma{2, 0.5}, Gamma{0.3, 2}, Gamma{1e-3, 1}, Gamma{1e4, 1}, Gamma{50, 1},
		Truncated{Normal{0.2, 0.1}, 0, 1}, Truncated{Gamma{2, 0.5}, 1, math.Inf(1)},
		Truncated{PERT{0, 1, 5}, 1, 4}, Truncated{Normal{0, 1}, math.Inf(-1), -3},
		Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}},
		Mixture{Components: []Dist{PERT{1, 2, 4}, CI90(3, 6)}},
		Mixture{Components: []Dist{Uniform{0, 1}, Uniform{2, 3}}}, // a gap: a jump in the quantile
		Mixture{Components: []Dist{Normal{0, 1}, Constant{1}}},    // an atom
		CI90(115, 135), CI90(-0.1, 0.3), Normal{0.18, 0.06}, LogNormal{4.38, 0.25},
		Uniform{115, 135}, Triangular{115, 125, 135}, Constant{3}, Bernoulli{0.3},
		ee, Empirical{Data: data}, dd, Discrete{Values: dd.Values, Weights: dd.Weights},
	}
}

// inverterTol is the bound of the Inverter's doc for the value want of d.
func inverterTol(v *Inverter, want float64) float64 {
	return invRelTol * math.Max(math.Abs(want), v.floor)
}

// testUs are uniforms from the far tails to the middle.
func testUs() []float64 {
	us := []float64{1e-300, 1e-17, 5.551115123125783e-17, 1e-12, 1e-9, 1e-6, 1e-3, 0.5, 1 - 1e-3, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12, 1 - 0x1p-53}
	r := newRand(7)
	for range 3000 {
		us = append(us, r.Float64())
	}
	for range 500 {
		us = append(us, math.Exp(-40*r.Float64()), 1-math.Exp(-36*r.Float64()))
	}
	slices.Sort(us)
	return us
}

func TestInverterQuantile(t *testing.T) {
	us := testUs()
	for _, d := range inverterCases(t) {
		v := NewInverter(d)
		prev := math.Inf(-1)
		bad := 0
		for _, u := range us {
			got, want := v.Quantile(u), d.Quantile(u)
			if !(math.Abs(got-want) <= inverterTol(v, want)) && !(got == want) {
				if bad++; bad <= 3 {
					assert.Failf(t, "inverter", "%v: Quantile(%v) = %v, want %v (rel %.2g)", d, u, got, want, rel(got, want))
				}
			}
			if got < prev-inverterTol(v, prev) {
				assert.Failf(t, "inverter", "%v: Quantile not monotone at %v: %v < %v", d, u, got, prev)
			}
			prev = got
		}
		for _, u := range []float64{0, 1, -0.1, 1.1, math.NaN()} {
			got, want := v.Quantile(u), d.Quantile(u)
			assert.True(t, got == want || math.IsNaN(got) && math.IsNaN(want), "%v: Quantile(%v) = %v, want %v", d, u, got, want)
		}
	}
}

// exactAtNormal returns the quantile of d at Φ(z) as the Inverter's doc
// defines it: d.Quantile(Φ(z)), but from the complementary functions above
// z = 0 for the types whose upper tails Φ(z) would round away.
func exactAtNormal(d Dist, z float64) float64 {
	if c, ok := d.(Interval90); ok {
		d = c.Dist()
	}
	switch d := d.(type) {
	case Normal:
		return d.Mu + d.Sigma*z
	case LogNormal:
		return math.Exp(d.Mu + d.Sigma*z)
	case Beta:
		if z >= 0 {
			return 1 - mathext.InvRegIncBeta(d.Beta, d.Alpha, stdNormCDF(-z))
		}
	case PERT:
		if z >= 0 {
			a, b := d.shapes()
			return d.Max - (d.Max-d.Min)*mathext.InvRegIncBeta(b, a, stdNormCDF(-z))
		}
	case Gamma:
		if z >= 0 {
			return mathext.GammaIncRegCompInv(d.Shape, stdNormCDF(-z)) / d.Rate
		}
	}
	return d.Quantile(stdNormCDF(z))
}

func TestInverterFromNormal(t *testing.T) {
	r := newRand(8)
	zs := []float64{-8.5, -8.3, -7, -5, -1e-300, 0, 1e-300, 3, 5, 7, 8.29, 8.3, 8.49, 8.5, 9}
	for range 3000 {
		zs = append(zs, 17*r.Float64()-8.5)
	}
	slices.Sort(zs)
	for _, d := range inverterCases(t) {
		v := NewInverter(d)
		prev := math.Inf(-1)
		bad := 0
		for _, z := range zs {
			got, want := v.FromNormal(z), exactAtNormal(d, z)
			if !(math.Abs(got-want) <= inverterTol(v, want)) && !(got == want) {
				if bad++; bad <= 3 {
					assert.Failf(t, "inverter", "%v: FromNormal(%v) = %v, want %v (rel %.2g)", d, z, got, want, rel(got, want))
				}
			}
			if got < prev-inverterTol(v, prev) {
				assert.Failf(t, "inverter", "%v: FromNormal not monotone at %v: %v < %v", d, z, got, prev)
			}
			prev = got
		}
		assert.True(t, math.IsNaN(v.FromNormal(math.NaN())), "%v: FromNormal(NaN)", d)
	}
}

// TestInverterTable checks which types are tabulated and that the table is
// used almost everywhere on the smooth ones.
func TestInverterTable(t *testing.T) {
	for _, d := range []Dist{PERT{115, 125, 135}, Beta{2, 5}, Gamma{2, 0.5}, Truncated{Normal{0.2, 0.1}, 0, 1},
		Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}}} {
		v := NewInverter(d)
		require.False(t, v.Exact(), "%v", d)
		exact := 0
		for _, p := range v.pieces {
			if p.exact {
				exact++
			}
		}
		t.Logf("%v: %d pieces, %d exact", d, len(v.pieces), exact)
	}
	for _, d := range []Dist{Normal{0, 1}, CI90(1, 2), Uniform{0, 1}, Empirical{Data: []float64{1, 2}}, Normal{0, -1}} {
		assert.True(t, NewInverter(d).Exact(), "%v", d)
	}
	v := NewInverter(nil)
	assert.True(t, math.IsNaN(v.Quantile(0.5)) && math.IsNaN(v.FromNormal(0)))
	v = NewInverter(Gamma{1e-320, 1})
	assert.True(t, math.IsNaN(v.Quantile(0.5)) && math.IsNaN(v.FromNormal(0)))
}

func TestInverterNoAlloc(t *testing.T) {
	for _, d := range inverterCases(t) {
		v := NewInverter(d)
		allocs := testing.AllocsPerRun(20, func() {
			for _, u := range []float64{1e-12, 0.3, 0.5, 0.999} {
				Sink += v.Quantile(u)
			}
			for _, z := range []float64{-8, -1, 0, 2, 8.3, 9} {
				Sink += v.FromNormal(z)
			}
		})
		assert.Zerof(t, allocs, "%v allocates", d)
	}
}

// TestInverterExtreme builds Inverters for every 8th valid extreme
// distribution (building all of them takes half a minute) and checks that
// they return finite, monotone values.
func TestInverterExtreme(t *testing.T) {
	us := []float64{1e-300, 1e-17, 1e-12, 0.01, 0.5, 0.99, 1 - 1e-12, 1 - 0x1p-53}
	valid := 0
	for _, d := range extremeDists() {
		if d.Validate() != nil {
			continue
		}
		if valid++; valid%8 != 0 {
			continue
		}
		v := NewInverter(d)
		prev := math.Inf(-1)
		for _, u := range us {
			x := v.Quantile(u)
			if !isFinite(x) || x < prev {
				assert.Failf(t, "inverter", "%v: Quantile(%v) = %v after %v", d, u, x, prev)
				break
			}
			prev = x
		}
		prev = math.Inf(-1)
		for z := -8.5; z <= 8.5; z += 0.25 {
			x := v.FromNormal(z)
			if !(x >= prev) || math.IsNaN(x) {
				assert.Failf(t, "inverter", "%v: FromNormal(%v) = %v after %v", d, z, x, prev)
				break
			}
			prev = x
		}
	}
}

func BenchmarkInverter(b *testing.B) {
	for _, d := range inverterCases(b) {
		v := NewInverter(d)
		name := d.String()
		if len(name) > 40 {
			name = name[:40]
		}
		b.Run(name+"/FromNormal", func(b *testing.B) {
			z := -3.0
			var s float64
			for b.Loop() {
				s += v.FromNormal(z)
				if z += 0.0061; z > 3 {
					z = -3
				}
			}
			Sink = s
		})
		// Random normal scores, as a sampler feeds them: the sweep above
		// walks neighbouring pieces, which the cache and the branch
		// predictor favour.
		b.Run(name+"/FromNormalRandom", func(b *testing.B) {
			zs := make([]float64, 4096)
			r := rand.New(rand.NewPCG(5, 6))
			for i := range zs {
				zs[i] = r.NormFloat64()
			}
			var s float64
			i := 0
			for b.Loop() {
				s += v.FromNormal(zs[i&(len(zs)-1)])
				i++
			}
			Sink = s
		})
		b.Run(name+"/Quantile", func(b *testing.B) {
			u := 0.0
			var s float64
			for b.Loop() {
				if u += 0.000611; u >= 1 {
					u -= 1
				}
				s += v.Quantile(u)
			}
			Sink = s
		})
		b.Run(name+"/DistQuantilePhi", func(b *testing.B) {
			z := -3.0
			var s float64
			for b.Loop() {
				s += d.Quantile(stdNormCDF(z))
				if z += 0.0061; z > 3 {
					z = -3
				}
			}
			Sink = s
		})
		b.Run(name+"/Build", func(b *testing.B) {
			for b.Loop() {
				NewInverter(d)
			}
		})
	}
}

// rel is (got−want)/want.
func rel(got, want float64) float64 { return (got - want) / want }

// TestInverterNormal: Normal reports the closed form for Normal, LogNormal
// and a valid Interval90 (literal or from CI90), whose Quantile it then
// reproduces bit for bit at uniforms across (0, 1) including the tails,
// and for no other type.
func TestInverterNormal(t *testing.T) {
	closed := map[string]bool{"Normal": true, "LogNormal": true, "Interval90": true}
	us := []float64{1e-300, 1e-20, 1e-9, 0.01, 0.0749, 0.075, 0.3, 0.5, 0.7, 0.925, 0.9251, 0.99, 1 - 1e-9, 1 - 0x1p-53}
	for _, d := range append(inverterCases(t), Interval90{Lo: 115, Hi: 135}, Interval90{Lo: -2, Hi: 3}) {
		v := NewInverter(d)
		mu, sigma, isLog, ok := v.Normal()
		name := reflect.TypeOf(d).Name()
		require.Equal(t, closed[name], ok, "%v", d)
		if !ok {
			continue
		}
		for _, u := range us {
			x := mu + sigma*mathext.NormalQuantile(u)
			if isLog {
				x = math.Exp(x)
			}
			assert.Equal(t, math.Float64bits(d.Quantile(u)), math.Float64bits(x), "%v at %g", d, u)
			assert.Equal(t, math.Float64bits(v.Quantile(u)), math.Float64bits(x), "%v at %g", d, u)
		}
	}
	for _, d := range []Dist{Normal{0, -1}, CI90(2, 1), nil} {
		_, _, _, ok := NewInverter(d).Normal()
		assert.False(t, ok, "%v", d)
	}
}
