package disttest_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/distributions/disttest"
)

// TestBuiltins runs the conformance checks on every type of package
// distributions.
func TestBuiltins(t *testing.T) {
	emp, err := distributions.NewEmpirical([]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5})
	if err != nil {
		t.Fatal(err)
	}
	disc, err := distributions.NewDiscrete([]float64{1, 2, 3}, []float64{0.2, 0.3, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		d        distributions.Dist
		discrete bool
	}{
		{distributions.Uniform{Min: 115, Max: 135}, false},
		{distributions.Triangular{Min: 0.35, Mode: 0.41, Max: 0.45}, false},
		{distributions.PERT{Min: 115, Mode: 125, Max: 135}, false},
		{distributions.Normal{Mu: 0.18, Sigma: 0.06}, false},
		{distributions.LogNormal{Mu: 4.38, Sigma: 0.25}, false},
		{distributions.CI90(115, 135), false},
		{distributions.Beta{Alpha: 2, Beta: 5}, false},
		{distributions.Gamma{Shape: 2, Rate: 0.5}, false},
		{distributions.Truncated{Dist: distributions.Normal{Mu: 0.2, Sigma: 0.1}, Min: 0, Max: 1}, false},
		{distributions.Mixture{Components: []distributions.Dist{distributions.Normal{Mu: 0, Sigma: 1}, distributions.Uniform{Min: 2, Max: 3}}, Weights: []float64{0.3, 0.7}}, false},
		{distributions.Constant{Value: 7}, true},
		{distributions.Bernoulli{P: 0.35}, true},
		{disc, true},
		{emp, true},
	}
	for _, c := range cases {
		t.Run(c.d.String(), func(t *testing.T) {
			disttest.Run(t, c.d, disttest.Options{Discrete: c.discrete, Samples: 20_000})
		})
	}
}

// shifted is a distribution of a user's own: an exponential shifted by
// Offset, written without package distributions' helpers.
type shifted struct{ Offset, Rate float64 }

func (s shifted) Sample(r *rand.Rand) float64 { return s.Offset + r.ExpFloat64()/s.Rate }
func (s shifted) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return s.Offset - math.Log1p(-p)/s.Rate
}
func (s shifted) CDF(x float64) float64 {
	if math.IsNaN(x) {
		return math.NaN()
	}
	if x < s.Offset {
		return 0
	}
	return -math.Expm1(-s.Rate * (x - s.Offset))
}
func (s shifted) Mean() float64   { return s.Offset + 1/s.Rate }
func (s shifted) Validate() error { return nil }
func (s shifted) String() string  { return "shifted" }

func TestUserDistribution(t *testing.T) {
	disttest.Run(t, shifted{Offset: 10, Rate: 0.5}, disttest.Options{SkipParse: true})
}

// TestCheckCanFail: each check catches the fault it is for.
func TestCheckCanFail(t *testing.T) {
	good := shifted{Offset: 10, Rate: 0.5}
	cases := []struct {
		name string
		d    distributions.Dist
		want string
	}{
		{"mean", wrongMean{good}, "standard errors apart"},
		{"cdf", wrongCDF{good}, "KS statistic"},
		{"quantile", badQuantile{good}, "not non-decreasing"},
		{"invalid", distributions.Normal{Mu: 0, Sigma: -1}, "Validate()"},
		{"parse", good, `Parse("shifted")`},
	}
	for _, c := range cases {
		err := disttest.Check(c.d, disttest.Options{Samples: 20_000, SkipParse: c.name != "parse"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Check = %v, want an error containing %q", c.name, err, c.want)
		}
	}
	if err := disttest.Check(good, disttest.Options{SkipParse: true}); err != nil {
		t.Errorf("a correct distribution fails: %v", err)
	}
}

// wrongMean's Mean is 0.25 standard deviations off its sampler.
type wrongMean struct{ shifted }

func (w wrongMean) Mean() float64 { return w.shifted.Mean() + 0.5 }

// wrongCDF's CDF is shifted by 0.1 standard deviations from its sampler.
type wrongCDF struct{ shifted }

func (w wrongCDF) CDF(x float64) float64 { return w.shifted.CDF(x - 0.2) }

// badQuantile's Quantile decreases past the median.
type badQuantile struct{ shifted }

func (b badQuantile) Quantile(p float64) float64 {
	if p > 0.5 {
		return b.shifted.Quantile(1 - p)
	}
	return b.shifted.Quantile(p)
}

// Check a distribution outside a test; in a test, call
// disttest.Run(t, d, disttest.Options{}) instead.
func ExampleCheck() {
	err := disttest.Check(distributions.PERT{Min: 115, Mode: 125, Max: 135}, disttest.Options{})
	fmt.Println("pert conforms:", err == nil)
	err = disttest.Check(wrongMean{shifted{Offset: 10, Rate: 0.5}}, disttest.Options{SkipParse: true})
	fmt.Println("wrong mean caught:", err != nil)
	// Output:
	// pert conforms: true
	// wrong mean caught: true
}
