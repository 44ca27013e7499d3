package forecast

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/mcforecast/mcforecast/distributions"
)

func TestCorrelationAchievesSpearman(t *testing.T) {
	// At N = 1e5 the SE of a sample Spearman correlation is about
	// (1−ρ²)/√N ≤ 0.0032, so ±0.02 is over 6 SE.
	marginals := []struct {
		name string
		d    distributions.Dist
	}{
		{"uniform", distributions.Uniform{Min: 115, Max: 135}},
		{"lognormal", distributions.LogNormal{Mu: 4.38, Sigma: 0.25}},
		{"pert", distributions.PERT{Min: 0.35, Mode: 0.41, Max: 0.45}},
	}
	for _, method := range []Method{MonteCarlo, LatinHypercube} {
		m := NewModel()
		var in []Input
		for _, mg := range marginals {
			in = append(in, m.Input(mg.name, mg.d))
		}
		want := map[[2]int]float64{{0, 1}: 0.7, {0, 2}: -0.4, {1, 2}: 0.2}
		for p, r := range want {
			m.Correlate(in[p[0]], in[p[1]], r)
		}
		o := m.Output("sum")
		m.Eval(func(t *Trial) { t.Set(o, t.Value(in[0])+t.Value(in[1])+t.Value(in[2])) })
		res := mustRun(t, m, Options{Trials: 100_000, Seed: 21, Method: method, KeepInputs: true})
		for p, r := range want {
			got := spearman(res.inputs[p[0]], res.inputs[p[1]])
			t.Logf("%v: %s–%s requested %.2f, achieved %.4f", method, marginals[p[0]].name, marginals[p[1]].name, r, got)
			assert.InDeltaf(t, r, got, 0.02, "%v: %s–%s", method, marginals[p[0]].name, marginals[p[1]].name)
		}
		for i, mg := range marginals {
			checkKS(t, method.String()+" "+mg.name, res.inputs[i], mg.d.CDF)
		}
		c := res.Correlations()
		require.NotNil(t, c)
		assert.False(t, c.Repaired)
		assert.InDelta(t, 0.7, c.At(0, 1), 1e-12)
	}
}

func TestCorrelationSeriesYearByYear(t *testing.T) {
	m := NewModel()
	a := m.Series("a", distributions.Normal{Mu: 0, Sigma: 1}, 3)
	b := m.Series("b", distributions.Normal{Mu: 0, Sigma: 1}, 3)
	m.Correlate(a, b, 0.5)
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, t.Values(a)[0]) })
	res := mustRun(t, m, Options{Trials: 100_000, Seed: 2, KeepInputs: true})
	for y := 0; y < 3; y++ {
		assert.InDelta(t, 0.5, spearman(res.inputs[y], res.inputs[3+y]), 0.02, "year %d", y+1)
	}
	assert.InDelta(t, 0, spearman(res.inputs[0], res.inputs[4]), 0.02, "different years stay independent")
}

func TestCorrelationRepair(t *testing.T) {
	res, err := Run(context.Background(), nonPSD(), Options{Trials: 20_000, Seed: 1, RepairCorrelations: true, KeepInputs: true})
	require.NoError(t, err)
	c := res.Correlations()
	require.True(t, c.Repaired)
	assert.Equal(t, []string{"a", "b", "c"}, c.Names)
	// The repaired matrix is a valid correlation matrix near the request:
	// it keeps the signs and stays within the PSD set.
	assert.Greater(t, c.At(0, 1), 0.0)
	assert.Less(t, c.At(0, 2), 0.0)
	for i := 0; i < 3; i++ {
		assert.Equal(t, 1.0, c.At(i, i))
	}
	// The achieved correlations match the reported (repaired) matrix.
	assert.InDelta(t, c.At(0, 1), spearman(res.inputs[0], res.inputs[1]), 0.04)
}

func TestLatinHypercubeReducesVariance(t *testing.T) {
	// A smooth monotone model; over 50 seeds at N = 1000 the variance of
	// the estimated mean under LHS must be at most 0.3× that of Monte Carlo.
	m := NewModel()
	x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
	y := m.Series("y", distributions.Uniform{Min: 0, Max: 2}, 3)
	o := m.Output("o")
	m.Eval(func(t *Trial) {
		v := math.Exp(0.5 * t.Value(x))
		for _, u := range t.Values(y) {
			v += u * u
		}
		t.Set(o, v)
	})
	variance := func(method Method) float64 {
		means := make([]float64, 50)
		for s := range means {
			res := mustRun(t, m, Options{Trials: 1000, Seed: uint64(s), Method: method, Workers: 1})
			means[s] = res.Output("o").Mean()
		}
		return stat.Variance(means, nil)
	}
	vmc, vlhs := variance(MonteCarlo), variance(LatinHypercube)
	t.Logf("variance of the mean over 50 seeds, N=1000: MC %.3g, LHS %.3g, ratio %.2g", vmc, vlhs, vlhs/vmc)
	assert.LessOrEqual(t, vlhs, 0.3*vmc)

	res := mustRun(t, m, Options{Trials: 100_000, Seed: 4, Method: LatinHypercube, KeepInputs: true})
	checkKS(t, "lhs normal", res.inputs[0], distributions.Normal{Mu: 0, Sigma: 1}.CDF)
	checkKS(t, "lhs uniform year 2", res.inputs[2], distributions.Uniform{Min: 0, Max: 2}.CDF)
}

func TestLatinHypercubeStratifies(t *testing.T) {
	// Within a full block, each of the BlockSize strata holds one draw.
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, t.Value(x)) })
	res := mustRun(t, m, Options{Trials: BlockSize, Seed: 1, Method: LatinHypercube, KeepInputs: true})
	seen := make([]bool, BlockSize)
	for _, v := range res.inputs[0] {
		k := int(v * BlockSize)
		require.False(t, seen[k], "stratum %d twice", k)
		seen[k] = true
	}
}

func TestSensitivityRanksInputs(t *testing.T) {
	m := NewModel()
	a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
	b := m.Input("b", distributions.Normal{Mu: 0, Sigma: 1})
	c := m.Input("c", distributions.Normal{Mu: 0, Sigma: 1})
	k := m.Input("k", distributions.Constant{Value: 3})
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, 10*t.Value(a)+t.Value(b)+0.1*t.Value(c)+t.Value(k)) })
	res := mustRun(t, m, Options{Trials: 100_000, Seed: 8, KeepInputs: true})
	s := res.Output("o").Sensitivity()
	require.Len(t, s, 3, "the constant input is left out")
	assert.Equal(t, []string{"a", "b", "c"}, []string{s[0].Input, s[1].Input, s[2].Input})
	assert.Greater(t, s[0].Spearman, 0.9)
	sum := 0.0
	for _, x := range s {
		sum += x.Contribution
	}
	assert.InDelta(t, 1, sum, 1e-12)

	// A run shorter than the sensitivity sample keeps all of it: the same
	// coefficients with or without KeepInputs, in either mode.
	keep := mustRun(t, m, Options{Trials: 1000, KeepInputs: true}).Output("o").Sensitivity()
	assert.Equal(t, keep, mustRun(t, m, Options{Trials: 1000}).Output("o").Sensitivity())
	assert.Equal(t, keep, mustRun(t, m, Options{Trials: 1000, Streaming: true}).Output("o").Sensitivity())

	sw, err := Swing(m, "o", 0.1, 0.9)
	require.NoError(t, err)
	require.Len(t, sw, 4)
	assert.Equal(t, "a", sw[0].Input)
	z := 1.2815515655446004 // Φ⁻¹(0.9)
	assert.InDelta(t, 3+10*z, sw[0].OutputHigh, 1e-9)
	assert.InDelta(t, 3-10*z, sw[0].OutputLow, 1e-9)
	assert.InDelta(t, 3, sw[0].Base, 1e-12)
	_, err = Swing(m, "nope", 0.1, 0.9)
	assert.ErrorContains(t, err, `no output "nope"`)
}

func TestSensitivityWithInvalidTrials(t *testing.T) {
	m := NewModel()
	a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
	b := m.Input("b", distributions.Normal{Mu: 0, Sigma: 1})
	o := m.Output("o")
	m.Eval(func(t *Trial) {
		if t.Index()%7 == 0 {
			return // unset: invalid
		}
		t.Set(o, t.Value(a)-3*t.Value(b))
	})
	s := mustRun(t, m, Options{Trials: 50_000, Seed: 1, KeepInputs: true}).Output("o").Sensitivity()
	require.Len(t, s, 2)
	assert.Equal(t, "b", s[0].Input)
	assert.Less(t, s[0].Spearman, -0.9)
}

func TestPrecisionStops(t *testing.T) {
	// For a normal output the 95 % CI half-width of P5 is about
	// 1.96·√(.05·.95/N)/φ(1.645)·σ ≈ 4.14σ/√N, so ±0.01σ needs N ≈ 1.7e5.
	m := NewModel()
	x := m.Input("x", distributions.Normal{Mu: 10, Sigma: 2})
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, t.Value(x)) })
	res := mustRun(t, m, Options{Trials: 10_000_000, Seed: 1, Precision: 0.01})
	n := res.Trials()
	t.Logf("stopped after %d trials", n)
	assert.GreaterOrEqual(t, n, 100_000)
	assert.LessOrEqual(t, n, 1_000_000)
	out := res.Output("o")
	for _, p := range []float64{0.05, 0.5, 0.95} {
		lo, hi := out.PercentileCI(p, 0.95)
		assert.LessOrEqual(t, (hi-lo)/2, 0.01*out.StdDev(), "P%g", 100*p)
	}
	// Streaming stops at a checkpoint too, and at the same one for any
	// number of workers.
	a := mustRun(t, m, Options{Trials: 10_000_000, Seed: 1, Precision: 0.01, Streaming: true, Workers: 1})
	b := mustRun(t, m, Options{Trials: 10_000_000, Seed: 1, Precision: 0.01, Streaming: true, Workers: 3})
	assert.Equal(t, a.Trials(), b.Trials())
	assert.Less(t, a.Trials(), 10_000_000)
}
