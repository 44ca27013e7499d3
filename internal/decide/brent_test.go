package decide

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestBrentSmooth(t *testing.T) {
	tests := []struct {
		name         string
		f            func(float64) float64
		lo, hi, want float64
		target       float64
	}{
		{"x³ = 2", func(x float64) float64 { return x * x * x }, 0, 3, math.Cbrt(2), 2},
		{"cos x − x = 0", func(x float64) float64 { return math.Cos(x) - x }, 0, 1, 0.7390851332151607, 0},
		{"decreasing: exp(−x) = 0.1", func(x float64) float64 { return math.Exp(-x) }, -5, 10, math.Log(10), 0.1},
		{"root at lo", func(x float64) float64 { return x }, 0, 1, 0, 0},
		{"root at hi", func(x float64) float64 { return x - 1 }, 0, 1, 1, 0},
		// A discontinuous f: a sign change, not a root.
		{"step at 0.3", func(x float64) float64 { return math.Copysign(1, x-0.3) }, -1, 2, 0.3, 0},
	}
	for _, tt := range tests {
		for _, xtol := range []float64{0, 1e-6} {
			calls := 0
			f := func(x float64) (float64, error) { calls++; return tt.f(x), nil }
			x, err := Brent(context.Background(), f, tt.lo, tt.hi, tt.target, xtol, 0)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			// The documented bound: xtol + 4ε|x|.
			if bound := xtol + 4*0x1p-52*math.Abs(tt.want); !(math.Abs(x-tt.want) <= bound) {
				t.Errorf("%s, xtol %v: x = %v, want %v within %v", tt.name, xtol, x, tt.want, bound)
			}
			if calls > DefaultBrentIterations+2 {
				t.Errorf("%s: %d evaluations, want at most %d", tt.name, calls, DefaultBrentIterations+2)
			}
			t.Logf("%s, xtol %v: %d evaluations", tt.name, xtol, calls)
		}
	}
}

// TestBrentSeekQuantile is the goal seek of the issue: the shift c with
// P(c + x < 0) = 0.1 for x ~ N(0, 1) is −Φ⁻¹(0.1) = 1.2815516, here with the
// probability measured on a fixed sample, a monotone step function of c.
func TestBrentSeekQuantile(t *testing.T) {
	const (
		n     = 100000
		p     = 0.1
		truth = 1.2815515655446004 // −Φ⁻¹(0.1)
		// φ(Φ⁻¹(0.1)) = 0.17549833193248685; the sample quantile's standard
		// error is √(p(1−p)/n)/φ(Φ⁻¹(p)).
		se = 0.0054060 // √(0.09/1e5)/0.1754983
	)
	x := normals(12, n)
	measure := func(c float64) float64 {
		k := 0
		for _, v := range x {
			if c+v < 0 {
				k++
			}
		}
		return float64(k) / n
	}
	const xtol = 1e-9
	c, err := Brent(context.Background(), func(c float64) (float64, error) { return measure(c), nil }, -5, 5, p, xtol, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkWithin(t, "c", c, se, truth, 4)
	// The answer is where the measure crosses the target on this sample.
	if lo, hi := measure(c-xtol), measure(c+xtol); !(lo >= p && hi <= p) {
		t.Errorf("measure(c ∓ xtol) = %v, %v: want the target %v between them", lo, hi, p)
	}
	// Against the sample's own quantile: the crossing lies between the
	// (np)th and (np+1)th smallest −x.
	s := slices.Clone(x)
	slices.Sort(s)
	if k := int(n * p); !(c >= -s[k]-xtol && c <= -s[k-1]+xtol) {
		t.Errorf("c = %v: want within [%v, %v], where the sample measure is %v", c, -s[k], -s[k-1], p)
	}
}

func TestBrentErrors(t *testing.T) {
	id := func(x float64) (float64, error) { return x, nil }
	tests := []struct {
		name         string
		f            func(float64) (float64, error)
		lo, hi       float64
		target, xtol float64
		maxIter      int
		want         string
		is           error
	}{
		{"nil f", nil, 0, 1, 0, 0, 0, "f is nil", nil},
		{"lo = hi", id, 1, 1, 0, 0, 0, "lo = 1, hi = 1: want finite lo < hi", nil},
		{"lo > hi", id, 2, 1, 0, 0, 0, "lo = 2, hi = 1", nil},
		{"NaN lo", id, math.NaN(), 1, 0, 0, 0, "lo = NaN", nil},
		{"infinite hi", id, 0, math.Inf(1), 0, 0, 0, "hi = +Inf", nil},
		{"NaN target", id, 0, 1, math.NaN(), 0, 0, "target = NaN", nil},
		{"negative xtol", id, 0, 1, 0.5, -1, 0, "xtol = -1", nil},
		{"NaN xtol", id, 0, 1, 0.5, math.NaN(), 0, "xtol = NaN", nil},
		{"negative maxIter", id, 0, 1, 0.5, 0, -1, "maxIter = -1", nil},
		{"not bracketed above", id, 0, 1, -2, 0, 0, "f(lo = 0) = 0 and f(hi = 1) = 1 are both above target -2", ErrNotBracketed},
		{"not bracketed below", id, 0, 1, 3, 0, 0, "f(lo = 0) = 0 and f(hi = 1) = 1 are both below target 3", ErrNotBracketed},
		{"NaN from f", func(x float64) (float64, error) {
			if x > 0.5 {
				return math.NaN(), nil
			}
			return x, nil
		}, 0, 1, 0.25, 0, 0, "f(1) = NaN", nil},
		{"error from f", func(x float64) (float64, error) {
			if x != 0 && x != 1 {
				return 0, errors.New("model failed")
			}
			return x, nil
		}, 0, 1, 0.25, 0, 0, "decide: Brent: f(0.25): model failed", nil},
		{"too few iterations", func(x float64) (float64, error) { return math.Cos(x) - x, nil }, 0, 1, 0, 0, 1, "1 evaluations left the root of f − 0 in [", ErrNoConvergence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Brent(context.Background(), tt.f, tt.lo, tt.hi, tt.target, tt.xtol, tt.maxIter)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want one wrapping %v", err, tt.is)
			}
		})
	}
}

func TestBrentCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	f := func(x float64) (float64, error) {
		calls++
		if calls == 3 {
			cancel()
		}
		return math.Cos(x) - x, nil
	}
	_, err := Brent(ctx, f, 0, 1, 0, 0, 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls != 3 {
		t.Errorf("%d evaluations, want 3: none after the cancellation", calls)
	}
	if _, err := Brent(ctx, f, 0, 1, 0, 0, 0); !errors.Is(err, context.Canceled) || calls != 3 {
		t.Errorf("cancelled before the start: err = %v after %d evaluations, want context.Canceled after none", err, calls-3)
	}
}
