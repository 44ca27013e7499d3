package forecast

import (
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
)

// ref5yLike is benchmarks' ref5y workload (10 values a trial: uniform,
// normal, a 5-year normal series, two triangular, log-normal), rebuilt
// here because package benchmarks imports forecast.
func ref5yLike() *Model {
	m := NewModel()
	capex := m.Input("capex", distributions.Uniform{Min: 115, Max: 135})
	gc := m.Input("gc", distributions.Normal{Mu: 0.10, Sigma: 0.05})
	r := m.Series("r", distributions.Normal{Mu: 0.18, Sigma: 0.06}, 5)
	margin := m.Input("margin", distributions.Triangular{Min: 0.35, Mode: 0.41, Max: 0.45})
	power := m.Input("power", distributions.Triangular{Min: 2, Mode: 4, Max: 8})
	price := m.Input("price", distributions.LogNormal{Mu: 4.382026634673881, Sigma: 0.25})
	out := m.Output("outcome")
	m.Eval(func(t *Trial) {
		c, g, rev, p := t.Value(capex), t.Value(gc), 201.0, t.Value(power)
		s := 0.0
		for _, x := range t.Values(r) {
			rev *= 1 + x
			s += rev*t.Value(margin) - c - p*t.Value(price)*0.00876
			c *= 1 + g
			p *= 1.3
		}
		t.Set(out, s)
	})
	return m
}

// BenchmarkSampler is the cost of simulating one block (draws, copula,
// Eval, storage in the worker's buffer) under each method: compare
// ns/trial of lhs and qmc against montecarlo in one run.
func BenchmarkSampler(b *testing.B) {
	for method := range methods {
		b.Run(Method(method).String(), func(b *testing.B) {
			p, err := newPlan(ref5yLike(), Options{Trials: 1 << 20, Method: Method(method)}.withDefaults())
			if err != nil {
				b.Fatal(err)
			}
			w := p.newWorker()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := p.simulate(w, i%p.blocks); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*BlockSize), "ns/trial")
		})
	}
}
