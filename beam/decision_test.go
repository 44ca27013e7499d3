package beam

import (
	"context"
	"math"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// decisionModel is registered by name: a decision between three plans, an
// input drawn per plan from one uniform (InputPer), a shared input, and an
// output that is NaN under one plan in about 2 % of trials (so that the
// comparisons leave trials out).
const decisionModel = "beam-test-decision"

func buildDecisionModel() (*forecast.Model, error) {
	m := forecast.NewModel()
	plan := m.Decision("plan", "guided", "aggressive", "pause")
	capex := m.InputPer(plan, "capex", distributions.Uniform{Min: 115, Max: 135},
		distributions.Uniform{Min: 135, Max: 160}, distributions.Uniform{Min: 70, Max: 90})
	demand := m.Input("demand", distributions.Normal{Mu: 1, Sigma: 0.3})
	npv := m.Output("npv")
	path := m.OutputSeries("path", 2)
	m.Eval(func(t *forecast.Trial) {
		growth := 1.0
		switch t.Choice(plan) {
		case "aggressive":
			growth = 1.3
		case "pause":
			growth = 0.7
		}
		d := t.Value(demand)
		v := 300*growth*d - 2*t.Value(capex)
		if t.Choice(plan) == "pause" && d < 0.38 { // P ≈ 2 %
			v = math.NaN()
		}
		t.Set(npv, v)
		t.SetAt(path, 0, v/2)
		t.SetAt(path, 1, v)
	})
	return m, nil
}

func init() { forecast.Register(decisionModel, buildDecisionModel) }

// checkSameDecisions fails unless got and want agree, to the bit, on the
// choices, every choice's statistics, the differences of output between
// every pair of choices, P(best), EVPI and EVPPI.
func checkSameDecisions(t *testing.T, got, want *forecast.Result, output string) {
	t.Helper()
	choices := want.Choices()
	if len(choices) < 2 {
		t.Fatalf("want has choices %q: the check checks nothing", choices)
	}
	if g := got.Choices(); len(g) != len(choices) {
		t.Fatalf("Choices %q, want %q", g, choices)
	}
	for i, c := range choices {
		if got.Choices()[i] != c {
			t.Fatalf("Choices %q, want %q", got.Choices(), choices)
		}
		gu, wu := both(t, got, want, func(r *forecast.Result) (*forecast.Result, error) { return r.Under(c) })
		checkSame(t, gu, wu)
		for _, d := range choices {
			gd, wd := both(t, got, want, func(r *forecast.Result) (*forecast.Metric, error) { return r.Difference(output, c, d) })
			sameMetric(t, gd, wd)
		}
	}
	gp, gse, err := got.ProbBest(output)
	if err != nil {
		t.Fatal(err)
	}
	wp, wse, err := want.ProbBest(output)
	if err != nil {
		t.Fatal(err)
	}
	for i := range wp {
		if math.Float64bits(gp[i]) != math.Float64bits(wp[i]) || math.Float64bits(gse[i]) != math.Float64bits(wse[i]) {
			t.Errorf("ProbBest %v ± %v, want %v ± %v", gp, gse, wp, wse)
			break
		}
	}
	gv, gs, err := got.EVPI(output)
	if err != nil {
		t.Fatal(err)
	}
	wv, ws, err := want.EVPI(output)
	if err != nil {
		t.Fatal(err)
	}
	if math.Float64bits(gv) != math.Float64bits(wv) || math.Float64bits(gs) != math.Float64bits(ws) {
		t.Errorf("EVPI %v ± %v, want %v ± %v", gv, gs, wv, ws)
	}
	gi, wi := both(t, got, want, func(r *forecast.Result) ([]forecast.Information, error) { return r.EVPPI(output) })
	if len(gi) != len(wi) {
		t.Fatalf("EVPPI of %d inputs, want %d", len(gi), len(wi))
	}
	for i := range wi {
		if gi[i] != wi[i] {
			t.Errorf("EVPPI[%d] = %+v, want %+v", i, gi[i], wi[i])
		}
	}
}

// both returns f of got and of want, failing the test on an error.
func both[T any](t *testing.T, got, want *forecast.Result, f func(*forecast.Result) (T, error)) (T, T) {
	t.Helper()
	g, err := f(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f(want)
	if err != nil {
		t.Fatal(err)
	}
	return g, w
}

// sameMetric fails unless got and want agree on Count, Invalid, the
// percentiles, Mean, StdDev, Min and Max, to the bit.
func sameMetric(t *testing.T, got, want *forecast.Metric) {
	t.Helper()
	if got.Name() != want.Name() || got.Count() != want.Count() || got.Invalid() != want.Invalid() {
		t.Errorf("%s: Count %d Invalid %d, want %s: %d %d", got.Name(), got.Count(), got.Invalid(), want.Name(), want.Count(), want.Invalid())
	}
	g := append(got.Percentiles(0.05, 0.5, 0.95), got.Mean(), got.StdDev(), got.Min(), got.Max())
	w := append(want.Percentiles(0.05, 0.5, 0.95), want.Mean(), want.StdDev(), want.Min(), want.Max())
	for i := range w {
		if math.Float64bits(g[i]) != math.Float64bits(w[i]) {
			t.Errorf("%s: P5, P50, P95, Mean, StdDev, Min, Max = %v, want %v", want.Name(), g, w)
			return
		}
	}
}

// TestDecisionModelEqualsLocal runs a registered model with decisions
// through the pipeline, exact (with KeepInputs: EVPPI from every trial) and
// streaming (the comparisons streamed per trial), and requires the local
// run's every figure.
func TestDecisionModelEqualsLocal(t *testing.T) {
	m, err := buildDecisionModel()
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []forecast.Options{
		{Trials: trials, Seed: 11, KeepInputs: true},
		{Trials: trials + 321, Seed: 11, Method: forecast.LatinHypercube}, // a short last block
		{Trials: trials, Seed: 11, Streaming: true},
	} {
		want, err := forecast.Run(context.Background(), m, opts)
		if err != nil {
			t.Fatal(err)
		}
		u, err := want.Under("pause")
		if err != nil {
			t.Fatal(err)
		}
		if u.Output("npv").Invalid() == 0 {
			t.Fatal("no invalid trial under pause: the comparisons leave nothing out")
		}
		checkSameDecisions(t, runBeam(t, Spec{Model: decisionModel, BlocksPerElement: 7}, opts), want, "npv")
	}
}

// TestPlansScenarioEqualsLocal runs the built-in scenario with plans
// through the pipeline, exact and streaming.
func TestPlansScenarioEqualsLocal(t *testing.T) {
	s := scenario.Meta2026Plans()
	spec, err := ScenarioSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	spec.BlocksPerElement = 3
	for _, streaming := range []bool{false, true} {
		opts := forecast.Options{Trials: 10_000, Seed: 7, Streaming: streaming}
		want, err := s.Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		checkSameDecisions(t, runBeam(t, spec, opts), want, scenario.OutNPV)
	}
}
