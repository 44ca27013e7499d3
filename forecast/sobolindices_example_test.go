package forecast_test

import (
	"context"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/processes"
)

// ExampleSobolIndices splits the variance of profit = price · (total volume
// over three years) − cost between its inputs. Price and volume interact
// (their total indices exceed their first-order ones); the cost adds alone.
// The volume series has a row for the group of its three years (Year 0)
// and one per year.
func ExampleSobolIndices() {
	m := forecast.NewModel()
	price := m.Input("price", distributions.Uniform{Min: 5, Max: 15})
	volume := m.Series("volume", distributions.Uniform{Min: 20, Max: 50}, 3)
	cost := m.Input("cost", distributions.Normal{Mu: 300, Sigma: 100})
	profit := m.Output("profit")
	m.Eval(func(t *forecast.Trial) {
		v := 0.0
		for _, x := range t.Values(volume) {
			v += x
		}
		t.Set(profit, t.Value(price)*v-t.Value(cost))
	})

	// 2¹⁴ base rows, 5 input values and one group: 2¹⁴·(6 + 2) = 131 072
	// evaluations.
	idx, err := forecast.SobolIndices(context.Background(), m, "profit", forecast.Options{Trials: 1 << 14, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range idx {
		name := s.Input
		if s.Year > 0 {
			name = fmt.Sprintf("%s year %d", s.Input, s.Year)
		}
		fmt.Printf("%-14s first %.3f ± %.3f  total %.3f ± %.3f\n", name, s.First, s.FirstStdErr, s.Total, s.TotalStdErr)
	}
	// Output:
	// price          first 0.728 ± 0.003  total 0.743 ± 0.007
	// volume         first 0.178 ± 0.008  total 0.193 ± 0.003
	// volume year 1  first 0.059 ± 0.008  total 0.064 ± 0.001
	// volume year 2  first 0.059 ± 0.008  total 0.064 ± 0.001
	// volume year 3  first 0.059 ± 0.008  total 0.064 ± 0.001
	// cost           first 0.079 ± 0.008  total 0.079 ± 0.001
}

// ExampleSobolIndices_process splits the variance of a three-year energy
// bill, consumption · (sum of a mean-reverting price path), between the
// consumption and the price path. The path's group row is the share of all
// its yearly shocks; year j's row is the share of the shock of year j,
// which moves the price of year j and, decaying, of every later year, so
// the first shock weighs most in the bill. (Closed forms: the price shares
// are 0.645 for the path and 0.336, 0.222, 0.086 for its shocks; the
// consumption's 0.349; price and consumption interact by 0.006.)
func ExampleSobolIndices_process() {
	m := forecast.NewModel()
	price := m.Process("price", processes.OU{Start: 80, LongRunMean: 80, Reversion: 0.5, Volatility: 15}, 3) // $/MWh
	use := m.Input("consumption", distributions.Normal{Mu: 100, Sigma: 10})                                  // MWh a year
	bill := m.Output("bill")
	m.Eval(func(t *forecast.Trial) {
		sum := 0.0
		for _, p := range t.Values(price) {
			sum += p
		}
		t.Set(bill, t.Value(use)*sum)
	})

	idx, err := forecast.SobolIndices(context.Background(), m, "bill", forecast.Options{Trials: 1 << 14, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range idx {
		name := s.Input
		if s.Year > 0 {
			name = fmt.Sprintf("%s shock %d", s.Input, s.Year)
		}
		fmt.Printf("%-13s first %.3f ± %.3f  total %.3f ± %.3f\n", name, s.First, s.FirstStdErr, s.Total, s.TotalStdErr)
	}
	// Output:
	// price         first 0.644 ± 0.004  total 0.651 ± 0.007
	// price shock 1 first 0.336 ± 0.007  total 0.339 ± 0.004
	// price shock 2 first 0.223 ± 0.007  total 0.225 ± 0.003
	// price shock 3 first 0.086 ± 0.008  total 0.087 ± 0.001
	// consumption   first 0.349 ± 0.007  total 0.355 ± 0.004
}
