package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/mcforecast/mcforecast/distributions"
)

// qrR2 is the textbook R² of the least-squares fit of y on the columns xs
// with an intercept, by QR (mat.Dense.Solve): 1 − SS_res/SS_tot.
func qrR2(xs [][]float64, y []float64) float64 {
	n, p := len(y), len(xs)
	X := mat.NewDense(n, p+1, nil)
	for i := 0; i < n; i++ {
		X.Set(i, 0, 1)
		for j, x := range xs {
			X.Set(i, j+1, x[i])
		}
	}
	var beta mat.Dense
	if err := beta.Solve(X, mat.NewDense(n, 1, y)); err != nil {
		panic(err)
	}
	var fit mat.Dense
	fit.Mul(X, &beta)
	mean := 0.0
	for _, v := range y {
		mean += v / float64(n)
	}
	res, tot := 0.0, 0.0
	for i, v := range y {
		res += (v - fit.At(i, 0)) * (v - fit.At(i, 0))
		tot += (v - mean) * (v - mean)
	}
	return 1 - res/tot
}

// TestRankR2MatchesQR checks rankR2's correlation identity against a QR
// fit, and that a repeated column (a singular correlation matrix) changes
// nothing.
func TestRankR2MatchesQR(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 2000
	xs := make([][]float64, 4)
	for j := range xs {
		xs[j] = make([]float64, n)
	}
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		c := r.NormFloat64() // a common factor: correlated columns
		for j := range xs {
			xs[j][i] = 0.6*c + r.NormFloat64()
		}
		y[i] = xs[0][i] - 0.5*xs[2][i]*xs[2][i] + 0.3*xs[3][i] + r.NormFloat64()
	}
	for j := range xs {
		xs[j] = ranks(xs[j])
	}
	ry := ranks(y)
	got, sign, ok := rankR2(xs, ry)
	require.True(t, ok)
	assert.InDelta(t, qrR2(xs, ry), got, 1e-9)
	assert.Equal(t, 1.0, sign)
	dup, _, _ := rankR2(append(xs, xs[1]), ry)
	assert.InDelta(t, got, dup, 1e-9, "a repeated column adds nothing")
	neg := make([]float64, n)
	for i, v := range ry {
		neg[i] = n + 1 - v
	}
	r2, sign, _ := rankR2(xs, neg)
	assert.InDelta(t, got, r2, 1e-9)
	assert.Equal(t, -1.0, sign, "the output reversed")
	_, _, ok = rankR2([][]float64{make([]float64, n)}, ry)
	assert.False(t, ok, "a constant column alone")
}

func TestSensitivityByInput(t *testing.T) {
	t.Run("scalar inputs reduce to Spearman", func(t *testing.T) {
		m := NewModel()
		a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
		b := m.Input("b", distributions.Uniform{Min: 0, Max: 1})
		m.Input("k", distributions.Constant{Value: 1})
		o := m.Output("o")
		m.Eval(func(t *Trial) { t.Set(o, t.Value(a)-2*t.Value(b)) })
		met := mustRun(t, m, Options{Trials: 20_000, Seed: 1}).Output("o")
		per, by := met.Sensitivity(), met.SensitivityByInput()
		require.Len(t, by, 2, "the constant is left out")
		for i := range per {
			assert.Equal(t, per[i].Input, by[i].Input)
			assert.InDelta(t, per[i].Spearman, by[i].Spearman, 1e-12)
			assert.InDelta(t, per[i].Contribution, by[i].Contribution, 1e-12)
			assert.InDelta(t, per[i].StdErr, by[i].StdErr, 1e-12)
			assert.Equal(t, 1, by[i].Values)
		}
	})
	t.Run("a series is one driver", func(t *testing.T) {
		m := driverModel()
		met := mustRun(t, m, Options{Trials: 50_000, Seed: 2}).Output("o")
		by := met.SensitivityByInput()
		require.Len(t, by, 3)
		sum := 0.0
		for _, s := range by {
			assert.Zero(t, s.Year)
			sum += s.Contribution
		}
		assert.InDelta(t, 1, sum, 1e-12)
		var series Sensitivity
		for _, s := range by {
			if s.Input == "s" {
				series = s
			}
		}
		require.Equal(t, 5, series.Values)
		assert.Greater(t, series.Spearman, 0.0, "the output rises with the series")
		for _, s := range met.Sensitivity() {
			if s.Input == "s" {
				assert.GreaterOrEqual(t, series.Spearman*series.Spearman, s.Spearman*s.Spearman-1e-12, "R² ≥ each year's ρ²")
			}
		}
	})
	t.Run("one year determines the output", func(t *testing.T) {
		m := NewModel()
		s := m.Series("s", distributions.Uniform{Min: 0, Max: 1}, 4)
		o := m.Output("o")
		m.Eval(func(t *Trial) { t.Set(o, -math.Exp(t.Values(s)[2])) })
		by := mustRun(t, m, Options{Trials: 10_000, Seed: 3}).Output("o").SensitivityByInput()
		require.Len(t, by, 1)
		assert.InDelta(t, -1, by[0].Spearman, 1e-9)
	})
	t.Run("an unrelated series", func(t *testing.T) {
		// Under no effect n·R² is about χ²_p (p = 10 years): mean 10, sd
		// √20; 10 + 5√20 ≈ 32.4 bounds it at 5 sigma.
		m := NewModel()
		s := m.Series("s", distributions.Normal{Mu: 0, Sigma: 1}, 10)
		x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
		o := m.Output("o")
		m.Eval(func(t *Trial) { _ = t.Values(s); t.Set(o, t.Value(x)) })
		by := mustRun(t, m, Options{Trials: 1 << 16, Seed: 4}).Output("o").SensitivityByInput()
		require.Len(t, by, 2)
		assert.Equal(t, "s", by[1].Input)
		assert.Less(t, by[1].Spearman*by[1].Spearman*float64(by[1].Trials), 32.4)
	})
}

// BenchmarkSensitivity times both views of one output's sensitivities for
// a model of 43 input values (3 scalars, 4 ten-year series), from the
// sensitivity sample and, with KeepInputs, from every one of 2¹⁸ trials;
// the input ranks are recomputed each time (the cache is cleared).
func BenchmarkSensitivity(b *testing.B) {
	m := NewModel()
	var ins []Input
	for i := range 3 {
		ins = append(ins, m.Input("x"+string(rune('a'+i)), distributions.Normal{Mu: 0, Sigma: 1}))
	}
	for i := range 4 {
		ins = append(ins, m.Series("s"+string(rune('a'+i)), distributions.Uniform{Min: 0, Max: 1}, 10))
	}
	o := m.Output("o")
	m.Eval(func(t *Trial) {
		v := 0.0
		for i, h := range ins {
			for _, x := range t.Values(h) {
				v += float64(i+1) * x
			}
		}
		t.Set(o, v)
	})
	for _, c := range []struct {
		name string
		keep bool
	}{{"sample", false}, {"keepinputs-262144", true}} {
		res := mustRun(b, m, Options{Trials: 1 << 18, Seed: 1, KeepInputs: c.keep})
		met := res.Output("o")
		for _, v := range []struct {
			name string
			f    func(*Result, context.Context, *Metric) ([]Sensitivity, error)
		}{{"per-value", (*Result).sensitivity}, {"by-input", (*Result).sensitivityByInput}} {
			b.Run(c.name+"/"+v.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res.sens.ranks.ranks = nil
					if _, err := v.f(res, context.Background(), met); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
