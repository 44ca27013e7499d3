package forecast_test

import (
	"context"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// Quasi-Monte Carlo on a smooth model: with a power-of-two trial count the
// mean of x + y (exactly 1.5 + 2 = 3.5) is accurate to 4 decimals,
// where Monte Carlo's standard error is 0.004.
func ExampleQuasiMonteCarlo() {
	m := forecast.NewModel()
	x := m.Input("x", distributions.Uniform{Min: 1, Max: 2})
	y := m.Input("y", distributions.Triangular{Min: 1, Mode: 2, Max: 3})
	sum := m.Output("sum")
	m.Eval(func(t *forecast.Trial) { t.Set(sum, t.Value(x)+t.Value(y)) })
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 1 << 14, Seed: 1, Method: forecast.QuasiMonteCarlo})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean %.4f ± %.4f (Monte Carlo's standard error)\n", res.Output("sum").Mean(), res.Output("sum").StdErr())
	// Output:
	// mean 3.5000 ± 0.0039 (Monte Carlo's standard error)
}
