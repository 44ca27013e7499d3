package forecast_test

import (
	"context"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// First-order indices from a run's own trials, valid with correlated
// inputs (where SobolIndices refuses): the bid never enters the margin, but
// it moves with the cost and so explains a share of the margin's variance.
func ExampleMetric_FirstOrder() {
	m := forecast.NewModel()
	cost := m.Input("cost", distributions.Normal{Mu: 100, Sigma: 10})
	bid := m.Input("bid", distributions.Normal{Mu: 120, Sigma: 5})
	demand := m.Input("demand", distributions.Uniform{Min: 0.8, Max: 1.2})
	m.Correlate(cost, bid, 0.5)
	margin := m.Output("margin")
	m.Eval(func(t *forecast.Trial) { t.Set(margin, (130-t.Value(cost))*t.Value(demand)) })
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 1 << 16, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fo, err := res.Output("margin").FirstOrder()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fo {
		fmt.Printf("%-6s η² %.3f ± %.3f\n", f.Label(), f.Value, f.StdErr)
	}
	// The bid's η² is r²·0.881 with r = 2 sin(π·0.5/6), the Pearson
	// correlation of the copula's normal scores: 0.236.

	// Output:
	// cost   η² 0.881 ± 0.001
	// bid    η² 0.233 ± 0.003
	// demand η² 0.106 ± 0.002
}
