package forecast

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRanksMatchDefinition(t *testing.T) {
	r := newTestRand(3)
	cases := map[string][]float64{
		"empty":   {},
		"one":     {4},
		"signs":   {-1, 0, math.Copysign(0, -1), 2, -3.5, math.Inf(1), math.Inf(-1), 1e-300, -1e-300},
		"ties":    {3, 1, 3, 3, 2, 1},
		"allsame": {7, 7, 7, 7},
	}
	normal := make([]float64, 5000)
	coarse := make([]float64, 5000)
	for i := range normal {
		normal[i] = r.NormFloat64() * 1e3
		coarse[i] = float64(r.IntN(20) - 10)
	}
	cases["normal"], cases["coarse"] = normal, coarse
	for name, x := range cases {
		require.Equal(t, naiveRanks(x), ranks(x), name)
	}
}

func BenchmarkRanks(b *testing.B) {
	r := newTestRand(1)
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	b.Run("radix", func(b *testing.B) {
		for b.Loop() {
			Sink = ranks(x)[0]
		}
	})
	b.Run("comparison", func(b *testing.B) {
		for b.Loop() {
			Sink = naiveRanks(x)[0]
		}
	})
}
