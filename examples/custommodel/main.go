// Command custommodel builds a Monte Carlo model of its own with the
// forecast API — no scenario package: a single data-centre project with a
// build-cost band, a utilisation drawn afresh each year and a per-year cash
// flow — and prints percentiles with their 95 % confidence intervals.
//
//	go run ./examples/custommodel -trials 200000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

const years = 5

func main() {
	trials := flag.Int("trials", 200_000, "number of trials")
	flag.Parse()
	if err := run(os.Stdout, *trials); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, trials int) error {
	m := forecast.NewModel()
	// Inputs: a band, a per-year series and two scalars ($M, fractions).
	build := m.Input("build cost", distributions.Uniform{Min: 900, Max: 1100})                 // $M, paid up front
	util := m.Series("utilisation", distributions.PERT{Min: 0.5, Mode: 0.8, Max: 0.95}, years) // one draw a year
	rent := m.Input("rent at full use", distributions.CI90(350, 480))                          // $M a year, 90 % interval
	opex := m.Input("operating cost", distributions.Normal{Mu: 60, Sigma: 8})                  // $M a year
	m.Correlate(build, rent, 0.4)                                                              // bigger builds command higher rents

	// Outputs: a per-year series and a total.
	cash := m.OutputSeries("cash flow", years)
	npv := m.Output("npv at 8%")

	m.Eval(func(t *forecast.Trial) { // called concurrently: touch only t
		total, disc := -t.Value(build), 1.0
		for y, u := range t.Values(util) {
			cf := u*t.Value(rent) - t.Value(opex)
			disc *= 1.08
			total += cf / disc
			t.SetAt(cash, y, cf)
		}
		t.Set(npv, total)
	})

	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: trials, Seed: 1, KeepInputs: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d trials in %v; $M, percentile [95 %% confidence interval]\n", res.Trials(), res.Elapsed().Round(time.Millisecond))
	show := func(label string, met *forecast.Metric) {
		fmt.Fprintf(w, "%-12s", label)
		for _, p := range []float64{0.05, 0.5, 0.95} {
			lo, hi := met.PercentileCI(p, 0.95)
			fmt.Fprintf(w, "  P%-2.0f %7.1f [%7.1f, %7.1f]", 100*p, met.Percentile(p), lo, hi)
		}
		fmt.Fprintln(w)
	}
	for y, met := range res.Series("cash flow") {
		show(fmt.Sprintf("cash year %d", y+1), met)
	}
	show("npv", res.Output("npv at 8%"))
	fmt.Fprintf(w, "P(npv < 0) = %.3f\n", res.Output("npv at 8%").ProbBelow(0))
	for _, s := range res.Output("npv at 8%").Sensitivity()[:3] {
		fmt.Fprintf(w, "driver: %-18s spearman %+.2f\n", s.Label(), s.Spearman)
	}
	return nil
}
