package processes

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// nPaths is the number of simulated paths of the moment tests: the
// tolerance is 5 standard errors of the sample statistic at this N, so a
// correct process fails with probability below 1e-5 per check and a fixed
// seed makes the outcome deterministic.
const nPaths = 100_000

const years = 5

// simulate draws nPaths paths of the given length from independent standard
// normal scores (fixed seed) and returns them year by year: out[t][i] is
// the value in year t+1 of path i.
func simulate(p Process, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	out := make([][]float64, years)
	for t := range out {
		out[t] = make([]float64, nPaths)
	}
	z, dst := make([]float64, years), make([]float64, years)
	for i := range nPaths {
		for t := range z {
			z[t] = r.NormFloat64()
		}
		p.Path(z, dst)
		for t, v := range dst {
			out[t][i] = v
		}
	}
	return out
}

// moments returns the sample mean, variance and fourth central moment.
func moments(x []float64) (mean, variance, m4 float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := (v - mean) * (v - mean)
		variance += d
		m4 += d * d
	}
	n := float64(len(x))
	return mean, variance / (n - 1), m4 / n
}

// checkMoments compares the sample mean and variance of each simulated year
// with p.Mean(t) and p.Variance(t). The standard error of the mean is
// √(Var/N); that of the sample variance is √((m4 − s⁴)/N), with m4 the
// sample fourth central moment (the delta method; exact for large N).
func checkMoments(t *testing.T, p Process) {
	t.Helper()
	paths := simulate(p, 7)
	for y := 1; y <= years; y++ {
		mean, v, m4 := moments(paths[y-1])
		wantMean, wantVar := p.Mean(float64(y)), p.Variance(float64(y))
		seMean := math.Sqrt(wantVar / nPaths)
		seVar := math.Sqrt((m4 - v*v) / nPaths)
		if d := math.Abs(mean - wantMean); !(d <= 5*seMean) {
			t.Errorf("%v year %d: mean %.6g, want %.6g (|diff| %.3g > 5 SE = %.3g)", p, y, mean, wantMean, d, 5*seMean)
		}
		if d := math.Abs(v - wantVar); !(d <= 5*seVar) {
			t.Errorf("%v year %d: variance %.6g, want %.6g (|diff| %.3g > 5 SE = %.3g)", p, y, v, wantVar, d, 5*seVar)
		}
		// The quantiles: the fraction of paths at or below Quantile(y, q)
		// is q within 5 binomial standard errors.
		if qp, ok := p.(Quantiler); ok {
			for _, q := range []float64{0.05, 0.5, 0.95} {
				x := qp.Quantile(float64(y), q)
				below := 0
				for _, v := range paths[y-1] {
					if v <= x {
						below++
					}
				}
				got, se := float64(below)/nPaths, math.Sqrt(q*(1-q)/nPaths)
				if math.Abs(got-q) > 5*se {
					t.Errorf("%v year %d: P(X ≤ Quantile(%v)) = %.4f, want %v ± %.4f", p, y, q, got, q, 5*se)
				}
			}
		}
	}
}

func TestMoments(t *testing.T) {
	for _, p := range []Process{
		GBM{Start: 100, Drift: 0.05, Volatility: 0.2},
		GBM{Start: 60, Drift: 0.18, Volatility: 0.35},
		GBM{Start: 1, Drift: -0.1, Volatility: 0.05},
		OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15},
		OU{Start: 120, LongRunMean: 75, Reversion: 2, Volatility: 10},
		OU{Start: 0.2, LongRunMean: 0.1, Reversion: 0.05, Volatility: 0.04},
		OU{Start: 80, LongRunMean: 75, Reversion: 0, Volatility: 15}, // Brownian motion
	} {
		t.Run(p.String(), func(t *testing.T) { checkMoments(t, p) })
	}
}

// TestPathKnownAnswer checks one step-by-step path against the transition
// formulas of the package doc, computed independently here.
func TestPathKnownAnswer(t *testing.T) {
	z := []float64{0.5, -1, 2, 0}
	dst := make([]float64, len(z))

	g := GBM{Start: 100, Drift: 0.05, Volatility: 0.2}
	g.Path(z, dst)
	s := g.Start
	for i, zi := range z {
		s *= math.Exp(g.Drift - g.Volatility*g.Volatility/2 + g.Volatility*zi)
		if math.Abs(dst[i]-s) > 1e-12*s {
			t.Errorf("GBM year %d: %v, want %v", i+1, dst[i], s)
		}
	}

	o := OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}
	o.Path(z, dst)
	x := o.Start
	for i, zi := range z {
		x = o.LongRunMean + (x-o.LongRunMean)*math.Exp(-0.5) + 15*math.Sqrt((1-math.Exp(-1))/1)*zi
		if math.Abs(dst[i]-x) > 1e-12*math.Abs(x) {
			t.Errorf("OU year %d: %v, want %v", i+1, dst[i], x)
		}
	}

	// Reversion = 0: Brownian motion, Start + Volatility·Σz.
	bm := OU{Start: 80, LongRunMean: 1e6, Reversion: 0, Volatility: 15}
	bm.Path(z, dst)
	x = bm.Start
	for i, zi := range z {
		x += 15 * zi
		if dst[i] != x {
			t.Errorf("Brownian year %d: %v, want %v", i+1, dst[i], x)
		}
	}
}

// TestReversionLimit checks that a tiny Reversion is continuous with the
// exact Brownian limit (relative difference O(k), here 1e-12).
func TestReversionLimit(t *testing.T) {
	z := []float64{0.3, -1.2, 0.7}
	a, b := make([]float64, 3), make([]float64, 3)
	OU{Start: 80, LongRunMean: 75, Reversion: 0, Volatility: 15}.Path(z, a)
	OU{Start: 80, LongRunMean: 75, Reversion: 1e-12, Volatility: 15}.Path(z, b)
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			t.Errorf("year %d: k=0 gives %v, k=1e-12 gives %v", i+1, a[i], b[i])
		}
	}
	o0 := OU{Start: 80, LongRunMean: 75, Reversion: 0, Volatility: 15}
	o1 := OU{Start: 80, LongRunMean: 75, Reversion: 1e-12, Volatility: 15}
	for _, y := range []float64{0.5, 1, 5} {
		if v0, v1 := o0.Variance(y), o1.Variance(y); math.Abs(v0-v1) > 1e-9*v0 {
			t.Errorf("Variance(%v): k=0 %v, k=1e-12 %v", y, v0, v1)
		}
	}
}

func TestClosedForms(t *testing.T) {
	g := GBM{Start: 100, Drift: 0.05, Volatility: 0.2}
	o := OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}
	inf := math.Inf(1)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"GBM mean t=0", g.Mean(0), 100},
		{"GBM variance t=0", g.Variance(0), 0},
		{"GBM mean t=2", g.Mean(2), 100 * math.Exp(0.1)},
		{"GBM variance t=2", g.Variance(2), 1e4 * math.Exp(0.2) * (math.Exp(0.08) - 1)},
		{"GBM median t=2", g.Quantile(2, 0.5), 100 * math.Exp((0.05-0.02)*2)},
		{"GBM quantile p=0", g.Quantile(2, 0), 0},
		{"GBM quantile p=1", g.Quantile(2, 1), inf},
		{"GBM σ=0 quantile", GBM{Start: 100, Drift: 0.05}.Quantile(2, 0), 100 * math.Exp(0.1)},
		{"OU mean t=0", o.Mean(0), 80},
		{"OU mean t=3", o.Mean(3), 75 + 5*math.Exp(-1.5)},
		{"OU variance t=3", o.Variance(3), 225 * (1 - math.Exp(-3)) / 1},
		{"OU variance t=Inf", o.Variance(inf), 225},
		{"OU mean t=Inf", o.Mean(inf), 75},
		{"OU quantile Φ(1)", o.Quantile(3, 0.8413447460685429), 75 + 5*math.Exp(-1.5) + 15*math.Sqrt(1-math.Exp(-3))},
		{"OU quantile p=0", o.Quantile(3, 0), -inf},
		{"OU σ=0 quantile", OU{Start: 80, LongRunMean: 75, Reversion: 0.5}.Quantile(3, 1), 75 + 5*math.Exp(-1.5)},
		{"BM variance t=Inf σ=0", OU{Start: 1}.Variance(inf), 0},
	} {
		if !(math.Abs(c.got-c.want) <= 1e-12*math.Abs(c.want)) && c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	for _, c := range []struct {
		name string
		got  float64
	}{
		{"GBM mean t<0", g.Mean(-1)},
		{"GBM variance NaN t", g.Variance(math.NaN())},
		{"GBM quantile p>1", g.Quantile(1, 1.5)},
		{"OU quantile NaN p", o.Quantile(1, math.NaN())},
		{"OU mean invalid", OU{Start: 1, Reversion: -1}.Mean(1)},
		{"GBM variance invalid", GBM{Start: 0}.Variance(1)},
	} {
		if !math.IsNaN(c.got) {
			t.Errorf("%s = %v, want NaN", c.name, c.got)
		}
	}
}

func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		p     Process
		param string // "" for a valid process
		msg   string
	}{
		{GBM{Start: 100, Drift: 0.05, Volatility: 0.2}, "", ""},
		{GBM{Start: 100, Drift: -0.5, Volatility: 0}, "", ""},
		{GBM{Start: 0, Drift: 0.05, Volatility: 0.2}, "start", "gbm: start 0 must be > 0"},
		{GBM{Start: -1, Drift: 0.05, Volatility: 0.2}, "start", "gbm: start -1 must be > 0"},
		{GBM{Start: nan, Drift: 0.05, Volatility: 0.2}, "start", "gbm: start NaN must be > 0"},
		{GBM{Start: inf, Drift: 0.05, Volatility: 0.2}, "start", "gbm: start +Inf must be finite"},
		{GBM{Start: 1, Drift: nan, Volatility: 0.2}, "drift", "gbm: drift NaN must be finite"},
		{GBM{Start: 1, Drift: -inf, Volatility: 0.2}, "drift", "gbm: drift -Inf must be finite"},
		{GBM{Start: 1, Drift: 0, Volatility: -0.2}, "volatility", "gbm: volatility -0.2 must be ≥ 0"},
		{GBM{Start: 1, Drift: 0, Volatility: nan}, "volatility", "gbm: volatility NaN must be ≥ 0"},
		{GBM{Start: 1, Drift: 0, Volatility: inf}, "volatility", "gbm: volatility +Inf must be finite"},
		{OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}, "", ""},
		{OU{Start: -80, LongRunMean: -75, Reversion: 0, Volatility: 0}, "", ""},
		{OU{Start: nan, LongRunMean: 75, Reversion: 0.5, Volatility: 15}, "start", "ou: start NaN must be finite"},
		{OU{Start: 80, LongRunMean: inf, Reversion: 0.5, Volatility: 15}, "mean", "ou: mean +Inf must be finite"},
		{OU{Start: 80, LongRunMean: 75, Reversion: -0.5, Volatility: 15}, "reversion", "ou: reversion -0.5 must be ≥ 0"},
		{OU{Start: 80, LongRunMean: 75, Reversion: inf, Volatility: 15}, "reversion", "ou: reversion +Inf must be finite"},
		{OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: -15}, "volatility", "ou: volatility -15 must be ≥ 0"},
		{OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: nan}, "volatility", "ou: volatility NaN must be ≥ 0"},
	} {
		err := c.p.Validate()
		if c.param == "" {
			if err != nil {
				t.Errorf("%v: Validate() = %v, want nil", c.p, err)
			}
			continue
		}
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != c.param || !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%#v: Validate() = %v, want a *ParamError for %s wrapping ErrInvalidParameter", c.p, err, c.param)
			continue
		}
		if err.Error() != c.msg {
			t.Errorf("%#v: Validate() = %q, want %q", c.p, err, c.msg)
		}
		// An invalid process writes NaN and never panics.
		dst := []float64{1, 2}
		c.p.Path([]float64{0, 0}, dst)
		if !math.IsNaN(dst[0]) || !math.IsNaN(dst[1]) {
			t.Errorf("%#v: Path wrote %v, want NaN", c.p, dst)
		}
	}
}

func TestPathPanicsOnLengthMismatch(t *testing.T) {
	for _, p := range []Process{GBM{Start: 1}, OU{}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%v: Path with len(dst) != len(z) did not panic", p)
				}
			}()
			p.Path(make([]float64, 3), make([]float64, 2))
		}()
	}
}

func TestPathNoAlloc(t *testing.T) {
	z, dst := []float64{0.1, -0.3, 1.2, 0, 0.5}, make([]float64, 5)
	for _, p := range []Process{
		GBM{Start: 100, Drift: 0.05, Volatility: 0.2},
		OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15},
	} {
		if a := testing.AllocsPerRun(100, func() { p.Path(z, dst) }); a != 0 {
			t.Errorf("%v: Path allocates %v times per call, want 0", p, a)
		}
	}
}

// Sink keeps benchmark results alive.
var Sink float64

func BenchmarkPath(b *testing.B) {
	z, dst := make([]float64, 10), make([]float64, 10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range z {
		z[i] = r.NormFloat64()
	}
	for _, p := range []Process{
		GBM{Start: 100, Drift: 0.05, Volatility: 0.2},
		OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15},
	} {
		b.Run(p.String()[:2], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Path(z, dst)
			}
			Sink = dst[9]
		})
	}
}
