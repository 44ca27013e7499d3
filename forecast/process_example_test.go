package forecast_test

import (
	"context"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/processes"
)

// Persistent revenue growth, a mean-reverting energy price and joint
// extremes: the five-year total's band widens with the autocorrelation.
func ExampleModel_Process() {
	build := func(persist bool) *forecast.Model {
		m := forecast.NewModel()
		growth := m.Series("revenue growth", distributions.PERT{Min: 0.05, Mode: 0.15, Max: 0.25}, 5)
		price := m.Process("energy price", processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}, 5)
		if persist {
			m.Autocorrelate(growth, 0.6)
			m.Correlate(growth, price, -0.3)
			m.StudentCopula(4)
		}
		total := m.Output("five-year margin")
		m.Eval(func(t *forecast.Trial) {
			revenue, sum := 200.0, 0.0
			for y, g := range t.Values(growth) {
				revenue *= 1 + g
				sum += 0.4*revenue - t.Values(price)[y]
			}
			t.Set(total, sum)
		})
		return m
	}
	for _, persist := range []bool{false, true} {
		res, err := forecast.Run(context.Background(), build(persist), forecast.Options{Trials: 100_000, Seed: 7})
		if err != nil {
			fmt.Println(err)
			return
		}
		o := res.Output("five-year margin")
		fmt.Printf("persistent %v: P5 %.0f, P95 %.0f\n", persist, o.Percentile(0.05), o.Percentile(0.95))
	}
	// Output:
	// persistent false: P5 141, P95 336
	// persistent true: P5 114, P95 370
}
