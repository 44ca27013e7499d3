package sketch

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/DataDog/sketches-go/ddsketch"

	"github.com/mcforecast/mcforecast/internal/cputime"
)

// benchValues returns 1<<16 values (a power of two, indexed with a mask) of
// realistic spreads: a normal with mean 1e6 and standard deviation 3e5 (an
// NPV, both signs in the tail), a normal about zero (a profit or loss:
// half the values negative, many near zero, so both stores grow over many
// decades) and a log-normal with σ = 1 (a price).
func benchValues(dist string) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	vs := make([]float64, 1<<16)
	for i := range vs {
		switch dist {
		case "normal":
			vs[i] = 1e6 + 3e5*r.NormFloat64()
		case "signed":
			vs[i] = 3e5 * r.NormFloat64()
		case "lognormal":
			vs[i] = 100 * math.Exp(r.NormFloat64())
		}
	}
	return vs
}

var Sink float64

// BenchmarkAdd compares, in one run, an insert into Sketch (Add, and
// AddBlock per value) with an insert into the DDSketch the engine used,
// ddsketch.LogCollapsingLowestDenseDDSketch(0.001, 1<<14).
func BenchmarkAdd(b *testing.B) {
	for _, dist := range []string{"normal", "signed", "lognormal"} {
		vs := benchValues(dist)
		mask := len(vs) - 1
		b.Run(dist+"/Sketch.Add", func(b *testing.B) {
			s := New()
			s.AddBlock(vs) // warm up: the arrays reach their size
			b.ReportAllocs()
			c := cputime.Start(b)
			for i := range b.N {
				s.Add(vs[i&mask])
			}
			c.Report(b, 1, "cpu-ns/op")
			Sink = float64(s.Count())
		})
		b.Run(dist+"/Sketch.AddBlock", func(b *testing.B) {
			s := New()
			s.AddBlock(vs)
			b.ReportAllocs()
			c := cputime.Start(b)
			for i := 0; i < b.N; i += len(vs) {
				s.AddBlock(vs[:min(len(vs), b.N-i)])
			}
			c.Report(b, 1, "cpu-ns/op")
			Sink = float64(s.Count())
		})
		b.Run(dist+"/DDSketch.Add", func(b *testing.B) {
			s, err := ddsketch.LogCollapsingLowestDenseDDSketch(0.001, 1<<14)
			if err != nil {
				b.Fatal(err)
			}
			for _, v := range vs {
				_ = s.Add(v)
			}
			b.ReportAllocs()
			c := cputime.Start(b)
			for i := range b.N {
				_ = s.Add(vs[i&mask])
			}
			c.Report(b, 1, "cpu-ns/op")
			Sink = s.GetCount()
		})
	}
}

// BenchmarkQuery measures the read side, which the engine calls a few times
// per metric.
func BenchmarkQuery(b *testing.B) {
	s := New()
	s.AddBlock(benchValues("lognormal"))
	b.Run("Quantile", func(b *testing.B) {
		for range b.N {
			Sink = s.Quantile(0.95)
		}
	})
	b.Run("Merge", func(b *testing.B) {
		for range b.N {
			t := New()
			t.Merge(s)
			Sink = t.Max()
		}
	})
	b.Run("MarshalBinary", func(b *testing.B) {
		for range b.N {
			data, _ := s.MarshalBinary()
			Sink = float64(len(data))
		}
	})
}
