package forecast

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/processes"
)

// processModel declares process p over years years as an input and its
// values as a series output.
func processModel(p processes.Process, years int) (*Model, Input) {
	m := NewModel()
	in := m.Process("price", p, years)
	o := m.OutputSeries("path", years)
	m.Eval(func(t *Trial) {
		for i, v := range t.Values(in) {
			t.SetAt(o, i, v)
		}
	})
	return m, in
}

// TestProcessMoments: the sample mean and variance of years 1–5 of GBM and
// OU paths match the processes' closed forms within 5 standard errors of
// independent sampling, SE(mean) = σ/√N and SE(variance) = σ²·√((κ+2)/N)
// with κ the excess kurtosis (0 for OU's normal values, e^(4s²) + 2e^(3s²) +
// 3e^(2s²) − 6 with s² = Volatility²·t for GBM's log-normal ones);
// LatinHypercube and QuasiMonteCarlo only reduce the error.
func TestProcessMoments(t *testing.T) {
	const n = 100_000
	gbm := processes.GBM{Start: 100, Drift: 0.05, Volatility: 0.2}
	ou := processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}
	kurt := map[string]func(t float64) float64{
		"gbm": func(y float64) float64 {
			s2 := gbm.Volatility * gbm.Volatility * y
			return math.Exp(4*s2) + 2*math.Exp(3*s2) + 3*math.Exp(2*s2) - 6
		},
		"ou": func(float64) float64 { return 0 },
	}
	for _, method := range []Method{MonteCarlo, LatinHypercube, QuasiMonteCarlo} {
		for name, p := range map[string]processes.Process{"gbm": gbm, "ou": ou} {
			m, _ := processModel(p, 5)
			res := mustRun(t, m, Options{Trials: n, Seed: 11, Method: method, KeepInputs: true})
			for y := 1; y <= 5; y++ {
				x := res.inputs[y-1]
				mean, v := meanVar(x)
				wm, wv := p.Mean(float64(y)), p.Variance(float64(y))
				seM := math.Sqrt(wv / n)
				seV := wv * math.Sqrt((kurt[name](float64(y))+2)/n)
				assert.InDeltaf(t, wm, mean, 5*seM, "%v %s year %d mean", method, name, y)
				assert.InDeltaf(t, wv, v, 5*seV, "%v %s year %d variance", method, name, y)
				if y == 5 {
					t.Logf("%v %s year 5: mean %.4f (want %.4f, SE %.3f), variance %.3f (want %.3f, SE %.3f)", method, name, mean, wm, seM, v, wv, seV)
				}
				// The output column is the stored input: sensitivities
				// and KeepInputs see the path's values.
				outMean, _ := meanVar(res.Metrics()[y-1].Values())
				assert.InEpsilonf(t, mean, outMean, 1e-12, "%v %s year %d output", method, name, y)
			}
		}
	}
}

// meanVar returns the sample mean and the unbiased sample variance of x.
func meanVar(x []float64) (float64, float64) {
	var s float64
	for _, v := range x {
		s += v
	}
	mean := s / float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, ss / float64(len(x)-1)
}

// TestProcessCorrelateIncrements: Correlate with a process input
// correlates the normal scores of its increments, so a scalar input
// correlated at ρs with a GBM has Spearman ρs with year 1 (monotone in the
// first score) and none with the year-2 increment's score beyond chance.
func TestProcessCorrelateIncrements(t *testing.T) {
	gbm := processes.GBM{Start: 100, Drift: 0.05, Volatility: 0.2}
	m, in := processModel(gbm, 3)
	x := m.Input("demand", distributions.Uniform{Min: 0, Max: 1})
	m.Correlate(in, x, 0.5)
	res := mustRun(t, m, Options{Trials: 100_000, Seed: 2, KeepInputs: true})
	xs := res.inputs[3]
	assertSpearman(t, 0.5, res.inputs[0], xs, "year 1")
	// Year-2 log-return ln(S2/S1) is driven by the second score alone,
	// which is correlated 0.5 with demand's year-2 score — demand is a
	// scalar, so the same score: Spearman 0.5 with the increment too.
	inc := make([]float64, len(xs))
	for i := range inc {
		inc[i] = math.Log(res.inputs[1][i] / res.inputs[0][i])
	}
	assertSpearman(t, 0.5, inc, xs, "year-2 increment")
}

// TestProcessErrors: an invalid or nil process is an error naming the
// input, wrapping the process's *processes.ParamError.
func TestProcessErrors(t *testing.T) {
	m, _ := processModel(processes.GBM{Start: -1, Drift: 0, Volatility: 0.2}, 3)
	err := m.Validate()
	require.Error(t, err)
	assert.ErrorContains(t, err, `input "price"`)
	var pe *processes.ParamError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "start", pe.Param)
	assert.True(t, errors.Is(err, processes.ErrInvalidParameter))

	m, _ = processModel(processes.OU{Start: 1, LongRunMean: 1, Reversion: math.NaN(), Volatility: 1}, 3)
	require.True(t, errors.As(m.Validate(), &pe))
	assert.Equal(t, "reversion", pe.Param)

	m, _ = processModel(nil, 3)
	assert.ErrorContains(t, m.Validate(), `input "price": no process`)
	assert.NotEmpty(t, m.Fingerprint())

	m, _ = processModel(processes.OU{Start: 1, LongRunMean: 1, Reversion: 1, Volatility: 1}, 0)
	assert.ErrorContains(t, m.Validate(), "series length 0")
}

// featureModel has a process, an autocorrelated series and a correlation.
func featureModel() *Model {
	m := NewModel()
	price := m.Process("price", processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}, 5)
	g := m.Series("growth", distributions.PERT{Min: 0.05, Mode: 0.1, Max: 0.2}, 5)
	c := m.Input("capex", distributions.Uniform{Min: 100, Max: 130})
	m.Autocorrelate(g, 0.5)
	m.Correlate(price, g, 0.3)
	o := m.OutputSeries("cash", 5)
	m.Eval(func(t *Trial) {
		rev := 100.0
		for i, gy := range t.Values(g) {
			rev *= 1 + gy
			t.SetAt(o, i, rev-t.Values(price)[i]-t.Value(c)/5)
		}
	})
	return m
}

// TestFeaturesBitIdenticalWorkers: a model with a process, an
// autocorrelation and a correlation gives the same bits for 1, 2 and 3
// workers under every Method.
func TestFeaturesBitIdenticalWorkers(t *testing.T) {
	sameAcrossWorkers(t, featureModel)
}

// TestFeaturesZeroAllocs: a block of a model with a process, an
// autocorrelation and a correlation allocates nothing, under every Method.
func TestFeaturesZeroAllocs(t *testing.T) {
	m := featureModel()
	for method := range methods {
		assertZeroBlockAllocs(t, m, Method(method))
	}
}

func TestInputProcess(t *testing.T) {
	gbm := processes.GBM{Start: 100, Drift: 0.05, Volatility: 0.2}
	m, _ := processModel(gbm, 3)
	m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	p, ok := m.InputProcess("price")
	require.True(t, ok)
	assert.Equal(t, processes.Process(gbm), p)
	_, ok = m.InputProcess("x")
	assert.False(t, ok)
	d, ok := m.InputDist("price")
	require.True(t, ok)
	assert.Equal(t, distributions.Dist(processScore), d)
}

// Swing cannot vary a process path: it says so. (SobolIndices varies its
// driving scores instead: TestSobolIndicesProcess.)
func TestProcessRefusedBySwing(t *testing.T) {
	m := NewModel()
	p := m.Process("price", processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}, 3)
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, t.Values(p)[2]) })
	_, err := Swing(m, "y", 0.1, 0.9)
	require.ErrorContains(t, err, `input "price" is a process`)
}
