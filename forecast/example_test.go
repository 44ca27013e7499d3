package forecast_test

import (
	"context"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// A five-year cash model: a capex band, revenue growing by an uncertain rate
// each year, and the free cash flow per year and in total.
func ExampleRun() {
	m := forecast.NewModel()
	capex := m.Input("capex", distributions.Uniform{Min: 115, Max: 135})
	growth := m.Series("revenue growth", distributions.Normal{Mu: 0.18, Sigma: 0.06}, 5)
	fcf := m.OutputSeries("free cash flow", 5)
	total := m.Output("cumulative free cash flow")
	m.Eval(func(t *forecast.Trial) {
		revenue, sum := 201.0, 0.0
		for year, g := range t.Values(growth) {
			revenue *= 1 + g
			v := 0.4*revenue - t.Value(capex)
			t.SetAt(fcf, year, v)
			sum += v
		}
		t.Set(total, sum)
	})

	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 200_000, Seed: 42})
	if err != nil {
		fmt.Println(err)
		return
	}
	cum := res.Output("cumulative free cash flow")
	lo, hi := cum.PercentileCI(0.05, 0.95)
	fmt.Printf("trials %d\n", res.Trials())
	fmt.Printf("P5 %.1f (95%% CI %.1f to %.1f)\n", cum.Percentile(0.05), lo, hi)
	fmt.Printf("P50 %.1f, P95 %.1f\n", cum.Percentile(0.5), cum.Percentile(0.95))
	fmt.Printf("P(total < 0) = %.3f\n", cum.ProbBelow(0))
	for _, y := range res.Series("free cash flow") {
		fmt.Printf("year %d median %.1f\n", y.Year(), y.Percentile(0.5))
	}
	// Output:
	// trials 200000
	// P5 -46.3 (95% CI -46.8 to -45.8)
	// P50 52.2, P95 158.4
	// P(total < 0) = 0.197
	// year 1 median -30.2
	// year 2 median -13.2
	// year 3 median 6.8
	// year 4 median 30.3
	// year 5 median 58.0
}

// Run with a precision target instead of a fixed number of trials.
func ExampleOptions_precision() {
	m := forecast.NewModel()
	x := m.Input("x", distributions.Normal{Mu: 100, Sigma: 15})
	y := m.Output("y")
	m.Eval(func(t *forecast.Trial) { t.Set(y, t.Value(x)) })
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 10_000_000, Seed: 1, Precision: 0.02})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stopped after", res.Trials(), "trials")
	// Output:
	// stopped after 55296 trials
}

// Correlated inputs and the tornado of rank correlations.
func ExampleMetric_Sensitivity() {
	m := forecast.NewModel()
	price := m.Input("energy price", distributions.LogNormal{Mu: 4.38, Sigma: 0.25})
	power := m.Input("power", distributions.Triangular{Min: 2, Mode: 4, Max: 8})
	m.Correlate(price, power, 0.3)
	cost := m.Output("energy cost")
	m.Eval(func(t *forecast.Trial) { t.Set(cost, t.Value(price)*t.Value(power)*8.76e-3) })
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 100_000, Seed: 7, KeepInputs: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Output("energy cost").Sensitivity() {
		fmt.Printf("%-12s rank correlation %.2f, contribution %.0f%%\n", s.Label(), s.Spearman, 100*s.Contribution)
	}
	// Output:
	// power        rank correlation 0.83, contribution 54%
	// energy price rank correlation 0.77, contribution 46%
}
