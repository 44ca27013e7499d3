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

// withPlanChanges is Meta2026Plans with a series field and events changed
// by plans, every form the file allows.
func withPlanChanges() *Scenario {
	s := Meta2026Plans()
	s.Plans[1].Set["revenue_growth"] = distributions.Normal{Mu: 0.22, Sigma: 0.07}
	s.Plans[1].Events = []Event{{Name: "acquisition", Probability: 0.5, Cost: distributions.CI90(2, 20)}}
	s.Plans[2].Events = []Event{{Name: "regulatory fine", Probability: 0}, {Name: "acquisition", Probability: 0.2, Cost: distributions.Uniform{Min: 1, Max: 8}}}
	s.Plans[0].Events = []Event{{Name: "regulatory fine", Probability: 0.3}}
	return s
}

func TestPlansRoundTrip(t *testing.T) {
	for _, s := range []*Scenario{Meta2026Plans(), withPlanChanges()} {
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
			require.Equal(t, len(s.Plans[i].Events), len(got.Plans[i].Events), s.Plans[i].Name)
			for j, e := range s.Plans[i].Events {
				g := got.Plans[i].Events[j]
				require.Equal(t, e.Name, g.Name)
				require.Equal(t, e.Probability, g.Probability)
				require.Equal(t, e.Cost == nil, g.Cost == nil, e.Name)
				if e.Cost != nil {
					require.Equal(t, e.Cost.String(), g.Cost.String(), e.Name)
				}
			}
		}
	}
}

// TestPlanEventsValidate: Validate reports a plan's bad events by key path
// (the Go side of the file errors).
func TestPlanEventsValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		ev   Event
		want string
	}{
		{"unknown", Event{Name: "merger", Probability: 0.1}, `plans[1].events[0].name: "merger" is not an event of the scenario`},
		{"empty name", Event{Probability: 0.1}, "plans[1].events[0].name: missing or empty"},
		{"probability", Event{Name: "acquisition", Probability: math.NaN()}, "plans[1].events[0].probability: NaN, want a value in [0, 1]"},
		{"cost", Event{Name: "acquisition", Probability: 0.1, Cost: distributions.Constant{Value: -1}}, "plans[1].events[0].cost: -1: value -1 out of range, want ≥ 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Meta2026Plans()
			s.Plans[1].Events = []Event{c.ev}
			err := s.Validate()
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
		})
	}
	s := Meta2026()
	s.Events = nil
	s.Plans = []Plan{{Name: "a"}, {Name: "b", Events: []Event{{Name: "acquisition", Probability: 0.1}}}}
	require.ErrorContains(t, s.Validate(), "(the scenario has none)")
}

// constScenario is a one-event scenario with every input constant but
// revenue growth, so that plan differences are exact.
func constScenario() *Scenario {
	c := func(v float64) distributions.Dist { return distributions.Constant{Value: v} }
	return &Scenario{
		Name: "const", BaseYear: 2025, Horizon: 4,
		Capex: c(10), CapexGrowth: c(0), Revenue: c(100), RevenueGrowth: distributions.Normal{Mu: 0.1, Sigma: 0.05},
		OperatingMargin: c(0.3), PowerGW: c(1), PowerGrowth: c(0), PUE: c(1.1),
		EnergyPrice: c(80), DepreciationLife: c(5), DiscountRate: c(0.08),
		Events: []Event{{Name: "fine", Probability: 0.3, Cost: c(2)}},
	}
}

// TestPlanSeriesField: a plan that shifts revenue growth by δ = 0.05 sees
// the same uniform each year as the baseline (common random numbers). With
// margin 0.3, no tax and everything else equal, the first year's free cash
// flow is higher by exactly 0.3 × 100 × δ = 1.5 in every trial; over two
// years by 0.3 × (100δ + 100((1+g₁+δ)(1+g₂+δ) − (1+g₁)(1+g₂))), more than
// 1.5 in every trial, with mean 0.3 × (5 + 100(2δ(1+μ) + δ²)) = 4.875 for
// μ = 0.1 (the years independent).
func TestPlanSeriesField(t *testing.T) {
	for _, c := range []struct {
		horizon int
		check   func(d *forecast.Metric)
	}{
		{1, func(d *forecast.Metric) {
			require.InDelta(t, 1.5, d.Min(), 1e-9)
			require.InDelta(t, 1.5, d.Max(), 1e-9)
		}},
		{2, func(d *forecast.Metric) {
			require.InDelta(t, 4.875, d.Mean(), 5*d.StdErr())
			require.Greater(t, d.Min(), 1.5, "a faster plan grows faster in every trial")
		}},
	} {
		s := constScenario()
		s.Horizon = c.horizon
		s.Plans = []Plan{{Name: "base"}, {Name: "faster", Set: map[string]distributions.Dist{
			"revenue_growth": distributions.Normal{Mu: 0.15, Sigma: 0.05}}}}
		res, err := s.Run(context.Background(), forecast.Options{Trials: 2000, Seed: 3})
		require.NoError(t, err)
		d, err := res.Difference(OutCumulativeFCF, "faster", "base")
		require.NoError(t, err)
		c.check(d)
	}
}

// TestPlanEvents: changing an event's probability and cost by plan, on the
// same yearly draws: an event at probability 1 against one removed differs
// by its cost every year; a plan with a higher probability has the event in
// every year the baseline has it (the difference is never positive); a
// plan that changes only the cost keeps the scenario's probability.
func TestPlanEvents(t *testing.T) {
	s := constScenario()
	s.Plans = []Plan{
		{Name: "base"},
		{Name: "always", Events: []Event{{Name: "fine", Probability: 1}}},
		{Name: "never", Events: []Event{{Name: "fine", Probability: 0}}},
		{Name: "likelier", Events: []Event{{Name: "fine", Probability: 0.6}}},
		{Name: "dearer", Events: []Event{{Name: "fine", Probability: 0.3, Cost: distributions.Constant{Value: 5}}}},
	}
	const n = 4000
	res, err := s.Run(context.Background(), forecast.Options{Trials: n, Seed: 11})
	require.NoError(t, err)
	h := float64(s.Horizon)
	diff := func(a, b string) *forecast.Metric {
		d, err := res.Difference(OutCumulativeFCF, a, b)
		require.NoError(t, err)
		return d
	}
	d := diff("never", "always")
	require.InDelta(t, 2*h, d.Min(), 1e-9)
	require.InDelta(t, 2*h, d.Max(), 1e-9)

	// Nested occurrences: likelier − base = −2 × #(years with u in the
	// band where only the likelier plan has the event) ≤ 0, mean −2·h·0.3.
	d = diff("likelier", "base")
	require.LessOrEqual(t, d.Max(), 0.0)
	require.InDelta(t, -2*h*0.3, d.Mean(), 5*d.StdErr())

	// Same occurrences, cost 5 instead of 2: −3 per occurrence, so the
	// difference is a multiple of 3, with mean −3·h·0.3.
	d = diff("dearer", "base")
	require.InDelta(t, -3*h*0.3, d.Mean(), 5*d.StdErr())
	for _, q := range d.Percentiles(0.1, 0.5, 0.9) {
		require.InDelta(t, 0, math.Remainder(q, 3), 1e-9, "a difference of %v is not a whole number of occurrences", q)
	}
	// The baseline has the event at the scenario's probability.
	base, err := res.Under("base")
	require.NoError(t, err)
	never, err := res.Under("never")
	require.NoError(t, err)
	require.InDelta(t, 2*h*0.3, never.Output(OutCumulativeFCF).Mean()-base.Output(OutCumulativeFCF).Mean(),
		5*diff("never", "base").StdErr())
}

func TestPlansFileErrors(t *testing.T) {
	for _, c := range []struct{ name, plans, want string }{
		{"unknown field", "plans:\n  - name: a\n  - name: b\n    capx: 3\n", "plans[1].capx: unknown key"},
		{"series field out of range", "plans:\n  - name: a\n  - name: b\n    revenue_growth: -2\n", "plans[1].revenue_growth: -2: value -2 out of range"},
		{"unknown event", "plans:\n  - name: a\n  - name: b\n    events:\n      - {name: merger, probability: 0.1}\n",
			`plans[1].events[0].name: "merger" is not an event of the scenario (the scenario's: "acquisition", "regulatory fine"); to add an event under some plans only, list it under events with probability 0`},
		{"repeated event", "plans:\n  - name: a\n  - name: b\n    events:\n      - {name: acquisition, probability: 0.1}\n      - {name: acquisition, probability: 0.2}\n",
			`plans[1].events[1].name: "acquisition" repeats an event this plan already changes`},
		{"event without probability", "plans:\n  - name: a\n  - name: b\n    events:\n      - {name: acquisition, cost: 3}\n", "plans[1].events[0].probability: missing"},
		{"event without name", "plans:\n  - name: a\n  - name: b\n    events:\n      - {probability: 0.3}\n", "plans[1].events[0].name: missing"},
		{"event probability", "plans:\n  - name: a\n  - name: b\n    events:\n      - {name: acquisition, probability: 1.5}\n", "plans[1].events[0].probability: 1.5, want a value in [0, 1]"},
		{"event probability text", "plans:\n  - name: a\n  - name: b\n    events:\n      - {name: acquisition, probability: often}\n", `plans[1].events[0].probability: want a number, got "often"`},
		{"event cost", "plans:\n  - name: a\n  - name: b\n    events:\n      - {name: acquisition, probability: 0.1, cost: \"normal(0, 1)\"}\n", "plans[1].events[0].cost: normal(0, 1): values from"},
		{"event unknown key", "plans:\n  - name: a\n  - name: b\n    events:\n      - {name: acquisition, probability: 0.1, when: 2027}\n", "plans[1].events[0].when: unknown key (known keys: name, probability, cost)"},
		{"events not a list", "plans:\n  - name: a\n  - name: b\n    events: acquisition\n", "plans[1].events: want a list"},
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
// is Meta2026 with the plans' capacity link and terminal value (within
// sampling error).
func TestMeta2026PlansRun(t *testing.T) {
	s := Meta2026Plans()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 1000, Seed: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"guided", "aggressive", "pause"}, res.Choices())
	guided := Meta2026()
	guided.RevenuePerCapex, guided.RevenuePerCapexChange = s.RevenuePerCapex, s.RevenuePerCapexChange
	guided.TerminalValue = s.TerminalValue
	plain, err := guided.Run(context.Background(), forecast.Options{Trials: 1000, Seed: 2})
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

// TestMeta2026PlansTradeOff: with the capacity link, no built-in plan wins
// (nearly) every trial: the largest P(best) of npv and of cumulative free
// cash flow is below 0.999, and the pause, the cheapest plan, loses
// revenue in most trials. Without the link the pause wins every trial
// (P(best) = 1, since capex then buys nothing).
//
// The terminal value decides the npv: with the book value at the horizon
// no plan is best on npv in nine trials of ten (measured at 100 000
// trials: guided 0.468, aggressive 0.025, pause 0.507), while without it
// the pause is (0.955), its capex saved in 2028–2030 counted in full and
// the earnings it forgoes mostly after the horizon. Cumulative free cash
// flow, cash only, favours the pause either way (0.932). 20 000 trials: a
// P(best) near 0.95 has a standard error of 0.0015, near 0.5 of 0.0035.
func TestMeta2026PlansTradeOff(t *testing.T) {
	opts := forecast.Options{Trials: 20_000, Seed: 1}
	res, err := Meta2026Plans().Run(context.Background(), opts)
	require.NoError(t, err)
	for _, o := range []string{OutNPV, OutCumulativeFCF} {
		p, _, err := res.ProbBest(o)
		require.NoError(t, err)
		for i, c := range res.Choices() {
			require.Less(t, p[i], 0.999, "%s: P(%s best)", o, c)
		}
		v, se, err := res.EVPI(o)
		require.NoError(t, err)
		require.Greater(t, v, 5*se, "%s: EVPI", o)
	}
	pb, _, err := res.ProbBest(OutNPV)
	require.NoError(t, err)
	for i, c := range res.Choices() {
		require.Less(t, pb[i], 0.9, "npv with the book terminal value: P(%s best)", c)
	}
	cash := Meta2026Plans()
	cash.TerminalValue = TerminalValue{}
	res0, err := cash.Run(context.Background(), opts)
	require.NoError(t, err)
	pb, _, err = res0.ProbBest(OutNPV)
	require.NoError(t, err)
	require.Greater(t, pb[2], 0.9, "npv without a terminal value: P(pause best)")
	guided, err := res.Under("guided")
	require.NoError(t, err)
	pause, err := res.Under("pause")
	require.NoError(t, err)
	g, p := guided.Series(OutRevenue), pause.Series(OutRevenue)
	last := len(g) - 1
	require.Less(t, p[last].Mean()+5*math.Hypot(p[last].StdErr(), g[last].StdErr()), g[last].Mean(), "the pause serves less revenue")

	s := Meta2026Plans()
	s.RevenuePerCapex, s.RevenuePerCapexChange = nil, nil
	res, err = s.Run(context.Background(), opts)
	require.NoError(t, err)
	pb, _, err = res.ProbBest(OutNPV)
	require.NoError(t, err)
	require.Equal(t, []float64{0, 0, 1}, pb, "without the link capex buys nothing")
}

// TestPlansEvalDoesNotAllocate: the built-in plans with a series field and
// events changed by plans, and the capacity link, evaluate without
// allocating per trial (as TestEvalDoesNotAllocate, three evaluations a
// trial).
func TestPlansEvalDoesNotAllocate(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	requireEvalDoesNotAllocate(t, withPlanChanges())
}

// TestSortedKeys: the keys a plan sets come in the field table's order,
// then the unknown ones by name, whatever the map's order.
func TestSortedKeys(t *testing.T) {
	set := map[string]distributions.Dist{"zeta": nil, "pue": nil, "capex": nil, "alpha": nil, "heat_price": nil, "mid": nil}
	want := []string{"capex", "pue", "heat_price", "alpha", "mid", "zeta"}
	for range 20 { // map iteration order varies from run to run
		require.Equal(t, want, sortedKeys(set))
	}
}
