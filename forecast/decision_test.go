package forecast

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/mcforecast/mcforecast/distributions"
)

var unitNormal = distributions.Normal{Mu: 0, Sigma: 1}

// phi0 is φ(0) = 1/√(2π).
const phi0 = 0.3989422804014327

// xOrZero is the decision between y = x and y = 0, x ~ N(0, 1):
// EVPI = E[max(x, 0)] = φ(0).
func xOrZero() (*Model, Decision) {
	m := NewModel()
	d := m.Decision("plan", "x", "zero")
	x := m.Input("x", unitNormal)
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		switch t.Choice(d) {
		case "x":
			t.Set(y, t.Value(x))
		case "zero":
			t.Set(y, 0)
		}
	})
	return m, d
}

func TestDecisionEVPIClosedForm(t *testing.T) {
	m, _ := xOrZero()
	res := mustRun(t, m, Options{Trials: 200_000, Seed: 1, KeepInputs: true})
	require.Equal(t, []string{"x", "zero"}, res.Choices())
	v, se, err := res.EVPI("y")
	require.NoError(t, err)
	t.Logf("EVPI %.5f ± %.5f (truth %.5f)", v, se, phi0)
	require.InDelta(t, phi0, v, 5*se)
	// EVPPI of x is EVPI: x is all there is to learn.
	info, err := res.EVPPI("y")
	require.NoError(t, err)
	require.Len(t, info, 1)
	require.Equal(t, "x", info[0].Input)
	require.InDelta(t, phi0, info[0].Value, 5*info[0].StdErr+0.005)
	p, pse, err := res.ProbBest("y")
	require.NoError(t, err)
	require.InDelta(t, 0.5, p[0], 5*pse[0])
	require.InDelta(t, 1, p[0]+p[1], 1e-12)
	// Top-level statistics are the first choice's.
	require.InDelta(t, 0, res.Output("y").Mean(), 5/math.Sqrt(200_000))
	zero, err := res.Under("zero")
	require.NoError(t, err)
	require.Equal(t, 0.0, zero.Output("y").Mean())
	require.Equal(t, 0.0, zero.Output("y").StdDev())
	same, err := res.Under("x")
	require.NoError(t, err)
	require.Same(t, res, same)
}

// Without a Decision, y = a + b against 0: EVPI = E[max(a+b, 0)] = √2·φ(0)
// = 0.56419 and EVPPI(a) = E[max(a, 0)] = φ(0).
func TestEVPIGoNoGo(t *testing.T) {
	m := NewModel()
	a := m.Input("a", unitNormal)
	b := m.Input("b", unitNormal)
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, t.Value(a)+t.Value(b)) })
	res := mustRun(t, m, Options{Trials: 200_000, Seed: 2, KeepInputs: true})
	require.Nil(t, res.Choices())
	v, se, err := res.EVPI("y")
	require.NoError(t, err)
	t.Logf("EVPI %.5f ± %.5f (truth %.5f)", v, se, math.Sqrt2*phi0)
	require.InDelta(t, math.Sqrt2*phi0, v, 5*se)
	info, err := res.EVPPI("y")
	require.NoError(t, err)
	require.Len(t, info, 2)
	require.GreaterOrEqual(t, info[0].Value, info[1].Value)
	for _, in := range info {
		t.Logf("EVPPI(%s) %.5f ± %.5f (truth %.5f)", in.Input, in.Value, in.StdErr, phi0)
		// 5 standard errors plus the binning bias measured in
		// internal/decide (under 0.005 at this size).
		require.InDelta(t, phi0, in.Value, 5*in.StdErr+0.005)
	}
	_, err = res.Under("go")
	require.ErrorContains(t, err, "no decisions")
}

func TestDecisionDifferenceOfShift(t *testing.T) {
	m := NewModel()
	d := m.Decision("plan", "base", "plus one")
	x := m.Input("x", unitNormal)
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		v := t.Value(x)
		if t.Choice(d) == "plus one" {
			v++
		}
		t.Set(y, v)
	})
	res := mustRun(t, m, Options{Trials: 10_000, Seed: 3})
	diff, err := res.Difference("y", "plus one", "base")
	require.NoError(t, err)
	require.Equal(t, "y (plus one − base)", diff.Name())
	require.Equal(t, 10_000, diff.Count())
	require.InDelta(t, 1, diff.Mean(), 1e-14)
	require.InDelta(t, 0, diff.StdDev(), 1e-14)
	p, _, err := res.ProbBest("y")
	require.NoError(t, err)
	require.Equal(t, []float64{0, 1}, p)

	_, err = res.Under("minus one")
	require.ErrorContains(t, err, `no choice "minus one"`)
	require.ErrorContains(t, err, `"base", "plus one"`)
	_, err = res.Difference("y", "base", "minus one")
	require.ErrorContains(t, err, "minus one")
	_, err = res.Difference("z", "base", "plus one")
	require.ErrorContains(t, err, `no output "z"`)
	// Without KeepInputs EVPPI reads the sensitivity sample: x is all
	// there is to learn, and knowing it changes no choice.
	info, err := res.EVPPI("y")
	require.NoError(t, err)
	require.Len(t, info, 1)
	require.InDelta(t, 0, info[0].Value, 5*info[0].StdErr+1e-12)
}

// The shift c with P(c + x < 0) = 0.1 is Φ⁻¹(0.9) = 1.28155.
func TestSeekQuantileShift(t *testing.T) {
	const n = 100_000
	build := func(c float64) (*Model, error) {
		m := NewModel()
		x := m.Input("x", unitNormal)
		y := m.Output("y")
		m.Eval(func(t *Trial) { t.Set(y, c+t.Value(x)) })
		return m, nil
	}
	runs := 0
	below := func(r *Result) float64 { runs++; return r.Output("y").ProbBelow(0) }
	opts := Options{Trials: n, Seed: 4}
	c, res, err := Seek(context.Background(), build, -5, 5, below, 0.1, opts)
	require.NoError(t, err)
	t.Logf("%d runs", runs)
	// Sampling error of the 0.1 quantile: √(p(1−p)/n)/φ(z).
	se := math.Sqrt(0.1*0.9/n) / 0.17549833193248685
	t.Logf("c = %.5f (truth 1.28155, sampling error %.5f)", c, se)
	require.InDelta(t, 1.2815515655446004, c, 5*se)
	require.InDelta(t, 0.1, below(res), 1.0/n+1e-12)

	_, _, err = Seek(context.Background(), build, 3, 5, below, 0.1, opts)
	require.ErrorContains(t, err, "not bracketed")
	require.ErrorContains(t, err, "f(lo = 3)")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = Seek(ctx, build, -5, 5, below, 0.1, opts)
	require.ErrorIs(t, err, context.Canceled)

	bad := errors.New("no such plan")
	_, _, err = Seek(context.Background(), func(float64) (*Model, error) { return nil, bad }, -5, 5, below, 0.1, opts)
	require.ErrorIs(t, err, bad)
}

// capexModel is the example: a capex plan with three options, capex
// drawn per option from one uniform, and a shock common to every plan.
func capexModel() (*Model, Decision, Input, Input) {
	m := NewModel()
	plan := m.Decision("capex plan", "guided", "aggressive", "pause")
	capex := m.InputPer(plan, "capex", distributions.Uniform{Min: 115, Max: 135},
		distributions.Uniform{Min: 135, Max: 160}, distributions.Uniform{Min: 70, Max: 90})
	demand := m.Input("demand", distributions.Normal{Mu: 1, Sigma: 0.3})
	npv := m.Output("npv")
	c := m.Output("capex used")
	m.Eval(func(t *Trial) {
		k := t.Value(capex)
		growth := 1.0
		switch t.Choice(plan) {
		case "aggressive":
			growth = 1.4
		case "pause":
			growth = 0.6
		}
		t.Set(c, k)
		t.Set(npv, 300*growth*t.Value(demand)-2*k)
	})
	return m, plan, capex, demand
}

func TestDecisionBitIdenticalWorkersAndMerge(t *testing.T) {
	m, _, _, _ := capexModel()
	base := Options{Trials: 3*BlockSize + 100, Seed: 5, KeepInputs: true}
	ref := acrossWorkers(t, func() *Model { return m }, base, sameDecisions)
	var parts []*Partial
	for b := 0; b < 4; b += 2 {
		pt, err := SimulateBlocks(context.Background(), m, base, b, 2)
		require.NoError(t, err)
		parts = append(parts, pt)
	}
	merged, err := Merge(m, base, parts)
	require.NoError(t, err)
	sameDecisions(t, ref, merged)
}

func sameDecisions(t *testing.T, a, b *Result) {
	t.Helper()
	require.Equal(t, a.Choices(), b.Choices())
	for _, c := range a.Choices() {
		ua, err := a.Under(c)
		require.NoError(t, err)
		ub, err := b.Under(c)
		require.NoError(t, err)
		for _, o := range []string{"npv", "capex used"} {
			require.Equal(t, ua.Output(o).Values(), ub.Output(o).Values(), "%s under %s", o, c)
			require.Equal(t, math.Float64bits(ua.Output(o).Mean()), math.Float64bits(ub.Output(o).Mean()))
		}
	}
	va, sa, err := a.EVPI("npv")
	require.NoError(t, err)
	vb, sb, err := b.EVPI("npv")
	require.NoError(t, err)
	require.Equal(t, [2]float64{va, sa}, [2]float64{vb, sb})
}

// Every option of an InputPer sees the same uniform: its value is at the
// same quantile of each option's distribution, under Monte Carlo, Latin
// hypercube and a correlation with another input.
func TestDecisionInputPerCommonDraws(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method Method
		rho    float64
	}{{"MonteCarlo", MonteCarlo, 0}, {"LatinHypercube", LatinHypercube, 0}, {"Correlate", MonteCarlo, 0.8}, {"LatinHypercube+Correlate", LatinHypercube, -0.6}} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, capex, demand := capexModel()
			if tc.rho != 0 {
				m.Correlate(capex, demand, tc.rho)
			}
			const n = 20_000
			res := mustRun(t, m, Options{Trials: n, Seed: 6, Method: tc.method, KeepInputs: true})
			lo := map[string][2]float64{"guided": {115, 135}, "aggressive": {135, 160}, "pause": {70, 90}}
			var u []float64
			for _, c := range res.Choices() {
				r, err := res.Under(c)
				require.NoError(t, err)
				v := r.Output("capex used").Values()
				q := make([]float64, n)
				for i, x := range v {
					q[i] = (x - lo[c][0]) / (lo[c][1] - lo[c][0])
				}
				if u == nil {
					u = q
					continue
				}
				for i := range q {
					require.InDelta(t, u[i], q[i], 1e-9, "trial %d under %s", i, c)
				}
			}
			// The stored draw is the uniform itself.
			require.InDeltaSlice(t, u, res.inputs[0], 1e-9)
			if tc.method == LatinHypercube {
				// Stratified: the mean of the uniform is 0.5 to far
				// better than Monte Carlo's 1/√(12n) = 0.002.
				require.InDelta(t, 0.5, stat.Mean(u, nil), 2e-4)
			}
			if tc.rho != 0 {
				assertSpearman(t, tc.rho, res.Output("capex used").Values(), res.inputs[1])
			}
		})
	}
}

// Common random numbers: the variance of a Difference from one run is far
// below that of the difference of two independent runs' values. For the
// capex model, aggressive − guided = 120·demand − 2·(20 + 5u) on common
// draws, variance 120²·0.09 + 100/12 = 1304.3; from independent runs
// 420²·0.09 + 4·625/12 + 300²·0.09 + 4·400/12 = 24317.7: a ratio of 0.0536.
func TestDecisionCommonRandomNumbers(t *testing.T) {
	m, _, _, _ := capexModel()
	const n = 20_000
	res := mustRun(t, m, Options{Trials: n, Seed: 7})
	diff, err := res.Difference("npv", "aggressive", "guided")
	require.NoError(t, err)
	g1, err := res.Under("guided")
	require.NoError(t, err)
	a2, err := mustRun(t, m, Options{Trials: n, Seed: 8}).Under("aggressive")
	require.NoError(t, err)
	av, gv := a2.Output("npv").Values(), g1.Output("npv").Values()
	ind := make([]float64, n)
	for i := range ind {
		ind[i] = av[i] - gv[i]
	}
	vc, vi := diff.StdDev()*diff.StdDev(), stat.Variance(ind, nil)
	t.Logf("variance of the difference: common draws %.2f, independent runs %.2f, ratio %.4f (closed form 0.0536)", vc, vi, vc/vi)
	require.InDelta(t, stat.Mean(ind, nil), diff.Mean(), 5*math.Sqrt(vi/n))
	// A sample variance of nearly normal values has relative error √(2/n).
	rel := 5 * math.Sqrt(2.0/n)
	require.InEpsilon(t, 1304.33, vc, rel)
	require.InEpsilon(t, 24317.67, vi, rel)

	// Under gives every statistic, sensitivities included.
	res = mustRun(t, m, Options{Trials: n, Seed: 7, KeepInputs: true})
	pause, err := res.Under("pause")
	require.NoError(t, err)
	sens := pause.Output("npv").Sensitivity()
	require.Len(t, sens, 2)
	require.Equal(t, "demand", sens[0].Input)
	require.Greater(t, sens[0].Spearman, 0.9)
}

func TestDecisionMisuse(t *testing.T) {
	other, od := xOrZero()
	_ = other
	m := NewModel()
	m.Decision("plan", "a", "b")
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, 0); _ = t.Choice(od) })
	_, err := Run(context.Background(), m, Options{Trials: 10})
	var te *TrialError
	require.ErrorAs(t, err, &te)
	require.ErrorContains(t, err, "Trial.Choice: decision handle")

	// A model without decisions.
	m2 := NewModel()
	y2 := m2.Output("y")
	m2.Eval(func(t *Trial) { t.Set(y2, 0); _ = t.Choice(od) })
	_, err = Run(context.Background(), m2, Options{Trials: 10})
	require.ErrorContains(t, err, "Trial.Choice")

	cases := []struct {
		name  string
		build func(m *Model)
		want  string
	}{
		{"count", func(m *Model) {
			d := m.Decision("plan", "a", "b", "c")
			m.InputPer(d, "capex", unitNormal, unitNormal)
		}, `input "capex": 2 distributions for the 3 options of decision "plan" (a, b, c)`},
		{"invalid", func(m *Model) {
			d := m.Decision("plan", "a", "b")
			m.InputPer(d, "capex", unitNormal, distributions.Uniform{Min: 2, Max: 1})
		}, `input "capex": option "b" of decision "plan": uniform`},
		{"foreign", func(m *Model) { m.InputPer(od, "capex", unitNormal, unitNormal) }, `InputPer "capex": decision handle`},
		{"no options", func(m *Model) { m.Decision("plan") }, `decision "plan": no options`},
		{"repeated", func(m *Model) { m.Decision("plan", "a", "a") }, `option "a" repeated`},
		{"slash", func(m *Model) { m.Decision("plan", "a/b") }, `contains "/"`},
		{"name", func(m *Model) { m.Input("plan", unitNormal); m.Decision("plan", "a") }, `decision "plan": name already declared`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := NewModel()
			c.build(m)
			out := m.Output("y")
			m.Eval(func(t *Trial) { t.Set(out, 0) })
			require.ErrorContains(t, m.Validate(), c.want)
			_, err := Run(context.Background(), m, Options{Trials: 10})
			require.ErrorContains(t, err, c.want)
		})
	}
}

// Several decisions: every combination, named "a/b", the last decision
// varying fastest; misuse of an output inside Eval still names the model's
// output.
func TestDecisionCombinations(t *testing.T) {
	m := NewModel()
	size := m.Decision("size", "small", "large")
	power := m.Decision("power", "contract", "grid", "own")
	y := m.Output("y")
	s := m.OutputSeries("s", 2)
	m.Eval(func(t *Trial) {
		v := 0.0
		if t.Choice(size) == "large" {
			v += 10
		}
		switch t.Choice(power) {
		case "grid":
			v++
		case "own":
			v += 2
		}
		t.Set(y, v)
		t.SetAt(s, 1, v)
	})
	res := mustRun(t, m, Options{Trials: 50, Seed: 9, Streaming: true})
	want := []string{"small/contract", "small/grid", "small/own", "large/contract", "large/grid", "large/own"}
	require.Equal(t, want, res.Choices())
	for i, c := range want {
		r, err := res.Under(c)
		require.NoError(t, err)
		require.Equal(t, []string{"y", "s"}, r.Outputs())
		require.Equal(t, float64(10*(i/3)+i%3), r.Output("y").Mean(), c)
		require.Equal(t, float64(10*(i/3)+i%3), r.Series("s")[1].Mean(), c)
		require.Equal(t, "y", r.Output("y").Name())
	}
	// Streaming compares the choices from the values streamed per trial:
	// y is certain, so the best choice (large/own) always wins, EVPI is 0.
	v, se, err := res.EVPI("y")
	require.NoError(t, err)
	require.Equal(t, [2]float64{0, 0}, [2]float64{v, se})
	p, _, err := res.ProbBest("y")
	require.NoError(t, err)
	require.Equal(t, []float64{0, 0, 0, 0, 0, 1}, p)
	for a := range want {
		for b := range want {
			diff, err := res.Difference("y", want[a], want[b])
			require.NoError(t, err)
			wd := float64(10*(a/3) + a%3 - 10*(b/3) - b%3)
			require.Equal(t, [4]float64{wd, wd, wd, 0}, [4]float64{diff.Mean(), diff.Percentile(0.05), diff.Percentile(0.95), diff.StdDev()}, "%s − %s", want[a], want[b])
			require.Equal(t, 50, diff.Count())
		}
	}
	_, err = res.Difference("s", want[1], want[0])
	require.ErrorContains(t, err, "is a series")

	m.Eval(func(t *Trial) { t.Set(s, 1) })
	_, err = Run(context.Background(), m, Options{Trials: 10})
	require.ErrorContains(t, err, `Trial.Set("s")`)
}

// Precision stops a run with decisions as it stops any run: on every
// choice's outputs, the same for any number of workers.
func TestDecisionPrecision(t *testing.T) {
	m, _, _, _ := capexModel()
	o := Options{Trials: 200 * BlockSize, Seed: 10, Precision: 0.05}
	a := mustRun(t, m, o)
	o.Workers = 3
	b := mustRun(t, m, o)
	require.Less(t, a.Trials(), 200*BlockSize)
	sameDecisions(t, a, b)
}

// SeriesPer maps every year's uniform through each option's distribution:
// the options see the same draw each year, and the years are independent.
func TestDecisionSeriesPerCommonDraws(t *testing.T) {
	for _, method := range []Method{MonteCarlo, LatinHypercube, QuasiMonteCarlo} {
		t.Run(method.String(), func(t *testing.T) {
			m := NewModel()
			d := m.Decision("plan", "low", "high")
			g := m.SeriesPer(d, "growth", 3, distributions.Uniform{Min: 0, Max: 1}, distributions.Uniform{Min: 10, Max: 12})
			y := m.OutputSeries("y", 3)
			m.Eval(func(t *Trial) {
				for k, v := range t.Values(g) {
					t.SetAt(y, k, v)
				}
			})
			const n = 8192
			res := mustRun(t, m, Options{Trials: n, Seed: 3, Method: method})
			high, err := res.Under("high")
			require.NoError(t, err)
			for k := range 3 {
				u := res.Series("y")[k].Values()
				h := high.Series("y")[k].Values()
				for i := range u {
					require.InDelta(t, 10+2*u[i], h[i], 1e-9, "year %d, trial %d", k+1, i)
				}
				// Uniform on (0, 1): mean 1/2 within 5 SE (1/√(12n)).
				require.InDelta(t, 0.5, stat.Mean(u, nil), 5/math.Sqrt(12*n))
			}
			// Years are independent draws, not one draw repeated.
			r := spearman(res.Series("y")[0].Values(), res.Series("y")[1].Values())
			require.InDelta(t, 0, r, 5/math.Sqrt(n))
		})
	}
	m := NewModel()
	m.SeriesPer(Decision(99), "g", 2, distributions.Uniform{Min: 0, Max: 1})
	require.ErrorContains(t, m.Validate(), `SeriesPer "g": decision handle 99`)
}
