package forecast

import (
	"math"
	"math/rand/v2"
)

// FloorRun is the hand-written loop the engine is measured against
// (BenchmarkEngineFloor): n trials, each drawing every input value with its
// distribution's Sample from one PCG, calling the model's Eval on one
// reused Trial, and storing every output value in a column of n values —
// no blocks, no workers, no sums, no sketches, no statistics. Models with
// correlations or decisions are not supported (the floor draws
// independently).
func FloorRun(m *Model, n int, seed uint64) [][]float64 {
	dists := m.dimDists()
	t := m.newTrial()
	t.in = make([]float64, m.nIn)
	cols := make([][]float64, m.nOut)
	for k := range cols {
		cols[k] = make([]float64, n)
	}
	r := rand.New(rand.NewPCG(seed, 1))
	nan := math.NaN()
	for i := 0; i < n; i++ {
		for d, dist := range dists {
			t.in[d] = dist.Sample(r)
		}
		t.index = i
		for k := range t.out {
			t.out[k] = nan
		}
		m.eval(t)
		for k, v := range t.out {
			cols[k][i] = v
		}
	}
	return cols
}
