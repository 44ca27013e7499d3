package forecast

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimulateBlocksMergeEqualsRun(t *testing.T) {
	for _, o := range []Options{
		{Trials: 30_000, Seed: 9, KeepInputs: true},
		{Trials: 30_000, Seed: 9, Streaming: true, Workers: 3},
		{Trials: 30_000, Seed: 9, Method: LatinHypercube},
	} {
		m := sumModel()
		m.Correlate(m.inputHandle(0), m.inputHandle(1), 0.3)
		local := mustRun(t, m, o)
		nb := NumBlocks(o)
		require.Equal(t, 30, nb)
		var parts []*Partial
		for _, r := range [][2]int{{20, 10}, {0, 7}, {7, 13}} { // out of order on purpose
			p, err := SimulateBlocks(context.Background(), m, o, r[0], r[1])
			require.NoError(t, err)
			b, err := p.MarshalBinary()
			require.NoError(t, err)
			var q Partial
			require.NoError(t, q.UnmarshalBinary(b))
			parts = append(parts, &q)
		}
		merged, err := Merge(m, o, parts)
		require.NoError(t, err)
		require.Equal(t, local.Trials(), merged.Trials())
		for i, lm := range local.Metrics() {
			mm := merged.Metrics()[i]
			assert.Equal(t, lm.Count(), mm.Count())
			assert.Equal(t, math.Float64bits(lm.Mean()), math.Float64bits(mm.Mean()), lm.Label())
			assert.Equal(t, math.Float64bits(lm.StdDev()), math.Float64bits(mm.StdDev()), lm.Label())
			assert.Equal(t, lm.Percentiles(0.05, 0.5, 0.95), mm.Percentiles(0.05, 0.5, 0.95), lm.Label())
			assert.Equal(t, lm.Sensitivity(), mm.Sensitivity(), lm.Label())
		}
	}
}

func TestMergeRejectsBadTiling(t *testing.T) {
	m := sumModel()
	o := Options{Trials: 10 * BlockSize, Seed: 1}
	p, err := SimulateBlocks(context.Background(), m, o, 0, 5)
	require.NoError(t, err)
	_, err = Merge(m, o, []*Partial{p})
	assert.ErrorContains(t, err, "cover 5 of the run's 10 blocks")
	_, err = Merge(m, o, []*Partial{p, p})
	assert.ErrorContains(t, err, "block 5 missing or covered twice")
	_, err = SimulateBlocks(context.Background(), m, o, 8, 5)
	assert.ErrorContains(t, err, "first block 8 and count 5, want 0 ≤ first and 1 ≤ count ≤ 10 − first")
	_, err = SimulateBlocks(context.Background(), m, Options{Precision: 0.1}, 0, 1)
	assert.ErrorContains(t, err, "Precision")
}
