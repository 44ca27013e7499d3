package distributions

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFillMatchesSample checks the Filler contract: Fill writes exactly what
// successive Sample calls return and leaves r in the same state.
func TestFillMatchesSample(t *testing.T) {
	dists := []Dist{
		Constant{Value: 3}, Constant{Value: math.Inf(1)},
		Uniform{Min: 115, Max: 135}, Uniform{Min: 2, Max: 1},
		Triangular{Min: 0.35, Mode: 0.41, Max: 0.45}, Triangular{Min: 0, Mode: 0, Max: 1}, Triangular{Min: 1, Mode: 3, Max: 2},
		Normal{Mu: 0.18, Sigma: 0.06}, Normal{Mu: 0, Sigma: -1},
		LogNormal{Mu: 4.38, Sigma: 0.25}, LogNormal{Mu: math.NaN(), Sigma: 1},
		CI90(115, 135), CI90(-0.1, 0.3), CI90(5, 1),
	}
	const n, stride = 2000, 7
	for _, d := range dists {
		f, ok := d.(Filler)
		require.True(t, ok, "%v is not a Filler", d)
		a, b := make([]float64, n*stride), make([]float64, n*stride)
		r1, r2 := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
		for i := 0; i < n; i++ {
			a[i*stride] = d.Sample(r1)
		}
		f.Fill(r2, b, n, stride)
		for i := 0; i < n; i++ {
			x, y := a[i*stride], b[i*stride]
			require.True(t, x == y || (math.IsNaN(x) && math.IsNaN(y)), "%v: draw %d: Sample %v, Fill %v", d, i, x, y)
		}
		assert.Equal(t, r1.Uint64(), r2.Uint64(), "%v: streams diverge after Fill", d)
	}
	assert.Panics(t, func() { Normal{Mu: 0, Sigma: 1}.Fill(rand.New(rand.NewPCG(1, 1)), make([]float64, 5), 3, 3) })
	assert.Panics(t, func() { Normal{Mu: 0, Sigma: 1}.Fill(nil, make([]float64, 5), 1, 1) })
}

func BenchmarkFill(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	dst := make([]float64, 1024*10)
	for _, d := range []Dist{Normal{Mu: 0, Sigma: 1}, Triangular{Min: 2, Mode: 4, Max: 8}, LogNormal{Mu: 4.38, Sigma: 0.25}, Uniform{Min: 0, Max: 1}} {
		b.Run(d.String(), func(b *testing.B) {
			f := d.(Filler)
			for b.Loop() {
				f.Fill(r, dst, 1024, 10)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1024, "ns/value")
		})
	}
}
