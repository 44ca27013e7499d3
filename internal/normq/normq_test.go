package normq

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// tol is the promised bound, relative to |Φ⁻¹(u)|: about 18 units in the
// last place. The measured largest difference is 2.7e-15; gonum's AS241
// evaluation itself differs from the exact quantile by a few units.
const tol = 4e-15

// testUniforms returns a dense grid of (0, 1), both tails down to the
// smallest subnormal and up to 1 − 2⁻⁵³, every cell boundary of the table
// and its neighbours, ½ and its neighbours, and random uniforms.
func testUniforms() []float64 {
	var us []float64
	for i := 1; i < 1<<18; i++ {
		us = append(us, float64(i)/(1<<18))
	}
	for e := -1074; e <= -1; e++ {
		x := math.Ldexp(1, e)
		us = append(us, x, 1-x, x*1.37, 1-x*1.37)
	}
	for c := 0; c <= cells; c++ {
		q := math.Ldexp(1+float64(c%sub)/sub, minExp+c/sub)
		for _, x := range []float64{q, math.Nextafter(q, 0), math.Nextafter(q, 1)} {
			us = append(us, x, 1-x)
		}
	}
	us = append(us, 0.5, math.Nextafter(0.5, 0), math.Nextafter(0.5, 1), 0.5+1e-12, 0.5-1e-12, 0x1p-53, 1-0x1p-53)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1<<18; i++ {
		us = append(us, r.Float64())
	}
	return us
}

// TestQuantileError: |Quantile(u) − mathext.NormalQuantile(u)| ≤ 4e-15·|Φ⁻¹(u)|
// over testUniforms, bit-identical outside the table, and the largest
// error is logged.
func TestQuantileError(t *testing.T) {
	worst, at := 0.0, 0.0
	for _, u := range testUniforms() {
		got, want := Quantile(u), mathext.NormalQuantile(u)
		q := math.Min(u, 1-u)
		if !(q >= 0x1p-7 && q < 0.5) {
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("Quantile(%v) = %v outside the table, want mathext's %v", u, got, want)
			}
			continue
		}
		rel := math.Abs(got-want) / math.Abs(want)
		if rel > worst {
			worst, at = rel, u
		}
		if !(rel <= tol) {
			t.Errorf("Quantile(%v) = %v, mathext.NormalQuantile %v: relative error %.3g > %g", u, got, want, rel, tol)
		}
	}
	t.Logf("largest relative error %.3g at u = %v", worst, at)
}

// TestQuantileSpecial: 0, 1 and NaN as mathext.NormalQuantile; a panic
// outside [0, 1]; the sign follows u − ½.
func TestQuantileSpecial(t *testing.T) {
	if x := Quantile(0); !math.IsInf(x, -1) {
		t.Errorf("Quantile(0) = %v", x)
	}
	if x := Quantile(1); !math.IsInf(x, 1) {
		t.Errorf("Quantile(1) = %v", x)
	}
	if x := Quantile(math.NaN()); !math.IsNaN(x) {
		t.Errorf("Quantile(NaN) = %v", x)
	}
	if x := Quantile(0.5); x != 0 {
		t.Errorf("Quantile(0.5) = %v", x)
	}
	for _, u := range []float64{0.3, 0.01, 0.5 - 0x1p-20} { // 1 − u exact
		if a, b := Quantile(u), Quantile(1-u); !(a < 0 && b > 0 && math.Abs(a+b) <= 2*tol*b) {
			t.Errorf("Quantile(%v) = %v, Quantile(1 − u) = %v", u, a, b)
		}
	}
	for _, u := range []float64{-0.1, 1.5, math.Inf(1), math.Inf(-1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Quantile(%v) did not panic", u)
				}
			}()
			Quantile(u)
		}()
	}
}

// TestQuantilesNoAlloc: Quantiles matches Quantile and allocates nothing.
func TestQuantilesNoAlloc(t *testing.T) {
	u := make([]float64, 1024)
	fill := func() {
		for i := range u {
			u[i] = (float64(i) + 0.5) / 1024
		}
	}
	fill()
	Quantiles(u)
	for i, x := range u {
		if want := Quantile((float64(i) + 0.5) / 1024); x != want {
			t.Fatalf("Quantiles at %d: %v, want %v", i, x, want)
		}
	}
	if a := testing.AllocsPerRun(100, func() { fill(); Quantiles(u) }); a != 0 {
		t.Errorf("%v allocations", a)
	}
}

// BenchmarkQuantiles compares Quantiles with a loop of
// mathext.NormalQuantile on 1024 random uniforms (ns/value); run both in
// one go: go test ./internal/normq -run XXX -bench . -count 6.
func BenchmarkQuantiles(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	src := make([]float64, 1024)
	for i := range src {
		src[i] = r.Float64()
	}
	u := make([]float64, len(src))
	b.Run("gonum", func(b *testing.B) {
		for b.Loop() {
			copy(u, src)
			for i, x := range u {
				u[i] = mathext.NormalQuantile(x)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(u)), "ns/value")
	})
	b.Run("normq", func(b *testing.B) {
		for b.Loop() {
			copy(u, src)
			Quantiles(u)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(u)), "ns/value")
	})
}
