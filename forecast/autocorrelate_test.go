package forecast

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

// TestAutocorrelateAchievesSpearman: the lag-1 Spearman of every pair of
// consecutive years is the request within 5 standard errors of a sample
// Spearman at N = 1e5 (assertSpearman: ±0.011 at 0.6, ±0.015 at −0.3), the
// lag-2 Spearman is that of the AR(1) normal-score correlation r², and every
// year keeps its marginal (KS at α ≈ 0.001), under every Method.
func TestAutocorrelateAchievesSpearman(t *testing.T) {
	cases := []struct {
		name string
		d    distributions.Dist
		rho  float64
	}{
		{"pert", distributions.PERT{Min: 0.05, Mode: 0.1, Max: 0.15}, 0.6},
		{"uniform", distributions.Uniform{Min: -1, Max: 3}, -0.3},
	}
	for _, method := range []Method{MonteCarlo, LatinHypercube, QuasiMonteCarlo} {
		for _, c := range cases {
			m := NewModel()
			s := m.Series("growth", c.d, 5)
			m.Autocorrelate(s, c.rho)
			o := m.Output("total")
			m.Eval(func(t *Trial) {
				sum := 0.0
				for _, v := range t.Values(s) {
					sum += v
				}
				t.Set(o, sum)
			})
			res := mustRun(t, m, Options{Trials: 100_000, Seed: 5, Method: method, KeepInputs: true})
			r := spearmanToPearson(c.rho)
			lag2 := pearsonToSpearman(r * r)
			for y := 0; y+1 < 5; y++ {
				assertSpearman(t, c.rho, res.inputs[y], res.inputs[y+1], "%v %s: years %d–%d", method, c.name, y+1, y+2)
			}
			for y := 0; y+2 < 5; y++ {
				assertSpearman(t, lag2, res.inputs[y], res.inputs[y+2], "%v %s: lag 2 from year %d", method, c.name, y+1)
			}
			for y := 0; y < 5; y++ {
				checkKS(t, method.String()+" "+c.name, res.inputs[y], c.d.CDF)
			}
			cs := res.Correlations()
			require.NotNil(t, cs)
			assert.InDelta(t, c.rho, cs.At(0, 1), 1e-12)
			assert.InDelta(t, lag2, cs.At(0, 2), 1e-12)
		}
	}
}

// TestAutocorrelateWithCorrelate: the autocorrelation and Correlate share
// one matrix; an inconsistent combination is an error naming the inputs,
// repaired under Options.RepairCorrelations.
func TestAutocorrelateWithCorrelate(t *testing.T) {
	build := func() *Model {
		m := NewModel()
		s := m.Series("growth", distributions.Normal{Mu: 0.1, Sigma: 0.05}, 4)
		x := m.Input("demand", distributions.Uniform{Min: 0, Max: 1})
		m.Autocorrelate(s, -0.6) // consecutive years move apart…
		m.Correlate(s, x, 0.9)   // …yet every year follows demand closely
		o := m.Output("o")
		m.Eval(func(t *Trial) { t.Set(o, t.Values(s)[0]+t.Value(x)) })
		return m
	}
	err := Check(build(), Options{Trials: 1000})
	require.Error(t, err)
	assert.ErrorContains(t, err, `"growth [1]"`)
	assert.ErrorContains(t, err, `"demand"`)
	assert.ErrorContains(t, err, "not positive semi-definite")

	res := mustRun(t, build(), Options{Trials: 1000, Seed: 1, RepairCorrelations: true})
	require.True(t, res.Correlations().Repaired)
	require.NotEmpty(t, res.Warnings())
	// The repaired lag-1 entry moved towards consistency: above −0.6.
	assert.Greater(t, res.Correlations().At(0, 1), -0.6)
}

// TestAutocorrelateErrors: bad declarations are *ParamError values naming
// the input and the field.
func TestAutocorrelateErrors(t *testing.T) {
	cases := []struct {
		name  string
		rho   float64
		again float64 // a second call's rho, or NaN for none
		field string
	}{
		{"scalar", 0.5, math.NaN(), "series length"},
		{"growth", 1, math.NaN(), "rho"},
		{"growth", -1, math.NaN(), "rho"},
		{"growth", math.NaN(), math.NaN(), "rho"},
		{"growth", 0.5, 0.4, "rho"},
	}
	for _, c := range cases {
		m := NewModel()
		x := m.Input("scalar", distributions.Uniform{Min: 0, Max: 1})
		s := m.Series("growth", distributions.Uniform{Min: 0, Max: 1}, 3)
		o := m.Output("o")
		m.Eval(func(t *Trial) { t.Set(o, t.Value(x)+t.Values(s)[0]) })
		h := s
		if c.name == "scalar" {
			h = x
		}
		m.Autocorrelate(h, c.rho)
		if !math.IsNaN(c.again) {
			m.Autocorrelate(h, c.again)
		}
		err := m.Validate()
		var pe *ParamError
		require.Truef(t, errors.As(err, &pe), "%s rho %v: %v", c.name, c.rho, err)
		assert.Equal(t, c.name, pe.Input)
		assert.Equal(t, c.field, pe.Field)
		assert.Equal(t, "Autocorrelate", pe.Call)
		assert.ErrorContains(t, err, `"`+c.name+`"`)
	}
	// The same rho twice is accepted; a foreign handle is an error.
	m := NewModel()
	s := m.Series("growth", distributions.Uniform{Min: 0, Max: 1}, 3)
	m.Autocorrelate(s, 0.5)
	m.Autocorrelate(s, 0.5)
	assert.Len(t, m.corrs, 1)
	m.Autocorrelate(NewModel().Series("other", distributions.Uniform{Min: 0, Max: 1}, 3), 0.5)
	assert.ErrorContains(t, errors.Join(m.errs...), "not one of this model's")
}
