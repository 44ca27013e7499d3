package forecast

import (
	"slices"
	"testing"
	"time"

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
// Eval, storage in the worker's buffer) under each method on ref5yLike:
// every iteration simulates one block under each method in rotated order,
// so the methods see the same load, and the benchmark reports each
// method's median ns/trial over the iterations and the ratios lhs/mc and
// qmc/mc of those medians (robust to preemption by other processes).
func BenchmarkSampler(b *testing.B) {
	ms := []Method{MonteCarlo, LatinHypercube, QuasiMonteCarlo}
	plans := make([]*plan, len(ms))
	workers := make([]*worker, len(ms))
	for j, method := range ms {
		p, err := newPlan(ref5yLike(), Options{Trials: 1 << 20, Method: method}.withDefaults())
		if err != nil {
			b.Fatal(err)
		}
		plans[j], workers[j] = p, p.newWorker()
	}
	times := make([][]float64, len(ms))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range ms {
			j := (i + k) % len(ms)
			p := plans[j]
			t0 := time.Now()
			if err := p.simulate(workers[j], i%p.blocks); err != nil {
				b.Fatal(err)
			}
			times[j] = append(times[j], float64(time.Since(t0).Nanoseconds())/BlockSize)
		}
	}
	med := make([]float64, len(ms))
	for j := range ms {
		slices.Sort(times[j])
		med[j] = times[j][len(times[j])/2]
		b.ReportMetric(med[j], ms[j].String()+"-ns/trial")
	}
	b.ReportMetric(med[1]/med[0], "lhs/mc")
	b.ReportMetric(med[2]/med[0], "qmc/mc")
}
