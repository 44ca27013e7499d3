package xsum

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mcforecast/mcforecast/internal/cputime"
)

var Sink float64

// welford is the plain streaming update the comparison runs against.
type welford struct {
	n        int
	mean, m2 float64
	min, max float64
}

func (w *welford) add(x float64) {
	w.n++
	d := x - w.mean
	w.mean += d / float64(w.n)
	w.m2 += d * (x - w.mean)
	if x < w.min {
		w.min = x
	}
	if x > w.max {
		w.max = x
	}
}

// BenchmarkAdd compares, in one run, Moments.Add (count, exact Σx and Σx²,
// min, max) with a Welford update (count, mean, M2, min, max) and with the
// engine's current two-pass block summary (forecast.blockMoments: a pass for
// the sum, a pass for the squared deviations), per value.
func BenchmarkAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 8192) // one engine block
	for i := range xs {
		xs[i] = 1e6 + 3e5*r.NormFloat64()
	}
	b.Run("Moments.Add", func(b *testing.B) {
		var m Moments
		b.ReportAllocs()
		c := cputime.Start(b)
		for i := range b.N {
			m.Add(xs[i&(len(xs)-1)])
		}
		c.Report(b, 1, "cpu-ns/op")
		Sink = float64(m.Count())
	})
	b.Run("Moments.AddBlock", func(b *testing.B) {
		var m Moments
		b.ReportAllocs()
		c := cputime.Start(b)
		for i := 0; i < b.N; i += len(xs) {
			m.AddBlock(xs[:min(len(xs), b.N-i)])
		}
		c.Report(b, 1, "cpu-ns/op")
		Sink = float64(m.Count())
	})
	b.Run("Welford", func(b *testing.B) {
		w := welford{min: math.Inf(1), max: math.Inf(-1)}
		c := cputime.Start(b)
		for i := range b.N {
			w.add(xs[i&(len(xs)-1)])
		}
		c.Report(b, 1, "cpu-ns/op")
		Sink = w.m2
	})
	b.Run("TwoPassBlock", func(b *testing.B) {
		c := cputime.Start(b)
		for i := 0; i < b.N; i += len(xs) {
			col := xs[:min(len(xs), b.N-i)]
			sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
			for _, v := range col {
				sum += v
				lo = min(lo, v)
				hi = max(hi, v)
			}
			mean := sum / float64(len(col))
			m2 := 0.0
			for _, v := range col {
				d := v - mean
				m2 += d * d
			}
			Sink = m2 + lo + hi
		}
		c.Report(b, 1, "cpu-ns/op")
	})
}

// BenchmarkFinish measures the read side: the exact roundings and the merge.
func BenchmarkFinish(b *testing.B) {
	var m Moments
	r := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		m.Add(1e6 + 3e5*r.NormFloat64())
	}
	b.Run("Mean", func(b *testing.B) {
		for range b.N {
			Sink = m.Mean()
		}
	})
	b.Run("Variance", func(b *testing.B) {
		for range b.N {
			Sink = m.Variance()
		}
	})
	b.Run("Merge", func(b *testing.B) {
		var t Moments
		for range b.N {
			t.Merge(&m)
		}
		Sink = float64(t.Count())
	})
	b.Run("MarshalBinary", func(b *testing.B) {
		for range b.N {
			data, _ := m.MarshalBinary()
			Sink = float64(len(data))
		}
	})
}
