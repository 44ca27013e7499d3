// Package disttest checks that a distribution behaves as package
// distributions promises, in the spirit of testing/slogtest: users who write
// their own distributions.Dist (a fitted model, a bootstrap, a vendor's
// curve) run the same conformance checks the package's own types pass.
//
//	func TestMyDist(t *testing.T) {
//		disttest.Run(t, MyDist{...}, disttest.Options{})
//	}
//
// The statistical checks use a fixed seed and tolerances derived from the
// sampling error, so a correct distribution passes deterministically and a
// wrong one fails for a reason the message states.
package disttest

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
)

// Options configures Run. The zero value draws 100 000 samples with seed 1
// and treats the distribution as continuous.
type Options struct {
	// Samples is the number of draws of the statistical checks (0 means
	// 100 000).
	Samples int
	// Seed seeds the PCG stream of the draws.
	Seed uint64
	// Discrete declares a distribution with atoms (Bernoulli, Discrete,
	// Empirical): the Quantile(CDF(x)) round trip is checked only at
	// sampled values, and the KS test becomes conservative.
	Discrete bool
	// SkipParse skips the check that distributions.Parse reads String()
	// back (a type of your own is unknown to Parse).
	SkipParse bool
}

// KSCritical returns the Kolmogorov–Smirnov critical value for n draws at
// α ≈ 0.001: 1.95/√n (the asymptotic Kolmogorov distribution, K(1.95) ≈
// 0.999).
func KSCritical(n int) float64 { return 1.95 / math.Sqrt(float64(n)) }

// KS returns the Kolmogorov–Smirnov statistic sup |F_n(x) − F(x)| of the
// sample x against cdf. It sorts a copy of x: O(n log n). With atoms it is
// evaluated at each distinct value, which makes the test conservative.
func KS(x []float64, cdf func(float64) float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := float64(len(s))
	d := 0.0
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		f := cdf(s[i])
		d = math.Max(d, math.Abs(float64(j)/n-f)) // F_n at s[i]
		if j-i == 1 {
			d = math.Max(d, f-float64(i)/n) // just below a single value
		}
		i = j
	}
	return d
}

// Check runs every conformance check on d and returns the problems found,
// joined (nil when d conforms), as testing/slogtest.TestHandler does:
//   - Validate returns nil and String is not empty (and, unless SkipParse,
//     distributions.Parse reads String back to a value with the same
//     String);
//   - Quantile is NaN outside [0, 1] and for NaN, non-decreasing on a grid;
//     CDF is a non-decreasing probability, NaN at NaN;
//   - CDF(Quantile(p)) ≥ p and, for continuous distributions,
//     Quantile(CDF(x)) ≈ x at interior quantiles;
//   - Options.Samples draws pass a KS test against CDF at α ≈ 0.001, and
//     their mean is within 4 standard errors of Mean;
//   - Sample does not allocate.
//
// Cost: Options.Samples draws and a sort of them, 1000 quantiles.
func Check(d distributions.Dist, o Options) error {
	if o.Samples == 0 {
		o.Samples = 100_000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if err := d.Validate(); err != nil {
		fail("Validate() = %v, want nil", err)
		return errors.Join(errs...)
	}
	if s := d.String(); s == "" {
		fail("String() is empty")
	} else if !o.SkipParse {
		back, err := distributions.Parse(s)
		switch {
		case err != nil:
			fail("Parse(%q): %v", s, err)
		case back.String() != s:
			fail("Parse(%q).String() = %q", s, back.String())
		}
	}

	for _, p := range []float64{-0.1, 1.1, math.NaN(), math.Inf(1)} {
		if q := d.Quantile(p); !math.IsNaN(q) {
			fail("Quantile(%v) = %v, want NaN", p, q)
		}
	}
	if c := d.CDF(math.NaN()); !math.IsNaN(c) {
		fail("CDF(NaN) = %v, want NaN", c)
	}
	prevQ, prevC := math.Inf(-1), 0.0
	for i := 1; i < 1000; i++ {
		p := float64(i) / 1000
		q := d.Quantile(p)
		if math.IsNaN(q) || q < prevQ {
			fail("Quantile(%v) = %v after %v: not non-decreasing", p, q, prevQ)
			break
		}
		c := d.CDF(q)
		if !(c >= 0 && c <= 1) || c < prevC {
			fail("CDF(%v) = %v after %v: not a non-decreasing probability", q, c, prevC)
			break
		}
		if c < p-1e-9 { // Quantile(p) is the smallest x with CDF(x) ≥ p
			fail("CDF(Quantile(%v)) = %v < p", p, c)
			break
		}
		if !o.Discrete && p > 0.01 && p < 0.99 {
			if back := d.Quantile(c); math.Abs(back-q) > 1e-6*math.Max(1, math.Abs(q)) {
				fail("Quantile(CDF(%v)) = %v", q, back)
				break
			}
		}
		prevQ, prevC = q, c
	}

	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	x := make([]float64, o.Samples)
	for i := range x {
		x[i] = d.Sample(r)
		if math.IsNaN(x[i]) {
			fail("draw %d is NaN", i)
			return errors.Join(errs...)
		}
	}
	if ks, crit := KS(x, d.CDF), KSCritical(len(x)); ks > crit {
		fail("KS statistic %.5f over %d draws exceeds %.5f (α ≈ 0.001)", ks, len(x), crit)
	}
	mean, m2 := 0.0, 0.0
	for i, v := range x { // Welford
		delta := v - mean
		mean += delta / float64(i+1)
		m2 += delta * (v - mean)
	}
	se := math.Sqrt(m2/float64(len(x)-1)) / math.Sqrt(float64(len(x)))
	if want := d.Mean(); !(math.Abs(mean-want) <= 4*se+1e-12*math.Abs(want)) {
		fail("sample mean %v, Mean() %v: %.1f standard errors apart (want ≤ 4)", mean, want, math.Abs(mean-want)/se)
	}
	if allocs := testing.AllocsPerRun(100, func() { d.Sample(r) }); allocs != 0 {
		fail("Sample allocates %v times per draw, want 0", allocs)
	}
	return errors.Join(errs...)
}

// Run runs Check and reports each problem as a test error.
func Run(t *testing.T, d distributions.Dist, o Options) {
	t.Helper()
	if err := Check(d, o); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			t.Errorf("%v: %s", d, line)
		}
	}
}
