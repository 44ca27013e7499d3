package forecast_test

import (
	"context"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// Compare three capex plans on the same draws, ask how often each is best,
// what perfect information would be worth and which uncertainty to resolve
// first.
func ExampleModel_Decision() {
	m := forecast.NewModel()
	plan := m.Decision("capex plan", "guided", "aggressive", "pause")
	capex := m.InputPer(plan, "capex", distributions.Uniform{Min: 115, Max: 135},
		distributions.Uniform{Min: 135, Max: 160}, distributions.Uniform{Min: 70, Max: 90})
	demand := m.Input("demand", distributions.Normal{Mu: 1, Sigma: 0.3})
	npv := m.Output("npv")
	m.Eval(func(t *forecast.Trial) {
		growth := 1.0
		switch t.Choice(plan) {
		case "aggressive":
			growth = 1.4
		case "pause":
			growth = 0.6
		}
		t.Set(npv, 300*growth*t.Value(demand)-2*t.Value(capex))
	})
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 20_000, Seed: 1, KeepInputs: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _, _ := res.ProbBest("npv")
	for i, c := range res.Choices() {
		u, _ := res.Under(c)
		fmt.Printf("%-10s mean NPV %4.0f  P(best) %.2f\n", c, u.Output("npv").Mean(), p[i])
	}
	d, _ := res.Difference("npv", "aggressive", "guided")
	fmt.Printf("aggressive − guided: mean %.0f, P(> 0) %.2f\n", d.Mean(), d.ProbAbove(0))
	evpi, se, _ := res.EVPI("npv")
	fmt.Printf("EVPI %.1f ± %.1f\n", evpi, se)
	info, _ := res.EVPPI("npv")
	fmt.Printf("learn first: %s\n", info[0].Input)
	// Output:
	// guided     mean NPV   49  P(best) 0.00
	// aggressive mean NPV  124  P(best) 0.93
	// pause      mean NPV   20  P(best) 0.07
	// aggressive − guided: mean 75, P(> 0) 0.98
	// EVPI 2.4 ± 0.1
	// learn first: demand
}

// Find the capex at which the chance of a negative cash flow is 10 %.
func ExampleSeek() {
	build := func(capex float64) (*forecast.Model, error) {
		m := forecast.NewModel()
		revenue := m.Input("revenue", distributions.Normal{Mu: 200, Sigma: 40})
		cash := m.Output("cash flow")
		m.Eval(func(t *forecast.Trial) { t.Set(cash, t.Value(revenue)-capex) })
		return m, nil
	}
	negative := func(r *forecast.Result) float64 { return r.Output("cash flow").ProbBelow(0) }
	capex, _, err := forecast.Seek(context.Background(), build, 0, 300, negative, 0.10, forecast.Options{Trials: 100_000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("capex %.0f (closed form 200 − 1.2816·40 = 149)\n", capex)
	// Output:
	// capex 149 (closed form 200 − 1.2816·40 = 149)
}

// Compare plans in a streaming run of many trials: the comparisons are
// computed per trial while the run streams, for the outputs named by
// Compare; EVPPI reads the first SensitivitySample trials.
func ExampleModel_Compare() {
	m := forecast.NewModel()
	plan := m.Decision("capex plan", "guided", "aggressive")
	capex := m.InputPer(plan, "capex", distributions.Uniform{Min: 115, Max: 135},
		distributions.Uniform{Min: 135, Max: 160})
	demand := m.Input("demand", distributions.Normal{Mu: 1, Sigma: 0.3})
	npv := m.Output("npv")
	spent := m.Output("capex spent")
	m.Eval(func(t *forecast.Trial) {
		growth := 1.0
		if t.Choice(plan) == "aggressive" {
			growth = 1.25
		}
		k := t.Value(capex)
		t.Set(spent, k)
		t.Set(npv, 300*growth*t.Value(demand)-2*k)
	})
	m.Compare("npv") // not "capex spent": no one decides on it
	opts := forecast.Options{Trials: 1_000_000, Seed: 1, Streaming: true}
	res, err := forecast.Run(context.Background(), m, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := res.Difference("npv", "aggressive", "guided")
	fmt.Printf("aggressive − guided: mean %.1f, P5 %.0f, P(> 0) %.2f\n", d.Mean(), d.Percentile(0.05), d.ProbAbove(0))
	p, _, _ := res.ProbBest("npv")
	fmt.Printf("P(best) %.2f %.2f\n", p[0], p[1])
	evpi, se, _ := res.EVPI("npv")
	fmt.Printf("EVPI %.3f ± %.3f\n", evpi, se)
	info, _ := res.EVPPI("npv")
	fmt.Printf("learn first: %s\n", info[0].Input)
	// Output:
	// aggressive − guided: mean 30.0, P5 -7, P(> 0) 0.91
	// P(best) 0.09 0.91
	// EVPI 0.992 ± 0.004
	// learn first: demand
}
