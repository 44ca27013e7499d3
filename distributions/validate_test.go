package distributions

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkParamError checks that err is a *ParamError of distribution dist and
// parameter param that wraps ErrInvalidParameter and names param.
func checkParamError(t *testing.T, err error, dist, param string) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInvalidParameter), "errors.Is(%v, ErrInvalidParameter)", err)
	var pe *ParamError
	require.True(t, errors.As(err, &pe), "errors.As(%v, *ParamError)", err)
	assert.Equal(t, dist, pe.Dist)
	assert.Equal(t, param, pe.Param)
	assert.Contains(t, err.Error(), dist+": "+param+" ")
}

func TestValidateInvalid(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	n01 := Normal{0, 1}
	for _, tc := range []struct {
		d           Dist
		dist, param string
		msg         string // the whole message, when given
	}{
		{Constant{nan}, "constant", "value", "constant: value NaN must be finite"},
		{Constant{-inf}, "constant", "value", ""},
		{Uniform{135, 115}, "uniform", "min", "uniform: min 135 > max 115"},
		{Uniform{1, 1}, "uniform", "min", "uniform: min 1 must be < max 1"},
		{Uniform{nan, 1}, "uniform", "min", ""},
		{Uniform{0, inf}, "uniform", "max", ""},
		{Triangular{0, 5, 3}, "triangular", "mode", "triangular: mode 5 must be in [min 0, max 3]"},
		{Triangular{3, 1, 0}, "triangular", "min", ""},
		{Triangular{0, nan, 1}, "triangular", "mode", ""},
		{Triangular{0, 0, 0}, "triangular", "min", ""},
		{PERT{0, -1, 3}, "pert", "mode", ""},
		{PERT{0, 1, nan}, "pert", "max", ""},
		{Normal{0, -1}, "normal", "sigma", "normal: sigma -1 must be > 0"},
		{Normal{0, 0}, "normal", "sigma", ""},
		{Normal{0, nan}, "normal", "sigma", ""},
		{Normal{0, inf}, "normal", "sigma", "normal: sigma +Inf must be finite"},
		{Normal{nan, 1}, "normal", "mu", ""},
		{LogNormal{inf, 1}, "lognormal", "mu", ""},
		{LogNormal{0, 0}, "lognormal", "sigma", ""},
		{Beta{0, 1}, "beta", "alpha", ""},
		{Beta{1, -1}, "beta", "beta", ""},
		{Beta{nan, 1}, "beta", "alpha", ""},
		{Gamma{0, 1}, "gamma", "shape", ""},
		{Gamma{1, 0}, "gamma", "rate", ""},
		{Gamma{1, inf}, "gamma", "rate", ""},
		// Issue 18.4: gonum's inversion never returned for this shape, and
		// Gamma{2e-308, 1}.CDF(1) was 1.056.
		{Gamma{1e-320, 1}, "gamma", "shape", "gamma: shape 1e-320 must be in [0.001, 10000]"},
		{Gamma{2e-308, 1}, "gamma", "shape", ""},
		{Gamma{3e5, 1}, "gamma", "shape", ""},
		{Gamma{1, 1e-300}, "gamma", "rate", "gamma: rate 1e-300 must be in [1e-250, 1e+250]"},
		{Beta{1e5, 1}, "beta", "alpha", ""},
		{Beta{1, 1e-4}, "beta", "beta", ""},
		{Normal{0, 1e308}, "normal", "sigma", ""},
		{Normal{1e308, 1e307}, "normal", "sigma", ""},
		{LogNormal{0, 50}, "lognormal", "sigma", ""},
		{LogNormal{800, 1}, "lognormal", "mu", "lognormal: mu 800 must be in [-709, 709]"},
		{LogNormal{700, 1}, "lognormal", "sigma", ""},
		{Uniform{-1e308, 1e308}, "uniform", "max", ""},
		{Triangular{-1e308, 0, 1e308}, "triangular", "max", ""},
		{PERT{-1e308, 0, 1e308}, "pert", "max", ""},
		{Interval90{Lo: 1e-300, Hi: 1e300}, "ci90", "hi", ""},
		{Interval90{Lo: -1e308, Hi: 1e308}, "ci90", "hi", ""},
		{Bernoulli{1.5}, "bernoulli", "p", "bernoulli: p 1.5 must be in [0, 1]"},
		{Bernoulli{-0.1}, "bernoulli", "p", ""},
		{Bernoulli{nan}, "bernoulli", "p", ""},
		{Discrete{}, "discrete", "len(values)", "discrete: len(values) 0 must be > 0"},
		{Discrete{[]float64{1, 2}, []float64{1}, nil, nil, nil}, "discrete", "len(weights)", "discrete: len(weights) 1 must equal len(values) 2"},
		{Discrete{Values: []float64{1, 2}, Weights: []float64{1, -1}}, "discrete", "weights[1]", ""},
		{Discrete{Values: []float64{1, 2}, Weights: []float64{0, 0}}, "discrete", "sum(weights)", ""},
		{Discrete{Values: []float64{1, 2}, Weights: []float64{1e308, 1e308}}, "discrete", "sum(weights)", ""},
		{Discrete{Values: []float64{nan}, Weights: []float64{1}}, "discrete", "values[0]", ""},
		{Discrete{Values: []float64{1}, Weights: []float64{inf}}, "discrete", "weights[0]", ""},
		{Discrete{Values: []float64{1}, Weights: []float64{nan}}, "discrete", "weights[0]", ""},
		{Empirical{}, "empirical", "len(data)", ""},
		{Empirical{Data: []float64{1, inf}}, "empirical", "data[1]", ""},
		{Truncated{nil, 0, 1}, "truncated", "dist", ""},
		{Truncated{Normal{0, -1}, 0, 1}, "truncated", "dist.sigma", "truncated: dist.sigma -1 must be > 0"},
		{Truncated{n01, 1, 0}, "truncated", "min", ""},
		{Truncated{n01, 1, 1}, "truncated", "min", ""},
		{Truncated{n01, nan, 1}, "truncated", "min", ""},
		{Truncated{n01, 0, nan}, "truncated", "max", ""},
		{Truncated{n01, 40, 50}, "truncated", "max", ""},
		{Truncated{n01, 6.5, math.Inf(1)}, "truncated", "max", ""}, // mass 4e-11 < 1e-9
		{Truncated{Uniform{0, 1}, 2, 3}, "truncated", "max", ""},
		{Truncated{Constant{5}, 5, 6}, "truncated", "max", ""},
		{Mixture{}, "mixture", "len(components)", ""},
		{Mixture{Components: []Dist{nil}}, "mixture", "components[0]", ""},
		{Mixture{Components: []Dist{n01, Normal{0, -1}}}, "mixture", "components[1].sigma", ""},
		{Mixture{Components: []Dist{n01, Normal{0, -1}}, Weights: []float64{1, 0}}, "mixture", "components[1].sigma", ""},
		{Mixture{Components: []Dist{n01}, Weights: []float64{1, 2}}, "mixture", "len(weights)", ""},
		{Mixture{Components: []Dist{n01, n01}, Weights: []float64{-1, 2}}, "mixture", "weights[0]", ""},
		{Mixture{Components: []Dist{n01}, Weights: []float64{0}}, "mixture", "sum(weights)", ""},
		{Mixture{Components: []Dist{Truncated{Normal{0, -1}, 0, 1}}}, "mixture", "components[0].dist.sigma", ""},
		{Mixture{Components: []Dist{n01, Empirical{Data: []float64{1, nan}}}}, "mixture", "components[1].data[1]", ""},
		{Interval90{Lo: 135, Hi: 115}, "ci90", "lo", "ci90: lo 135 > hi 115"},
	} {
		t.Run(tc.d.String(), func(t *testing.T) {
			err := tc.d.Validate()
			checkParamError(t, err, tc.dist, tc.param)
			if tc.msg != "" {
				assert.Equal(t, tc.msg, err.Error())
			}
			checkInvalid(t, tc.d)
			// Parse rejects the String form: as a syntax error when there
			// is no text for a parameter (a nil component), else with the
			// same *ParamError.
			_, perr := Parse(tc.d.String())
			require.Error(t, perr)
			var se *ParseError
			if !errors.As(perr, &se) {
				checkParamError(t, perr, tc.dist, tc.param)
			}
		})
	}
}

// foreign is a Dist of another package whose Validate error is not a
// *ParamError.
type foreign struct{ Normal }

func (foreign) Validate() error { return errors.New("broken") }

func TestValidateForeign(t *testing.T) {
	err := Truncated{foreign{Normal{0, 1}}, 0, 1}.Validate()
	checkParamError(t, err, "truncated", "dist")
	assert.Contains(t, err.Error(), "broken")
}

func TestValidateValid(t *testing.T) {
	for _, d := range allValid(t) {
		assert.NoError(t, d.Validate(), d.String())
	}
}

// allValid returns one valid value of every type (and both forms of the
// slice types).
func allValid(t testing.TB) []Dist {
	dd, err := NewDiscrete([]float64{1, 2, 3}, []float64{0.2, 0.3, 0.5})
	require.NoError(t, err)
	ee, err := NewEmpirical([]float64{3, 1, 4, 1, 5, 9, 2, 6})
	require.NoError(t, err)
	return []Dist{
		Constant{125},
		Uniform{115, 135},
		Triangular{115, 125, 135},
		PERT{115, 125, 135},
		Normal{0.18, 0.06},
		LogNormal{4.38, 0.25},
		CI90(115, 135),
		CI90(-0.1, 0.3),
		Beta{2, 5},
		Gamma{2, 0.5},
		Bernoulli{0.3},
		Discrete{Values: []float64{1, 2, 3}, Weights: []float64{0.2, 0.3, 0.5}},
		dd,
		Empirical{Data: []float64{3, 1, 4, 1, 5, 9, 2, 6}},
		ee,
		Truncated{Normal{0.2, 0.1}, 0, 1},
		Truncated{Gamma{2, 0.5}, 1, math.Inf(1)},
		Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}},
		Mixture{Components: []Dist{CI90(1, 2), dd, Truncated{PERT{0, 1, 5}, 1, 4}}},
	}
}

// TestConcurrent shares every distribution between goroutines, each with
// its own stream (run with -race).
func TestConcurrent(t *testing.T) {
	ds := allValid(t)
	done := make(chan []float64)
	for g := range 4 {
		go func() {
			r := newRand(uint64(g))
			var out []float64
			for _, d := range ds {
				for range 100 {
					out = append(out, d.Sample(r), d.Quantile(0.3), d.CDF(2))
				}
			}
			done <- out
		}()
	}
	for range 4 {
		for _, x := range <-done {
			require.False(t, math.IsNaN(x))
		}
	}
}

// TestNoAlloc checks that no method but String allocates, on valid values
// of every type (except Quantile of an Empirical literal, documented to sort
// a copy).
func TestNoAlloc(t *testing.T) {
	r := newRand(1)
	for _, d := range allValid(t) {
		_, literalEmpirical := d.(Empirical)
		literalEmpirical = literalEmpirical && !d.(Empirical).prepared()
		for _, p := range []float64{1e-10, 0.01, 0.1, 0.3, 0.5, 0.9, 0.999} {
			allocs := testing.AllocsPerRun(10, func() {
				Sink = d.Sample(r) + d.CDF(p) + d.Mean()
				if d.Validate() != nil {
					panic("invalid")
				}
				if !literalEmpirical {
					Sink += d.Quantile(p)
				}
			})
			assert.Zerof(t, allocs, "%v allocates (p = %v)", d, p)
		}
	}
}

func TestNilRandPanics(t *testing.T) {
	for _, d := range append(allValid(t), Normal{0, -1}) {
		assert.PanicsWithValue(t, "distributions: Sample called with a nil *rand.Rand", func() { d.Sample(nil) }, d.String())
	}
}
