package scenario

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// plansFile is the built-in scenario as YAML with the given plans appended.
func plansFile(t *testing.T, plans string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, Meta2026().WriteYAML(&b))
	return b.String() + plans
}

func TestPlansRoundTrip(t *testing.T) {
	s := Meta2026Plans()
	var b bytes.Buffer
	require.NoError(t, s.WriteYAML(&b))
	got, err := Load(&b)
	require.NoError(t, err)
	require.Equal(t, s.PlanNames(), got.PlanNames())
	for i := range s.Plans {
		require.Equal(t, len(s.Plans[i].Set), len(got.Plans[i].Set), s.Plans[i].Name)
		for k, d := range s.Plans[i].Set {
			require.Equal(t, d.String(), got.Plans[i].Set[k].String(), k)
		}
	}
}

func TestPlansFileErrors(t *testing.T) {
	for _, c := range []struct{ name, plans, want string }{
		{"unknown field", "plans:\n  - name: a\n  - name: b\n    capx: 3\n", "plans[1].capx: unknown key"},
		{"series field", "plans:\n  - name: a\n  - name: b\n    revenue_growth: 0.1\n", "plans[1].revenue_growth: revenue_growth is a series field"},
		{"duplicate", "plans:\n  - name: a\n  - name: a\n", `plans[1].name: "a" repeats`},
		{"empty name", "plans:\n  - name: \"\"\n  - name: b\n", "plans[0].name: missing or empty"},
		{"no name", "plans:\n  - name: a\n  - capex: 3\n", "plans[1].name: missing"},
		{"one plan", "plans:\n  - name: a\n", "plans: one plan"},
		{"out of range", "plans:\n  - name: a\n  - name: b\n    capex: -5\n", "plans[1].capex: "},
		{"bad dist", "plans:\n  - name: a\n  - name: b\n    capex: uniform(9, 1)\n", "plans[1].capex: uniform"},
		{"slash", "plans:\n  - name: a/b\n  - name: b\n", `contains "/"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := plansFile(t, c.plans)
			_, err := Load(strings.NewReader(text))
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
			var fe *FileError
			require.ErrorAs(t, err, &fe)
			require.Greater(t, fe.Line, strings.Count(text, "\n")-strings.Count(c.plans, "\n"), "the line is in the plans: %v", err)
		})
	}
}

func TestPlansUnsetOptionalField(t *testing.T) {
	s := Meta2026()
	s.HeatPrice = nil
	s.Plans = []Plan{{Name: "a"}, {Name: "b", Set: map[string]distributions.Dist{"heat_price": distributions.Constant{Value: 3}}}}
	err := s.Validate()
	require.Error(t, err)
	require.Contains(t, err.Error(), "plans[1].heat_price: set by a plan but not by the scenario")
}

// TestPlanConstantCapexDifference: two plans whose first-year capex are the
// constants 100 and 110, with no capex growth and no tax, differ in
// cumulative free cash flow by exactly −10 × horizon in every trial, and
// the baseline's statistics are the scenario's without plans within
// sampling error.
func TestPlanConstantCapexDifference(t *testing.T) {
	s := Meta2026()
	s.TaxRate = distributions.Constant{Value: 0}
	s.CapexGrowth = distributions.Constant{Value: 0}
	s.Capex = distributions.Constant{Value: 100}
	base, err := s.Run(context.Background(), forecast.Options{Trials: 2000, Seed: 5})
	require.NoError(t, err)
	s.Plans = []Plan{{Name: "base"}, {Name: "more", Set: map[string]distributions.Dist{"capex": distributions.Constant{Value: 110}}}}
	res, err := s.Run(context.Background(), forecast.Options{Trials: 2000, Seed: 5})
	require.NoError(t, err)
	require.Equal(t, []string{"base", "more"}, res.Choices())
	d, err := res.Difference(OutCumulativeFCF, "more", "base")
	require.NoError(t, err)
	want := -10.0 * float64(s.Horizon)
	require.InDelta(t, want, d.Mean(), 1e-9)
	require.InDelta(t, want, d.Min(), 1e-9)
	require.InDelta(t, want, d.Max(), 1e-9)
	// The baseline agrees with the run without plans within sampling error
	// (the engine draws an InputPer from its own stream, so not bit for bit).
	bm, rm := base.Output(OutCumulativeFCF), res.Output(OutCumulativeFCF)
	require.InDelta(t, bm.Mean(), rm.Mean(), 5*math.Hypot(bm.StdErr(), rm.StdErr()))
	p, _, err := res.ProbBest(OutCumulativeFCF)
	require.NoError(t, err)
	require.Equal(t, []float64{1, 0}, p)
	v, _, err := res.EVPI(OutCumulativeFCF)
	require.NoError(t, err)
	require.False(t, math.Abs(v) > 1e-9, "EVPI %v of a dominated plan", v)
}

// TestMeta2026PlansRun: the built-in plans run, in order, and the baseline
// is Meta2026 (within sampling error).
func TestMeta2026PlansRun(t *testing.T) {
	s := Meta2026Plans()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 1000, Seed: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"guided", "aggressive", "pause"}, res.Choices())
	plain, err := Meta2026().Run(context.Background(), forecast.Options{Trials: 1000, Seed: 2})
	require.NoError(t, err)
	pm, rm := plain.Output(OutNPV), res.Output(OutNPV)
	require.InDelta(t, pm.Mean(), rm.Mean(), 5*math.Hypot(pm.StdErr(), rm.StdErr()), "the guided plan is Meta2026")
}

// TestPlansWorkersAndLHS: the plans' comparison is bit-identical whatever
// Workers is, under Monte Carlo and Latin hypercube sampling.
func TestPlansWorkersAndLHS(t *testing.T) {
	for _, method := range []forecast.Method{forecast.MonteCarlo, forecast.LatinHypercube} {
		var want []float64
		for _, w := range []int{1, 3} {
			res, err := Meta2026Plans().Run(context.Background(), forecast.Options{Trials: 3000, Seed: 9, Workers: w, Method: method})
			require.NoError(t, err)
			d, err := res.Difference(OutNPV, "aggressive", "guided")
			require.NoError(t, err)
			p, _, err := res.ProbBest(OutCumulativeFCF)
			require.NoError(t, err)
			got := append([]float64{d.Mean(), d.StdDev()}, p...)
			if want == nil {
				want = got
				continue
			}
			require.Equal(t, want, got, "%v, workers %d", method, w)
		}
	}
}
