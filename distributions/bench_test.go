package distributions

import (
	"math"
	"testing"
)

// Sink keeps the compiler from discarding benchmarked results.
var Sink float64

func BenchmarkSample(b *testing.B) {
	dd, _ := NewDiscrete([]float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{1, 2, 3, 4, 4, 3, 2, 1})
	data := make([]float64, 1000)
	for i := range data {
		data[i] = math.Sin(float64(i))
	}
	ee, _ := NewEmpirical(data)
	for _, tc := range []struct {
		name string
		d    Dist
	}{
		{"Constant", Constant{125}},
		{"Uniform", Uniform{115, 135}},
		{"Triangular", Triangular{115, 125, 135}},
		{"PERT", PERT{115, 125, 135}},
		{"Normal", Normal{0.18, 0.06}},
		{"LogNormal", LogNormal{4.38, 0.25}},
		{"CI90", CI90(115, 135)},
		{"Beta", Beta{2, 5}},
		{"Beta_small", Beta{0.5, 0.5}},
		{"Gamma", Gamma{2, 0.5}},
		{"Gamma_small", Gamma{0.3, 2}},
		{"Bernoulli", Bernoulli{0.3}},
		{"Discrete_literal8", Discrete{Values: dd.Values, Weights: dd.Weights}},
		{"Discrete_New8", dd},
		{"Empirical_literal1000", Empirical{Data: data}},
		{"Empirical_New1000", ee},
		{"Truncated_Normal", Truncated{Normal{0.2, 0.1}, 0, 1}},
		{"Truncated_Gamma", Truncated{Gamma{2, 0.5}, 1, 10}},
		{"Mixture2", Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := newRand(1)
			b.ReportAllocs()
			var s float64
			for b.Loop() {
				s += tc.d.Sample(r)
			}
			Sink = s
		})
	}
}
