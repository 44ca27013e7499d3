package forecast

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
)

// Sink keeps benchmark results alive.
var Sink float64

func reportPerTrial(b *testing.B, trials int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(trials), "ns/trial")
}

// BenchmarkEngineOverhead measures the engine's own cost per trial: one
// constant input, one output, a trivial model.
func BenchmarkEngineOverhead(b *testing.B) {
	m := NewModel()
	x := m.Input("x", distributions.Constant{Value: 1})
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, t.Value(x)) })
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			const trials = 1_000_000
			b.ReportAllocs()
			for b.Loop() {
				res, err := Run(context.Background(), m, Options{Trials: trials, Workers: w})
				if err != nil {
					b.Fatal(err)
				}
				Sink = res.Output("o").Mean()
			}
			reportPerTrial(b, trials)
		})
	}
}

// BenchmarkSimulateBlock measures one block of the five-year sum model
// without storage: the hot path alone (0 allocs/op).
func BenchmarkSimulateBlock(b *testing.B) {
	for _, method := range []Method{MonteCarlo, LatinHypercube} {
		b.Run(method.String(), func(b *testing.B) {
			p, err := newPlan(sumModel(), Options{Trials: 1 << 20, Method: method}.withDefaults())
			if err != nil {
				b.Fatal(err)
			}
			w := p.newWorker()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := p.simulate(w, i%1024); err != nil {
					b.Fatal(err)
				}
				i++
			}
			reportPerTrial(b, BlockSize)
		})
	}
}

// BenchmarkRealistic runs the five-year sum model at 1 and GOMAXPROCS
// workers, exact and streaming.
func BenchmarkRealistic(b *testing.B) {
	m := sumModel()
	for _, streaming := range []bool{false, true} {
		for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("streaming=%v/workers=%d", streaming, w), func(b *testing.B) {
				const trials = 1_000_000
				b.ReportAllocs()
				for b.Loop() {
					res, err := Run(context.Background(), m, Options{Trials: trials, Workers: w, Streaming: streaming})
					if err != nil {
						b.Fatal(err)
					}
					Sink = res.Output("total").Mean()
				}
				reportPerTrial(b, trials)
			})
		}
	}
}

// BenchmarkPercentiles compares the selection behind Metric.Percentiles
// (P5, P50, P95 in one pass) with a full sort, at 10⁷ values.
func BenchmarkPercentiles(b *testing.B) {
	const n = 10_000_000
	r := newTestRand(1)
	data := make([]float64, n)
	for i := range data {
		data[i] = r.NormFloat64()
	}
	work := make([]float64, n)
	b.Run("select", func(b *testing.B) {
		for b.Loop() {
			copy(work, data)
			m := &Metric{raw: work, mom: moments{N: n, Min: -10, Max: 10}}
			Sink = m.Percentiles(0.05, 0.5, 0.95)[1]
		}
	})
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			copy(work, data)
			slices.Sort(work)
			Sink = work[n/2]
		}
	})
}
