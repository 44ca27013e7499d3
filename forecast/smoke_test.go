package forecast

import (
	"context"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
)

func TestSmoke(t *testing.T) {
	m := NewModel()
	a := m.Input("a", distributions.Normal{Mu: 1, Sigma: 2})
	s := m.Series("s", distributions.Normal{Mu: 0, Sigma: 1}, 5)
	o := m.Output("o")
	os := m.OutputSeries("os", 5)
	m.Eval(func(t *Trial) {
		sum := t.Value(a)
		for i, v := range t.Values(s) {
			sum += v
			t.SetAt(os, i, sum)
		}
		t.Set(o, sum)
	})
	for _, opt := range []Options{{Trials: 200000, Seed: 1}, {Trials: 200000, Seed: 1, Streaming: true}, {Trials: 200000, Seed: 1, Method: LatinHypercube, KeepInputs: true}} {
		res, err := Run(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		om := res.Output("o")
		t.Logf("mean %v sd %v p %v", om.Mean(), om.StdDev(), om.Percentiles(0.05, 0.5, 0.95))
		lo, hi := om.PercentileCI(0.95, 0.95)
		t.Logf("ci %v %v; sens %v", lo, hi, om.Sensitivity())
	}
}
